"""附件 on the portal: stored with each push of a policy, listed on its page, downloaded.

- services/attachments.py stores them with each push (a file whose sha256 is unchanged keeps its row).
- `item_attachments(item)` (a template global) lists them without their bytes.
- GET /xxgk/<机构代码>/<年份-流水号>_fj<n><扩展名> downloads the n-th: the type comes from the
  extension (gkt_protocol.payload.ATTACHMENT_TYPES, never from the sender), Content-Disposition
  carries an ASCII fallback name and the real one in UTF-8 (RFC 5987), and the answer is
  cacheable like every public page (ETag from the sha256, Last-Modified, 304).  A withdrawn
  document's attachments answer 410 like its page.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import Blueprint, Flask, Response, abort, url_for
from sqlalchemy import select
from werkzeug.routing import BaseConverter

from gkt_protocol.payload import ATTACHMENT_TYPES, attachment_extension

from .caching import cached_page
from .extensions import db
from .models import POLICY, Item
from .models_attachments import ItemAttachment
from .services import reading
from .views import _withdrawn

attachments_bp = Blueprint("attachments", __name__)


class ExtensionConverter(BaseConverter):
    regex = r"\.[a-z]{3,4}"


def item_attachments(item: Item) -> list[ItemAttachment]:
    if item.kind != POLICY:
        return []
    return list(db.session.execute(
        select(ItemAttachment).where(ItemAttachment.item_id == item.id).order_by(ItemAttachment.position)).scalars())


def attachment_url(item: Item, attachment: ItemAttachment) -> str:
    code, serial = item.index_no.split("/", 1)
    return url_for("attachments.download", code=code, serial=serial, n=attachment.position,
                   ext=attachment_extension(attachment.filename))


def format_label(filename: str) -> str:
    return ATTACHMENT_TYPES.get(attachment_extension(filename), ("", "文件"))[1]


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


_ASCII_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._()-]{0,99}")


def content_disposition(filename: str, fallback_stem: str) -> str:
    """``attachment`` with an ASCII ``filename`` (the name itself when it is plain ASCII) and the
    real name as RFC 5987 ``filename*`` in UTF-8."""
    ext = attachment_extension(filename)
    ascii_name = filename if _ASCII_SAFE.fullmatch(filename) else f"{fallback_stem}{ext}"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


@attachments_bp.get("/xxgk/<code:code>/<serial:serial>_fj<int:n><ext:ext>")
def download(code: str, serial: str, n: int, ext: str):
    item = reading.find(code, serial, POLICY)
    if item is None:
        abort(404)
    row = db.session.execute(select(ItemAttachment).where(
        ItemAttachment.item_id == item.id, ItemAttachment.position == n)).scalar_one_or_none()
    if row is None or attachment_extension(row.filename) != ext:
        abort(404)
    if not item.is_public:
        return _withdrawn(item)  # the same 410 page as the document's

    def render():
        mimetype, _, charset = ATTACHMENT_TYPES[ext][0].partition("; charset=")
        response = Response(row.content, mimetype=mimetype)
        if charset:
            response.charset = charset
        response.headers["Content-Disposition"] = content_disposition(row.filename, f"{serial}-fj{n}")
        return response
    return cached_page(render, seed=f"fj|{row.id}|{row.sha256}", last_modified=item.updated_at)


def register(app: Flask) -> None:
    """The converter (before the blueprint's rules are built), the blueprint and the template helpers."""
    app.url_map.converters["ext"] = ExtensionConverter
    app.register_blueprint(attachments_bp)
    app.jinja_env.globals.update(item_attachments=item_attachments, attachment_url=attachment_url)
    app.jinja_env.filters["file_format"] = format_label
    app.jinja_env.filters["file_size"] = human_size
