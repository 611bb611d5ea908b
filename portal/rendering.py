"""The document page rendered once, when its rows are written, and served from the database.

A push (or a republication, a change of the 解读, a validity change: all arrive as pushes)
renders the policy's page and its 解读's page in the push's own transaction and stores each body
in `rendered_pages` with what it was rendered from (portal/models_rendered.py).  The document
request reads the rows' stamps and the stored body in one statement (reading.item_stamps) and
serves the body when `is_current` holds; otherwise it renders live as before (and keeps the
result in the per-process page cache).

Why a stored body is never older than the committed data: it is served only when

- its seed equals the seed computed from the rows' stamps read in the *same statement* (one
  snapshot): the ids, versions, statuses and last changes of the item and of its public
  counterpart.  Everything else the page shows — the 目录事项 link and the 附件 list — is written
  by the same push, which also sets the version and last change; a withdrawal changes them too.
  A body written by a transaction that did not commit is never seen; one written from rows a
  later push changed has the old seed and is skipped.
- its render tag equals this process's: the build tag (templates and stylesheet) and the site
  settings every page shows (name, domain, 标识码, 主办单位).  A deploy with other templates or
  settings renders live until `flask portal rerender` (or the next push) stores new bodies.
- its script root equals the request's (the page's links start with it);
- the agency's date is before its `fresh_until`.  Nothing on the page depends on the date today:
  有效性 (valid / revised / expired / repealed) is what the intranet pushed, not computed from
  effective_to here (the intranet pushes the change: R11), and every date shown is a stored date.
  So `fresh_until` is NULL; the column and the check are there so that a template change that
  shows something date-dependent has one place to say until when a body is right.

Nothing is ever invalidated by hand.  Bodies are written only by a push (inside its
transaction) and by the rerender command, never by a GET (a page request stays read-only).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import undefer

from .extensions import db
from .models import INTERPRETATION, POLICY, PUBLISHED, Item
from .models_rendered import RenderedPage
from .services import reading

SITE_SETTINGS = ("PORTAL_SITE_NAME", "PORTAL_SITE_DOMAIN", "PORTAL_SITE_ID_CODE", "PORTAL_HOST_ORGAN")


def item_seed(item, other) -> str:
    """What a document page is made of (ORM items or their stamps: the same attributes)."""
    parts = [item.id, item.version, item.status, item.updated_at.isoformat()]
    if other is not None:
        parts += [other.id, other.version, other.updated_at.isoformat()]
    return "item|" + "|".join(map(str, parts))


def render_tag(config) -> str:
    """The templates and stylesheet (build tag) and the site settings every page shows."""
    h = hashlib.sha256(config["PORTAL_BUILD"].encode())
    for name in SITE_SETTINGS:
        h.update(b"|" + str(config.get(name, "")).encode())
    return h.hexdigest()[:32]


def init_app(app: Flask) -> None:
    # In extensions, not config: always computed from this app's own settings (a config copied
    # from another app, as tests and the benchmark do, must not carry that app's tag).
    app.extensions["portal_render_tag"] = render_tag(app.config)
    app.config.setdefault("PORTAL_STORED_PAGES", True)
    register_cli(app)


def tag() -> str:
    """This app's render tag (templates, stylesheet, site settings)."""
    return current_app.extensions["portal_render_tag"]


def column_of(item) -> str:
    return "政策解读" if item.kind == INTERPRETATION else "政府信息公开"


def render_item(item: Item, other: Item | None) -> str:
    """The document page's body (the view's live render and the stored one are this same call)."""
    filed, attachments = reading.filed_and_attachments(item)
    return render_template("portal/item.html", item=item, other=other, filed=filed, attachments=attachments,
                           column=column_of(item))


def fresh_until(item: Item, other: Item | None) -> date | None:  # noqa: ARG001
    """The agency date from which this page must be rendered again; None: never (see the module)."""
    return None


def is_current(stamp, seed: str) -> bool:
    """Whether the stored body read with `stamp` (reading.item_stamps) may be served for `seed`."""
    from .clock import agency_today

    return (stamp.r_seed == seed and stamp.r_tag == current_app.extensions["portal_render_tag"]
            and stamp.r_root == request.script_root
            and (stamp.r_fresh_until is None or agency_today() < stamp.r_fresh_until)
            and current_app.config["PORTAL_STORED_PAGES"])


def _counterpart(item: Item, by_id: dict[int, Item]) -> Item | None:
    other_id = item.interpretation_id if item.kind == POLICY else item.policy_id
    if not other_id:
        return None
    other = by_id.get(other_id) or db.session.get(Item, other_id)
    return other if other is not None and other.status == PUBLISHED else None


def store(items: Iterable[Item], script_root: str | None = None) -> int:
    """Render and store the pages of `items` in the caller's transaction (flushed rows); a
    withdrawn item's stored page is deleted.  Needs a request context (the links are written
    under its script root); without one, nothing is stored and the pages render live."""
    items = list(items)
    by_id = {i.id: i for i in items}
    existing = {r.item_id: r for r in db.session.execute(
        select(RenderedPage).where(RenderedPage.item_id.in_(by_id))).scalars()}
    for item in items:  # withdrawn: nothing to serve (the page answers 410 with its notice)
        if item.status != PUBLISHED and item.id in existing:
            db.session.delete(existing.pop(item.id))
    if script_root is None and has_request_context():
        script_root = request.script_root
    if script_root is None or not current_app.config["PORTAL_STORED_PAGES"]:
        return 0
    tag, stored = current_app.extensions["portal_render_tag"], 0
    for item in items:
        if item.status != PUBLISHED:
            continue
        row = existing.get(item.id)
        other = _counterpart(item, by_id)
        seed = item_seed(item, other)
        if row is not None and (row.seed, row.tag, row.script_root) == (seed, tag, script_root):
            continue  # already the page these rows give
        body = render_item(item, other).encode()
        if row is None:
            row = RenderedPage(item_id=item.id)
            db.session.add(row)
        row.seed, row.tag, row.script_root, row.body = seed, tag, script_root, body
        row.fresh_until = fresh_until(item, other)
        stored += 1
    return stored


def default_script_root(app: Flask) -> str:
    """Where the portal is mounted: the path of PORTAL_BASE_URL ("" at the root)."""
    return urlsplit(app.config.get("PORTAL_BASE_URL", "")).path.rstrip("/")


def rerender(app: Flask, script_root: str | None = None, batch: int = 200) -> tuple[int, int]:
    """Store the page of every public item whose stored page is missing or out of date (another
    build, other site settings or script root): after a deploy.  One transaction per batch of
    ids; a push that commits meanwhile wins (a body is keyed by the seed it was rendered from,
    so one rendered from rows a push has since changed is simply never served).
    Returns (items looked at, pages stored)."""
    root = default_script_root(app) if script_root is None else script_root.rstrip("/")
    seen = stored = 0
    last_id = 0
    with app.test_request_context("/", base_url=f"http://localhost{root}/"):
        while True:
            items = list(db.session.execute(
                select(Item).options(undefer(Item.body_html)).where(Item.id > last_id, Item.status == PUBLISHED)
                .order_by(Item.id).limit(batch)).scalars())
            if not items:
                break
            last_id = items[-1].id
            seen += len(items)
            stored += store(items, script_root=request.script_root)
            db.session.commit()
            db.session.expunge_all()
    return seen, stored


def register_cli(app: Flask) -> None:
    import click
    from flask.cli import AppGroup

    group = AppGroup("portal", help="门户维护命令。")

    @group.command("rerender")
    @click.option("--script-root", default=None,
                  help="门户挂载的路径前缀（默认取 PORTAL_BASE_URL 的路径，根路径为空）。")
    @click.option("--batch", default=200, show_default=True, type=click.IntRange(1, 10_000),
                  help="每个事务处理的文件数。")
    def rerender_command(script_root: str | None, batch: int) -> None:
        """部署新版本后重新生成已存的文件页面（模板、样式或站点设置变化后）。"""
        import re
        import time

        if script_root is not None and not re.fullmatch(r"(/[A-Za-z0-9._~-]+)*/?", script_root):
            raise click.BadParameter("路径前缀应为空或以 / 开头，例如 /portal。", param_hint="--script-root")

        started = time.perf_counter()
        seen, stored = rerender(current_app._get_current_object(), script_root, batch)
        click.echo(f"已检查 {seen} 个公开文件，重新生成 {stored} 个页面，用时 {time.perf_counter() - started:.1f} 秒。")

    app.cli.add_command(group)
