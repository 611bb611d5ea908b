"""The standard catalogue on the portal (标准目录, issue 15): the signed endpoint the intranet
publishes it to, the catalogue page (tree + every element) and each item's page (its documents).

    POST /api/catalogue          signed like /api/push (gkt_protocol.catalogue); JSON answers
    GET  /xxgk/ml/               政务公开事项标准目录: the tree and the elements table
    GET  /xxgk/ml/<id>.html      one item: its elements and its public documents, paged
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for

from gkt_protocol import PayloadError
from gkt_protocol.catalogue import ELEMENTS, parse_catalogue
from gkt_protocol.payload import MAX_CATALOGUE_ID

from .api import _signed_json
from .caching import cached_page
from .services import PortalError, reading
from .services import catalogue as standard

bp = Blueprint("standard", __name__)
COLUMN = "政府信息公开"
ELEMENT_LABELS = tuple((key, label) for key, label, _ in ELEMENTS)


@bp.app_template_global()
def filed_under(item):
    """The 目录事项 a policy was pushed with, for its page (None for a 解读 or an unfiled one)."""
    return standard.filed_under(item) if item.kind == "policy" else None


@bp.post("/api/catalogue")
def receive():
    try:
        message = parse_catalogue(_signed_json())
    except PayloadError as exc:
        raise PortalError(400, "invalid_payload", "目录内容不符合接口规范，未作任何修改。", exc.problems)
    receipt = standard.receive_catalogue(message)
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/") or request.host_url.rstrip("/")
    return jsonify(ok=True, version=receipt.version, changed=receipt.changed, items=receipt.items,
                   url=base + url_for("standard.catalogue"))


@bp.get("/xxgk/ml/")
def catalogue():
    edition = standard.edition()

    def render():
        return render_template("portal/standard_catalogue.html", edition=edition, domains=standard.tree(),
                               elements=ELEMENT_LABELS, column=COLUMN, subcolumn="ml")
    return cached_page(render, seed=f"ml|{edition.version if edition else 0}",
                       last_modified=edition.received_at if edition else None)


@bp.get("/xxgk/ml/<int:item_id>.html")
def item(item_id: int):
    if not 0 < item_id <= MAX_CATALOGUE_ID:
        abort(404)
    where = standard.place(item_id)
    if where is None:
        abort(404)
    after, before = request.args.get("after"), request.args.get("before")
    edition = standard.edition()

    def render():
        page = standard.documents(item_id, after, before, current_app.config["PORTAL_PAGE_SIZE"])
        return render_template("portal/standard_item.html", place=where, page=page, elements=ELEMENT_LABELS,
                               edition=edition, column=COLUMN, subcolumn="ml")
    stamps = [s for s in (reading.last_change(), edition.received_at if edition else None) if s is not None]
    return cached_page(render, last_modified=max(stamps) if stamps else None)
