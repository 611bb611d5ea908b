"""Command line: create-user, seed-demo, dashboard-rollup-rebuild, audit verify."""

from __future__ import annotations

import os
import sys

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from .extensions import db
from .models import Department
from .services.errors import ServiceError
from .workflow import Role


def register_cli(app: Flask) -> None:
    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--name", "display_name", required=True, help="姓名")
    @click.option("--department", default=None, help="处室名称（不存在时创建）")
    @click.option("--role", "roles", multiple=True, required=True,
                  type=click.Choice([r.value for r in Role]), help="角色，可重复")
    @click.option("--password", default=None, help="初始密码（不填则随机生成并显示一次）")
    def create_user_command(username, display_name, department, roles, password):
        """Create a user account."""
        from .services import accounts

        dept_id = None
        try:
            if department:
                dept = db.session.execute(select(Department).where(Department.name == department)).scalar_one_or_none()
                dept = dept or accounts.save_department(department, None)
                dept_id = dept.id
            user, pw = accounts.create_user(username, display_name, password, dept_id, {Role(r) for r in roles})
        except ServiceError as exc:
            click.echo(f"未创建：{exc.message} {' '.join(exc.problems)}", err=True)
            sys.exit(1)
        click.echo(f"已创建用户 {user.username}（{user.display_name}），角色：{user.role_labels}")
        if not password:
            click.echo(f"初始密码（只显示这一次）：{pw}。首次登录时须修改密码。")

    @app.cli.command("dashboard-rollup-rebuild")
    def dashboard_rollup_rebuild_command():
        """Count the dashboard's rollup again from the rows (after a load with triggers off)."""
        from sqlalchemy import text

        from . import dashboard_rollup

        dialect = db.engine.dialect.name
        if dialect == "postgresql":  # no writer may change the counted rows meanwhile
            db.session.execute(text("LOCK TABLE documents, publications, applications, transfer_items, "
                                    "transfer_batches IN SHARE MODE"))
        db.session.execute(text(f"DELETE FROM {dashboard_rollup.TABLE}"))
        db.session.execute(text(dashboard_rollup.backfill_statement(dialect)))
        db.session.commit()
        n = db.session.execute(text(f"SELECT count(*) FROM {dashboard_rollup.TABLE}")).scalar()
        click.echo(f"数据看板的汇总计数已按现有数据重新计算（{n} 行）。")

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="只在数据库没有用户时创建")
    def seed_demo_command(if_empty):
        """Create demo departments, one user per role and sample documents."""
        from .demo import DEMO_USERS, database_is_empty, seed_demo

        if not database_is_empty():
            if if_empty:
                click.echo("数据库已有数据，跳过演示数据。")
                return
            click.echo("数据库已有用户，拒绝重复创建演示数据。", err=True)
            sys.exit(1)
        passwords = seed_demo()
        generated = not os.environ.get("DEMO_PASSWORD")
        click.echo("已创建演示数据。演示账号（密码只显示这一次，请妥善记录"
                   + ("；首次登录时须修改密码）：" if generated else "）："))
        for u in DEMO_USERS:
            click.echo(f"  {u.username:<10} {passwords[u.username]:<14} {u.display_name}（{u.department}，"
                       f"{'、'.join(r.label for r in u.roles)}）")

    from .outbox.cli import register as register_outbox

    register_outbox(app)

    reminders_group = AppGroup("reminders", help="Reminders before deadlines (issue 12).")
    app.cli.add_command(reminders_group)

    @reminders_group.command("scan")
    def reminders_scan():
        """Create the reminders due now, once per recipient and deadline crossing; with SMTP_URL set,
        queue their e-mails for the outbox worker."""
        from flask import current_app

        from .services import reminders

        result = reminders.scan(send_email=bool(current_app.config.get("SMTP_URL")))
        click.echo(f"到期或逾期的期限 {result.deadlines} 项，新建提醒 {result.created} 条，待发邮件 {result.emailed} 封。")

    audit_group = AppGroup("audit", help="Audit log tools.")
    app.cli.add_command(audit_group)

    @audit_group.command("verify")
    def audit_verify():
        """Check the hash chain of the audit log; name the first broken link."""
        from .services.audit import verify_chain

        report = verify_chain()
        if report.ok:
            click.echo(f"审计日志完整：共 {report.events} 条记录，哈希链校验通过。")
        else:
            click.echo(f"审计日志校验失败：{report.problem}（第一个断点：第 {report.first_broken_seq} 条）。", err=True)
            sys.exit(1)
