"""Bad input gets a clear message in Chinese and changes nothing."""

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token, post
from tests.helpers import doc, new_draft, submitted
from webapp.extensions import db
from webapp.models import AuditEvent, Document
from webapp.workflow import Stage


def counts(app):
    with app.app_context():
        return (db.session.execute(select(func.count()).select_from(Document)).scalar_one(),
                db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one())


@pytest.fixture
def drafter(app, chain_cast, people):
    return people.client("drafter")


HOSTILE = (
    '<p>正文</p><script>alert("x")</script>'
    '<img src="x" onerror="alert(1)"><p onmouseover="steal()">移上来</p>'
    '<a href="javascript:alert(2)">点我</a><iframe src="https://evil.example"></iframe>'
    '<svg onload="alert(3)"></svg><p style="background:url(javascript:alert(4))">样式</p>'
)


def test_hostile_html_is_stored_and_shown_inert(app, drafter):
    resp = post(drafter, "/drafting/new", {"title": "含脚本的草稿", "doc_type": "通知", "body_html": HOSTILE,
                                           "interpretation_html": HOSTILE, "disclosure": "public"})
    assert resp.status_code == 302
    with app.app_context():
        d = db.session.execute(select(Document)).scalar_one()
        for field in (d.body_html, d.interpretation_html):
            for bad in ("<script", "onerror", "onmouseover", "javascript:", "<iframe", "<svg", "style=", "<img", "<a "):
                assert bad not in field, bad
        doc_id = d.id
    page = drafter.get(f"/documents/{doc_id}").get_data(as_text=True)
    body = page[page.index('class="doc-body"'):]
    for bad in ("<script>alert", "onerror=", "onmouseover=", "javascript:alert", "<iframe"):
        assert bad not in body


def test_title_is_escaped_everywhere(app, drafter):
    post(drafter, "/drafting/new", {"title": '<img src=x onerror=alert(1)>标题', "doc_type": "通知", "body_html": "<p>x</p>"})
    with app.app_context():
        doc_id = db.session.execute(select(Document.id)).scalar_one()
    page = drafter.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;标题" in page


def test_a_5mb_body_is_refused_with_a_message(app, drafter):
    before = counts(app)
    resp = post(drafter, "/drafting/new", {"title": "超长", "doc_type": "通知", "body_html": "<p>" + "政" * (5 * 1024 * 1024 // 3) + "</p>"})
    assert resp.status_code == 422
    assert "正文过长" in resp.get_data(as_text=True)
    assert counts(app) == before


def test_an_oversized_request_gets_a_413_page(app, drafter):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    before = counts(app)
    resp = post(drafter, "/drafting/new", {"title": "x", "doc_type": "通知", "body_html": "a" * (2 * 1024 * 1024)})
    assert resp.status_code == 413 and "超过了系统允许的大小" in resp.get_data(as_text=True)
    assert counts(app) == before


def test_missing_csrf_token_changes_nothing(app, drafter):
    before = counts(app)
    resp = drafter.post("/drafting/new", data={"title": "无令牌", "doc_type": "通知", "body_html": "<p>x</p>"})
    assert resp.status_code == 400 and "CSRF" in resp.get_data(as_text=True)
    assert counts(app) == before


def test_a_token_from_another_session_is_refused(app, chain_cast, people):
    other = app.test_client()
    foreign = csrf_token(other)  # a token minted for somebody else's session
    drafter = people.client("drafter")
    before = counts(app)
    resp = drafter.post("/drafting/new", data={"title": "借用令牌", "doc_type": "通知", "csrf_token": foreign})
    assert resp.status_code == 400
    assert counts(app) == before


def test_htmx_post_without_the_header_token_is_refused(app, chain_cast, people):
    with app.app_context():
        d = submitted(chain_cast["drafter"])
        version = doc(d).version
    office = people.client("office")
    resp = office.post(f"/review/documents/{d}/decide", data={"action": "approve", "version": version},
                       headers={"HX-Request": "true"})
    assert resp.status_code == 400
    ok = office.post(f"/review/documents/{d}/decide", data={"action": "approve", "version": version, "context": "queue"},
                     headers={"HX-Request": "true", "X-CSRFToken": office.csrf})
    assert ok.status_code == 200


def test_replaying_a_submitted_form_changes_nothing(app, chain_cast, people):
    with app.app_context():
        d = submitted(chain_cast["drafter"])
        version = doc(d).version
    office = people.client("office")
    form = {"action": "approve", "version": version}
    assert post(office, f"/review/documents/{d}/decide", form).status_code == 302
    before = counts(app)
    again = post(office, f"/review/documents/{d}/decide", form)
    assert again.status_code == 409 and "此文件已被他人处理" in again.get_data(as_text=True)
    assert counts(app) == before


def test_a_stale_edit_form_does_not_overwrite(app, chain_cast, people):
    with app.app_context():
        d = new_draft(chain_cast["drafter"], title="原标题")
        stale = doc(d).version
    c = people.client("drafter")
    assert post(c, f"/drafting/{d}/edit", {"title": "第一次修改", "doc_type": "通知", "version": stale}).status_code == 302
    resp = post(c, f"/drafting/{d}/edit", {"title": "旧页面的修改", "doc_type": "通知", "version": stale})
    assert resp.status_code == 409 and "最新内容" in resp.get_data(as_text=True)
    with app.app_context():
        assert doc(d).title == "第一次修改"


def test_a_tampered_id_changes_nothing(app, chain_cast, people):
    with app.app_context():
        theirs = new_draft(chain_cast["other_drafter"], title="别人的草稿")
        version = doc(theirs).version
    c = people.client("drafter")
    before = counts(app)
    assert post(c, f"/drafting/{theirs}/edit", {"title": "篡改", "doc_type": "通知", "version": version}).status_code == 403
    assert post(c, f"/drafting/{theirs}/submit", {"version": version}).status_code == 403
    assert post(c, "/review/documents/999999/decide", {"action": "approve", "version": 1}).status_code == 403
    assert counts(app) == before
    with app.app_context():
        assert doc(theirs).title == "别人的草稿" and doc(theirs).stage == Stage.DRAFT


def test_unknown_attribute_and_legal_basis_are_refused(app, drafter):
    before = counts(app)
    resp = post(drafter, "/drafting/new", {"title": "x", "doc_type": "通知", "disclosure": "secret"})
    assert resp.status_code == 422
    resp = post(drafter, "/drafting/new", {"title": "x", "doc_type": "通知", "legal_basis_codes": "art99"})
    assert resp.status_code == 422
    resp = post(drafter, "/drafting/new", {"title": "x", "doc_type": "不存在的文种"})
    assert resp.status_code == 422
    assert counts(app) == before


def test_wrong_role_cannot_decide(app, chain_cast, people):
    with app.app_context():
        d = submitted(chain_cast["drafter"])
        version = doc(d).version
    before = counts(app)
    for who in ("drafter", "leader", "secrecy", "publisher"):
        c = people.client(who)
        resp = post(c, f"/review/documents/{d}/decide", {"action": "approve", "version": version})
        assert resp.status_code == 403, who
    assert counts(app) == before


# --------------------------------------------------------------------------------------
# Hostile values in every route from the URL map and in every form (issue 7): each gets
# a 4xx with a Chinese message, never a 500, and the database is exactly as before —
# on SQLite and on PostgreSQL alike.
# --------------------------------------------------------------------------------------

import base64  # noqa: E402
import re  # noqa: E402
from urllib.parse import parse_qsl  # noqa: E402

from sqlalchemy import LargeBinary  # noqa: E402

from tests.integration import test_authz_matrix as authz  # noqa: E402
from webapp.blueprints.admin import forms as admin_forms  # noqa: E402
from webapp.blueprints.annual_report import forms as annual_report_forms  # noqa: E402
from webapp.blueprints.applications import forms as applications_forms  # noqa: E402
from webapp.blueprints.approval import forms as approval_forms  # noqa: E402
from webapp.blueprints.auth import forms as auth_forms  # noqa: E402
from webapp.blueprints.catalogue import forms as catalogue_forms  # noqa: E402
from webapp.blueprints.drafting import forms as drafting_forms  # noqa: E402
from webapp.blueprints.forms import EmptyForm, VersionedForm  # noqa: E402
from webapp.blueprints.issuing import forms as issuing_forms  # noqa: E402
from webapp.blueprints.publishing import forms as publishing_forms  # noqa: E402
from webapp.blueprints.review import forms as review_forms  # noqa: E402
from webapp.blueprints.transfers import forms as transfers_forms  # noqa: E402
from webapp.blueprints.validity import forms as validity_forms  # noqa: E402

MATRIX, _resolve = authz.MATRIX, authz._resolve
world = authz.world  # the matrix's world: one cast, its documents, a logged-in client per principal

# Each POST route's forms, and the names it reads from request.form by hand.  A new POST
# route fails test_every_post_route_is_listed until it has a row here.
ROUTE_FORMS: dict[str, tuple[list[type], list[str]]] = {
    "drafting.new": ([drafting_forms.DocumentForm], []),
    "drafting.edit": ([drafting_forms.DocumentForm], []),
    "drafting.import_docx": ([drafting_forms.ImportForm], []),
    "drafting.add_attachment": ([drafting_forms.AttachmentForm], []),
    "drafting.remove_attachment": ([EmptyForm], []),
    "drafting.submit": ([VersionedForm], ["comment"]),
    "drafting.accept_proposal": ([VersionedForm], []),
    "review.decide": ([review_forms.DecisionForm], ["next"]),
    "issuing.issue": ([issuing_forms.IssueForm], []),
    "publishing.scan": ([EmptyForm], []),
    "publishing.decide": ([publishing_forms.DecisionForm], []),
    "publishing.add": ([publishing_forms.ManualFindingForm], []),
    "publishing.eye_checked": ([EmptyForm], []),
    "publishing.withhold": ([EmptyForm], []),
    "publishing.confirm": ([publishing_forms.ConfirmForm], []),
    "admin.new_user": ([admin_forms.NewUserForm], []),
    "admin.edit_user": ([admin_forms.UserForm], []),
    "admin.reset_password": ([EmptyForm], []),
    "admin.departments": ([admin_forms.DepartmentForm], []),
    "admin.edit_department": ([admin_forms.DepartmentForm], []),
    "admin.new_code": ([admin_forms.IssuingCodeForm], []),
    "admin.edit_code": ([admin_forms.IssuingCodeForm], []),
    "admin.agency": ([admin_forms.AgencyForm], []),
    "admin.holidays_page": ([admin_forms.HolidayOverrideForm], []),
    "admin.holiday_year": ([admin_forms.HolidayYearForm], []),
    "admin.delete_holiday": ([EmptyForm], []),
    "publishing.publish": ([EmptyForm], ["select"]),
    "publishing.retry": ([EmptyForm], []),
    "publishing.withdraw": ([publishing_forms.WithdrawForm], []),
    "publishing.republish": ([VersionedForm], []),
    "publishing.correct": ([publishing_forms.CorrectForm], []),
    "publishing.set_abstract": ([publishing_forms.AbstractForm], []),
    "catalogue.apply_import": ([EmptyForm], []),
    "catalogue.publish": ([EmptyForm], []),
    "catalogue.confirm_mismatch": ([catalogue_forms.MismatchForm], []),
    "catalogue.document_item": ([catalogue_forms.DocumentItemForm], []),
    "catalogue.edit_item": ([catalogue_forms.ItemForm], []),
    "catalogue.import_sheet": ([catalogue_forms.ImportForm], []),
    "catalogue.new_item": ([catalogue_forms.ItemForm], []),
    "catalogue.record_channel": ([catalogue_forms.ChannelForm], []),
    "transfers.archive_settings": ([transfers_forms.ArchiveSettingsForm], []),
    "transfers.create_batch": ([transfers_forms.BatchForm], []),
    "transfers.destinations": ([transfers_forms.DestinationForm], []),
    "transfers.edit_destination": ([transfers_forms.DestinationForm], []),
    "transfers.file_record": ([transfers_forms.FileRecordForm], []),
    "transfers.receipt": ([transfers_forms.ReceiptForm], []),
    "transfers.self_review_decide": ([transfers_forms.SelfReviewDecisionForm], []),
    "transfers.self_review_respond": ([transfers_forms.SelfReviewResponseForm], []),
    "validity.decide": ([validity_forms.ValidityDecisionForm], []),
    "applications.act": ([applications_forms.MoveForm], []),
    "applications.assign": ([applications_forms.AssignForm], []),
    "applications.register": ([applications_forms.RegisterForm], []),
    "applications.remedy": ([applications_forms.RemedyForm], []),
    "applications.search": ([applications_forms.SearchForm], []),
    "approval.add_countersign": ([approval_forms.CountersignForm], []),
    "approval.remove_countersign": ([EmptyForm], []),
    "approval.phrases": ([approval_forms.PhraseForm], []),
    "approval.delete_phrase": ([EmptyForm], []),
    "annual_report.open_report": ([annual_report_forms.OpenForm], []),
    "annual_report.entries": ([annual_report_forms.EntriesForm], []),
    "annual_report.text": ([annual_report_forms.TextForm], []),
    "annual_report.draft": ([annual_report_forms.DraftForm], []),
    "applications.provide": ([applications_forms.ProvideForm], []),
    "applications.remove_provided": ([EmptyForm], []),
    "applications.decide_finding": ([applications_forms.FindingForm], []),
    "applications.check_attachment": ([applications_forms.EyeCheckForm], []),
    "applications.confirm_provided": ([EmptyForm], []),
    "applications.resend_status": ([EmptyForm], []),
    "dashboard.mark_read": ([EmptyForm], []),
    "dashboard.mark_all_read": ([EmptyForm], []),
    "auth.login": ([auth_forms.LoginForm], []),
    "auth.logout": ([], []),
    "auth.change_password": ([auth_forms.ChangePasswordForm], []),
}

CONTROL_VALUES = ["正文\x00内容", "\x1b[31m标题", "标题\x7f", "\x85说明", "\x01"]
NUMBER_VALUES = ["99999999999999999999999", "2147483648", "²", "٣"]
HUGE_IDS = ["99999999999999999999999", "2147483648", "%C2%B2", "%D9%A3", "-1"]


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode()


BAD_CURSORS = [
    _cursor("2026-01-01T00:00:00+00:00|99999999999999999999999"), _cursor("2026-01-01T00:00:00+00:00|2147483648"),
    _cursor("99999-01-01|1"), _cursor("0001-01-01T00:00:00+14:00|1"), _cursor("2026-01-01|²"),
    _cursor("2026-01-01|-5"), _cursor("no separator"), "%%%", "a" * 500, "5pel5qGI",
]
# The query parameters each GET route reads: a hostile value there must be refused (4xx).
READS = {
    "review.queue": {"department", "disclosure", "waiting", "order", "cursor"},
    "approval.queue": {"department", "disclosure", "waiting", "order", "cursor"},
    "issuing.queue": {"cursor"},
    "publishing.queue": {"cursor"},
    "main.documents": {"q", "stage", "disclosure", "department", "date_field", "date_from", "date_to", "cursor"},
    "review.decision_form": {"action"},
    "validity.due": {"department"},
}
HOSTILE_QUERY = {
    "department": ["99999999999999999999999", "²", "2147483648", "-1", "0", "abc"],
    "disclosure": ["secret"], "stage": ["nope"], "order": ["sideways"], "date_field": ["x"], "action": ["nope"],
    "waiting": ["99999999999999999999", "abc", "0", "-3"],
    "date_from": ["2026-13-45", "99999-01-01", "0001-01-01"], "date_to": ["2026-02-30", "9999-12-31"],
    "cursor": BAD_CURSORS, "q": ["长" * 101, "a\x00b"], "keep": ["99999999999999999999"],
}
CJK = re.compile(r"[\u4e00-\u9fff]{2,}")


def snapshot(app) -> dict:
    """Every row of every table (file contents aside), to prove nothing changed."""
    with app.app_context():
        db.session.expire_all()
        out = {}
        for table in db.metadata.sorted_tables:
            cols = [c for c in table.columns if not isinstance(c.type, LargeBinary)]
            out[table.name] = sorted(tuple(str(v) for v in row) for row in db.session.execute(select(*cols)))
        return out


def _principal(endpoint: str, method: str):
    for m, kwargs, data, allowed in MATRIX[endpoint]:
        if m == method and allowed:
            return ("anonymous" if "anonymous" in allowed else sorted(allowed)[0]), kwargs, data
    raise AssertionError(f"no principal may {method} {endpoint}")


def _url(world, endpoint: str, kwargs: dict) -> str:
    from flask import url_for

    with world["app"].test_request_context():
        return url_for(endpoint, **_resolve(world, kwargs))


def _assert_refused(resp, what: str, phrase: str | None = None) -> None:
    body = resp.get_data(as_text=True)
    assert 400 <= resp.status_code < 500, f"{what}: HTTP {resp.status_code} {body[:300]}"
    assert CJK.search(body), f"{what}: no Chinese in the answer"
    assert "系统内部错误" not in body, what
    if phrase:
        assert phrase in body, f"{what}: {phrase!r} not in {body[:300]}"


def _rules(app, method: str):
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static" and method in r.methods),
                  key=lambda r: r.endpoint)


def test_every_post_route_is_listed(world):
    assert {r.endpoint for r in _rules(world["app"], "POST")} == set(ROUTE_FORMS)


def test_ids_beyond_the_integer_columns_are_not_found(world):
    app, before = world["app"], snapshot(world["app"])
    checked = 0
    for method in ("GET", "POST"):
        for rule in _rules(app, method):
            int_args = re.findall(r"<int(?:\([^)]*\))?:(\w+)>", rule.rule)
            if not int_args:
                continue
            who, kwargs, _ = _principal(rule.endpoint, method)
            client = world["clients"][who]
            for arg in int_args:
                with app.test_request_context():
                    from flask import url_for

                    valid = url_for(rule.endpoint, **{**_resolve(world, kwargs), arg: 7777777})
                bad_urls = [valid.replace("/7777777", f"/{h}") for h in HUGE_IDS]
                for url in bad_urls:
                    resp = client.get(url) if method == "GET" else client.post(url, data={})
                    _assert_refused(resp, f"{method} {url}", "页面不存在")
                    assert resp.status_code == 404
                    checked += 1
    assert checked > 100
    assert snapshot(app) == before


def test_hostile_query_values_are_refused_where_read_and_harmless_elsewhere(world):
    app, before = world["app"], snapshot(world["app"])
    for rule in _rules(app, "GET"):
        who, kwargs, _ = _principal(rule.endpoint, "GET")
        client = world["clients"][who]
        url, _, own_query = _url(world, rule.endpoint, kwargs).partition("?")
        headers = {"HX-Request": "true"} if rule.endpoint == "review.decision_form" else {}
        for param, values in HOSTILE_QUERY.items():
            for value in values:
                query = {**dict(parse_qsl(own_query)), param: value}
                resp = client.get(url, query_string=query, headers=headers)
                what = f"GET {url}?{param}={value[:40]!r} as {who}"
                if "\x00" in value:
                    _assert_refused(resp, what, "控制字符")
                elif param in READS.get(rule.endpoint, ()):
                    _assert_refused(resp, what, "翻页位置无效" if param == "cursor" else None)
                else:
                    assert resp.status_code < 500, what
    assert snapshot(app) == before


def test_hostile_query_values_in_an_htmx_request_answer_in_the_message_area(world):
    client = world["clients"]["office"]
    for url in ("/review/office_review?department=²", "/documents?stage=nope",
                f"/review/office_review?cursor={BAD_CURSORS[0]}", "/documents?q=a%00b"):
        resp = client.get(url, headers={"HX-Request": "true", "HX-Target": "queue-body"})
        _assert_refused(resp, url)
        assert resp.headers.get("HX-Retarget") == "#flash-area", url


@pytest.mark.parametrize("endpoint", sorted(ROUTE_FORMS))
def test_hostile_values_in_every_form_field_change_nothing(world, endpoint):
    app = world["app"]
    who, kwargs, data = _principal(endpoint, "POST")
    client = world["clients"][who]
    url = _url(world, endpoint, kwargs)
    forms, raw_names = ROUTE_FORMS[endpoint]
    with app.test_request_context():
        fields = [(f.name, f.type) for form_cls in forms for f in form_cls(meta={"csrf": False})]
    names = [n for n, _ in fields] + raw_names + ["csrf_token", "任意字段"]
    numeric = [n for n, t in fields if t in ("IntegerField", "SelectField", "HiddenField", "RadioField")]
    baseline = {k: v for k, v in data.items() if not str(v).startswith("@")}
    before = snapshot(app)
    for i, name in enumerate(names):
        value = CONTROL_VALUES[i % len(CONTROL_VALUES)]
        resp = client.post(url, data={**baseline, name: value})
        _assert_refused(resp, f"POST {url} {name}={value!r} as {who}", "控制字符")
        assert resp.status_code == 400
    resp = client.post(url, data={**baseline, "名称\x00": "x"})  # in a field's name, too
    _assert_refused(resp, f"POST {url} NUL in a name", "控制字符")
    for name in numeric:
        for value in NUMBER_VALUES:
            resp = client.post(url, data={**baseline, name: value})
            _assert_refused(resp, f"POST {url} {name}={value!r} as {who}")
    assert snapshot(app) == before, endpoint
    if endpoint == "auth.logout":
        assert client.get("/").status_code == 200  # still logged in: the refused logout did nothing


def test_a_title_of_zero_width_spaces_is_refused(app, drafter):
    before = counts(app)
    for title in ("\u200b\u200b\u200b", "\u3000 \u00a0", "\u200d\ufeff\u2060"):
        resp = post(drafter, "/drafting/new", {"title": title, "doc_type": "通知", "body_html": "<p>正文</p>"})
        assert resp.status_code == 422 and "请填写标题" in resp.get_data(as_text=True), repr(title)
    assert counts(app) == before


def test_a_title_with_line_breaks_is_kept_on_one_line(app, drafter):
    resp = post(drafter, "/drafting/new", {"title": "关于防汛\r\n的通知", "doc_type": "通知"})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.execute(select(Document.title)).scalar_one() == "关于防汛 的通知"


def test_an_unknown_queue_filter_is_said_next_to_the_filter(app, chain_cast, people):
    with app.app_context():
        submitted(chain_cast["drafter"])
    office = people.client("office")
    resp = office.get("/review/office_review?department=424242")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert re.search(r'class="field-error"[^>]*>处室：选项无效', page), page[:2000]
    ok = office.get("/review/office_review").get_data(as_text=True)
    assert "field-error" not in ok and "doc-row-" in ok


def _session_cookie(resp, name: str = "gkt_session") -> str:
    cookies = [c for c in resp.headers.getlist("Set-Cookie") if c.startswith(f"{name}=")]
    assert cookies, resp.headers
    return cookies[-1]


def test_flash_messages_are_bounded_so_the_session_cookie_stays_small(database_url):
    """Any flash, however long and however many, leaves a cookie a browser keeps (< 4 KB)."""
    import random

    from flask import flash, get_flashed_messages

    from tests.conftest import make_app
    from webapp.authz import public
    from webapp.blueprints.inputs import FLASH_LIMIT, MAX_FLASHES

    app = make_app(database_url)
    rng = random.Random(7)
    name = "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(3000)) + ".docx"

    @public
    def flood():
        for i in range(10):
            flash(f"已添加附件（{i}）：{name}", "ok")
        return "ok"

    @public
    def show():
        return "\n".join(get_flashed_messages())

    app.add_url_rule("/_test/flood", view_func=flood)
    app.add_url_rule("/_test/show", view_func=show)
    client = app.test_client()
    resp = client.get("/_test/flood")
    assert len(_session_cookie(resp)) < 4096
    shown = client.get("/_test/show").get_data(as_text=True).split("\n")
    assert len(shown) == MAX_FLASHES
    for i, message in zip(range(10 - MAX_FLASHES, 10), shown, strict=True):  # the latest ones
        assert len(message) == FLASH_LIMIT and message.startswith(f"已添加附件（{i}）：") and message.endswith(".docx")


def test_an_upload_with_a_3000_character_name_keeps_the_session_cookie_small(app, chain_cast, people):
    import io

    with app.app_context():
        d = new_draft(chain_cast["drafter"], disclosure=None)
    c = people.client("drafter")
    name = "关于进一步做好防汛救灾工作的会议纪要" * 170 + ".txt"
    resp = post(c, f"/drafting/{d}/attachments", {"file": (io.BytesIO("会议纪要正文".encode()), name)},
                content_type="multipart/form-data")
    assert resp.status_code < 500
    if any(h.startswith("gkt_session=") for h in resp.headers.getlist("Set-Cookie")):
        assert len(_session_cookie(resp)) < 4096
    page = c.get(f"/drafting/{d}/edit").get_data(as_text=True)
    assert name not in page  # the full name is never carried by a flash
