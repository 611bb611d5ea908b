"""`flask outbox run` (the worker) and `flask outbox ensure-secret` (the embedded run's shared secret)."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup


def register(app: Flask) -> None:
    group = AppGroup("outbox", help="Push queued documents to the public portal.")
    app.cli.add_command(group)

    @group.command("run")
    @click.option("--once", is_flag=True, help="发送当前所有到期的消息后退出（测试、定时任务用）")
    @click.option("--interval", default=1.0, show_default=True, help="无消息时的等待秒数")
    @click.option("--batch", default=10, show_default=True, help="每次领取的消息数")
    def run_command(once: bool, interval: float, batch: int):
        """Send due messages to PORTAL_URL, retrying with backoff; several workers may run at once."""
        from .worker import SecretMissing, Settings, run_forever, run_once

        try:
            settings = Settings.from_app(current_app)
        except SecretMissing as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
        if once:
            outcomes = run_once(settings, batch=batch)
            by_status: dict[str, int] = {}
            for o in outcomes:
                by_status[o.status] = by_status.get(o.status, 0) + 1
            click.echo(f"处理 {len(outcomes)} 条推送消息：" + ("，".join(f"{k} {v}" for k, v in sorted(by_status.items()))
                                                       or "无到期消息"))
            return
        stopping = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stopping.append(True))
        click.echo(f"推送程序已启动：{settings.portal_url}（Ctrl+C 停止）")
        run_forever(settings, interval=interval, batch=batch, should_stop=lambda: bool(stopping))

    @group.command("ensure-secret")
    def ensure_secret_command():
        """Create instance/portal_push_secret (0600) if missing and print its path (never the secret)."""
        from .worker import PUSH_SECRET_FILE, push_secret

        push_secret(current_app)
        click.echo(str(Path(current_app.instance_path) / PUSH_SECRET_FILE))
