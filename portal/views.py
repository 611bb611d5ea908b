"""Public pages: thin — parse the request, ask a service, render, add cache headers."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import quote

from flask import Blueprint, Flask, Response, abort, current_app, has_request_context, render_template, request, url_for
from werkzeug.routing import BaseConverter

from gkt_protocol.payload import CLEANUP_LABELS, VALIDITY_LABELS
from gkt_protocol.taxonomy import TOP_CLASSES

from . import pagecache, rendering
from .caching import cacheable, cached_page
from .clock import agency_today, chinese_date, to_agency, utcnow
from .models import INTERPRETATION, POLICY, PUBLISHED, Item
from .services import reading, searching

public = Blueprint("public", __name__)


class SerialConverter(BaseConverter):
    """The year-serial half of a 索引号: 2026-00001."""

    regex = r"\d{4}-\d{4,8}"


class CodeConverter(BaseConverter):
    """The agency half of a 索引号: a 9- or 18-character code."""

    regex = r"[0-9A-Z]{9}(?:[0-9A-Z]{9})?"


def _last_modified(*items) -> datetime | None:
    stamps = [i.updated_at for i in items if i is not None]
    return max(stamps) if stamps else None


def _int_arg(name: str, default: int) -> int:
    raw = request.args.get(name, "")
    return int(raw) if raw.isdigit() and len(raw) < 6 else default


@public.get("/")
def home():
    def render():
        return render_template("portal/home.html", latest=reading.latest(10), column="首页")
    return cached_page(render, last_modified=reading.last_change())


@public.get("/xxgk/ndbg/")
def annual_reports():
    def render():
        return render_template("portal/annual_reports.html", items=reading.annual_reports(),
                               column="政府信息公开年报")
    return cached_page(render, last_modified=reading.last_change())


@public.get("/xxgk/")
def catalogue():
    """The catalogue list, from the process's list cache when the catalogue's version is unchanged.

    Why a page kept here is never older than the committed data it is served for:
    - Its key holds the version read *in the same statement* as its rows, count and last change
      (reading.catalogue): one statement sees one snapshot, and the triggers raise the version in
      the very transaction that writes items or publishers, so a snapshot that sees a write also
      sees its version, and one that does not, does not.  Writers take the version's row in turn
      (PostgreSQL: a row lock, at commit; SQLite: one writer at a time), so each version number
      belongs to exactly one committed state.
    - A request reads the current version first and looks only for that key: once a write has
      committed, every later request reads the higher version and misses every entry of the older
      ones (they age out of the LRU).  So an entry is served only while its version is current.
    - The filter choices (years, 发布机构) are read after the rows, so from data at least as new,
      and kept per version (reading.facets).
    - The rest of the key is what else the page is made of: the filters and their messages, the
      cursor, the page size, the render tag (templates, stylesheet, site settings) and the script root.
    """
    f = reading.CatalogueFilter.parse(request.args)
    after, before = request.args.get("after"), request.args.get("before")
    size = current_app.config["PORTAL_PAGE_SIZE"]
    cache = pagecache.list_cache()
    # What the page is made of besides the data: the filters (and their problems), the cursor, the
    # page size, the templates and site settings, the script root.  The data: the catalogue's version.
    shape = (f.year, f.topic, f.publisher, tuple(f.problems), reading.decode_cursor(after),
             reading.decode_cursor(before), size, rendering.tag(), request.script_root)
    if cache is not None:
        version = reading.catalogue_version()
        hit = cache.get((shape, version)) if version is not None else None
        if hit is not None:
            body, last_change = hit
            return cached_page(lambda: body, seed=_list_seed(shape, version), last_modified=last_change)
    # One query: the page of rows, the capped count, the last change (for Last-Modified) and the version.
    page = reading.catalogue(f, after, before, size)
    years, publishers = reading.facets(page.version)
    body = render_template("portal/catalogue.html", page=page, f=f, years=years, topics=TOP_CLASSES,
                           publishers=publishers, column="政府信息公开").encode()
    if page.version is None:
        return cached_page(lambda: body, last_modified=page.last_change)
    if cache is not None:
        cache.put((shape, page.version), (body, page.last_change), size=len(body))
    return cached_page(lambda: body, seed=_list_seed(shape, page.version), last_modified=page.last_change)


def _list_seed(shape: tuple, version: int) -> str:
    return f"list|{version}|{shape!r}"


@public.get("/xxgk/gfxwjql/")
def cleanup():
    """规范性文件清理结果 (R11): each normative document's latest clean-up decision."""
    raw = request.args.get("decision", "")
    decision = raw if raw in CLEANUP_LABELS else ""

    def render():
        return render_template("portal/cleanup.html", rows=reading.cleanup_results(decision or None),
                               decision=decision, decisions=CLEANUP_LABELS,
                               problem="" if decision == raw else "清理结论筛选无效，已显示全部。",
                               column="规范性文件清理")
    return cached_page(render, last_modified=reading.last_change())


def _item_page(code: str, serial: str, kind: str):
    # The stamps (ids, versions, statuses, last changes) decide everything before the text is read:
    # 404, 410, the ETag (304 without rendering), and the key of the page cache.  The same statement
    # brings the page stored at write time (portal/rendering.py), served when it is current.
    stamps = reading.item_stamps(code, serial, kind)
    me = next((s for s in stamps if s.kind == kind), None)
    if me is None:
        abort(404)
    if me.status != PUBLISHED:
        return _withdrawn(reading.find(code, serial, kind))
    other_id = me.interpretation_id if kind == POLICY else me.policy_id
    other = next((s for s in stamps if s.id == other_id), None) if other_id else None
    cacheable_here = not other_id or other is not None  # the counterpart is stamped too
    if other is not None and other.status != PUBLISHED:
        other = None
    seed = rendering.item_seed(me, other)
    last_modified = _last_modified(me, other)
    if cacheable_here and me.r_body is not None and rendering.is_current(me, seed):
        stored = me.r_body
        return cached_page(lambda: stored, seed=seed, last_modified=last_modified)

    def render():
        item, counterpart = reading.find_pair(code, serial, kind)
        if item is None or not item.is_public:
            abort(404)
        body = rendering.render_item(item, counterpart)
        if rendering.item_seed(item, counterpart) != seed:  # changed since the stamps were read: serve, do not keep
            return current_app.response_class(body, mimetype="text/html")
        return body
    key = (seed, request.script_root, agency_today()) if cacheable_here else None
    return cached_page(render, seed=seed, last_modified=last_modified, cache_key=key)


def _withdrawn(item: Item):
    body = render_template("portal/withdrawn.html", item=item, column="政府信息公开")
    return cacheable(current_app.response_class(body, status=410, mimetype="text/html"), item.updated_at)


@public.get("/xxgk/<code:code>/<serial:serial>.html")
def policy(code: str, serial: str):
    return _item_page(code, serial, POLICY)


@public.get("/xxgk/<code:code>/<serial:serial>_jd.html")
def interpretation(code: str, serial: str):
    return _item_page(code, serial, INTERPRETATION)


def _docx(code: str, serial: str, kind: str):
    item = reading.find(code, serial, kind)
    if item is None or not item.docx_sha256:
        abort(404)
    if not item.is_public:
        return _withdrawn(item)

    def render():
        data = reading.docx_bytes(item) or b""
        response = Response(data, mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        response.headers["Content-Disposition"] = f"attachment; filename=\"document.docx\"; filename*=UTF-8''{quote(item.docx_filename)}"
        return response
    return cached_page(render, seed=f"docx|{item.id}|{item.docx_sha256}", last_modified=item.updated_at)


@public.get("/xxgk/<code:code>/<serial:serial>.docx")
def policy_docx(code: str, serial: str):
    return _docx(code, serial, POLICY)


@public.get("/xxgk/<code:code>/<serial:serial>_jd.docx")
def interpretation_docx(code: str, serial: str):
    return _docx(code, serial, INTERPRETATION)


@public.get("/search")
def search():
    q = request.args.get("q", "")
    page_no = _int_arg("page", 1)

    def render():
        result = None
        if q.strip():
            result = searching.search(q, page_no, current_app.config["PORTAL_PAGE_SIZE"],
                                      current_app.config["PORTAL_SEARCH_WINDOW"])
        return render_template("portal/search.html", q=q, result=result, column="搜索",
                               size=current_app.config["PORTAL_PAGE_SIZE"])
    return cached_page(render, last_modified=reading.last_change())


def _base_url() -> str:
    return current_app.config["PORTAL_BASE_URL"].rstrip("/") or request.host_url.rstrip("/")


@public.get("/feed.atom")
def feed():
    def render():
        return render_template("portal/feed.xml", items=reading.latest_with_text(50), base=_base_url(),
                               updated=reading.last_change() or utcnow())
    return cached_page(render, last_modified=reading.last_change(), mimetype="application/atom+xml")


@public.get("/sitemap.xml")
def sitemap_index():
    def render():
        return render_template("portal/sitemap_index.xml", chunks=range(reading.sitemap_chunks()), base=_base_url())
    return cached_page(render, last_modified=reading.last_change(), mimetype="application/xml")


@public.get("/sitemap-<int:n>.xml")
def sitemap(n: int):
    if n > 0 and n >= reading.sitemap_chunks():
        abort(404)

    def render():
        return render_template("portal/sitemap.xml", n=n, items=reading.sitemap_chunk(n), base=_base_url())
    return cached_page(render, last_modified=reading.last_change(), mimetype="application/xml")


@public.get("/robots.txt")
def robots():
    def render():
        return f"User-agent: *\nAllow: /\nDisallow: /api/\nSitemap: {_base_url()}/sitemap.xml\n"
    return cached_page(render, mimetype="text/plain")


_ITEM_PATH = re.compile(r"[0-9A-Z]{9}(?:[0-9A-Z]{9})?/\d{4}-\d{4,8}")  # what the code and serial converters accept


def item_url(item: Item, docx: bool = False, external: bool = False) -> str:
    """/xxgk/<机构代码>/<年份-流水号>[_jd].html|.docx.  A list page links 20 of them: written as text
    (the converters accept only [0-9A-Z] and digits, nothing to quote), url_for only otherwise."""
    interpretation = item.kind == INTERPRETATION
    if has_request_context() and _ITEM_PATH.fullmatch(item.index_no):
        path = (f"{request.script_root}/xxgk/{item.index_no}{'_jd' if interpretation else ''}"
                f"{'.docx' if docx else '.html'}")
    else:
        code, serial = item.index_no.split("/", 1)
        kind = "interpretation" if interpretation else "policy"
        path = url_for(f"public.{kind}_docx" if docx else f"public.{kind}", code=code, serial=serial)
    return (_base_url() + path) if external else path


def register_template_helpers(app: Flask) -> None:
    app.url_map.converters["serial"] = SerialConverter
    app.url_map.converters["code"] = CodeConverter
    app.jinja_env.filters["cn_date"] = chinese_date
    app.jinja_env.filters["meta_time"] = lambda dt: to_agency(dt).strftime("%Y-%m-%d %H:%M") if dt else ""
    app.jinja_env.filters["iso_time"] = lambda dt: to_agency(dt).isoformat(timespec="seconds") if dt else ""
    app.jinja_env.filters["validity"] = lambda code: VALIDITY_LABELS.get(code, code)
    app.jinja_env.filters["cleanup"] = lambda code: CLEANUP_LABELS.get(code, code)
    app.jinja_env.globals["item_url"] = item_url

    @app.context_processor
    def site():
        c = app.config
        return {"site": {"name": c["PORTAL_SITE_NAME"], "domain": c["PORTAL_SITE_DOMAIN"],
                         "id_code": c["PORTAL_SITE_ID_CODE"], "host_organ": c["PORTAL_HOST_ORGAN"]}}
