"""Issuing (R6): 发文字号, 成文日期/印发日期, the stamped .docx, the 政策解读, preview and download."""

import io
import re
from datetime import date

import docx
import pytest

from tests.conftest import post
from tests.helpers import act, doc, submitted, user
from webapp import clock
from webapp.docgen import document_text
from webapp.extensions import db
from webapp.services import files, issuing
from webapp.services.errors import Conflict, Forbidden, Invalid
from webapp.workflow import Action, Stage


@pytest.fixture
def ctx(app, chain_cast):
    with app.app_context():
        code = issuing.save_code(None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅", "河南省应急管理厅办公室")
        chain_cast["code"] = code.id
        yield chain_cast


def signed(ctx, **kw) -> int:
    d = submitted(ctx["drafter"], **kw)
    act(d, ctx["office"], Action.APPROVE)
    act(d, ctx["leader"], Action.APPROVE)
    return d


def issue(ctx, d, written=None, printed=None, code=None, cc=""):
    written = written or issuing.default_written_date(doc(d))
    return issuing.issue_document(d, user(ctx["office"]), doc(d).version,
                                  issuing.IssueInput(code or ctx["code"], written, printed or written, cc))


def test_numbers_run_without_gaps_or_padding(ctx):
    year = issuing.default_written_date(doc(signed(ctx))).year
    numbers = [issue(ctx, signed(ctx)).doc_number for _ in range(3)]
    assert numbers == [f"豫应急办〔{year}〕{i}号" for i in (1, 2, 3)]
    assert all(re.fullmatch(r"豫应急办〔\d{4}〕[1-9]\d*号", n) for n in numbers)


def test_each_code_and_year_has_its_own_sequence(ctx):
    other = issuing.save_code(None, "豫应急函", "河南省应急管理厅", "河南省应急管理厅", "河南省应急管理厅办公室").id
    today = clock.agency_today()
    assert issue(ctx, signed(ctx), code=other).doc_number == f"豫应急函〔{today.year}〕1号"
    assert issue(ctx, signed(ctx)).doc_number == f"豫应急办〔{today.year}〕1号"
    next_year = today.replace(year=today.year + 1, month=1, day=2)
    assert issue(ctx, signed(ctx), written=next_year).doc_number == f"豫应急办〔{today.year + 1}〕1号"


def test_a_rolled_back_issue_gives_its_number_back(ctx):
    year = clock.agency_today().year
    assert issuing.next_number(ctx["code"], year) == 1
    db.session.rollback()  # the issuing transaction failed after taking the number
    assert issuing.next_number(ctx["code"], year) == 1
    db.session.commit()
    assert issuing.next_number(ctx["code"], year) == 2
    db.session.rollback()


def test_written_date_defaults_to_the_leaders_signing_day(ctx):
    """The leader signs at 01:00 on 6 March in Beijing (17:00 UTC on the 5th); the office
    issues three days later.  The default 成文日期 is the signing day in Beijing — neither the
    day of issuing nor the UTC date."""
    from datetime import UTC, datetime

    with clock.frozen(datetime(2026, 3, 5, 17, 0, tzinfo=UTC)):
        d = submitted(ctx["drafter"])
        act(d, ctx["office"], Action.APPROVE)
        act(d, ctx["leader"], Action.APPROVE)
    with clock.frozen(datetime(2026, 3, 9, 2, 0, tzinfo=UTC)):
        assert issuing.default_written_date(doc(d)) == date(2026, 3, 6)
        with pytest.raises(Invalid, match="不能早于领导签发日期"):
            issue(ctx, d, written=date(2026, 3, 5))
        with pytest.raises(Invalid):
            issue(ctx, d, written=date(2026, 3, 9), printed=date(2026, 3, 8))
        assert doc(d).stage == Stage.APPROVED and doc(d).doc_number is None


def test_only_the_office_issues_and_not_what_it_drafted(ctx, people):
    from webapp.workflow import Role

    d = signed(ctx)
    with pytest.raises(Forbidden):
        issuing.issue_document(d, user(ctx["leader"]), doc(d).version,
                               issuing.IssueInput(ctx["code"], clock.agency_today(), clock.agency_today()))
    stale = doc(d).version - 1
    with pytest.raises(Conflict):
        issuing.issue_document(d, user(ctx["office"]), stale, issuing.IssueInput(ctx["code"], clock.agency_today(), clock.agency_today()))
    both = people.user("both", Role.DRAFTER, Role.OFFICE)
    own = submitted(both)
    act(own, ctx["office"], Action.APPROVE)
    act(own, ctx["leader"], Action.APPROVE)
    with pytest.raises(Forbidden, match="自己起草"):
        issuing.issue_document(own, user(both), doc(own).version, issuing.IssueInput(ctx["code"], clock.agency_today(), clock.agency_today()))


@pytest.mark.parametrize("attribute,annotation", [
    ("public", "（此件公开发布）"), ("on_request", "（此件依申请公开）"), ("not_public", "（此件不公开）")])
def test_the_issued_docx_carries_number_date_and_annotation(ctx, attribute, annotation):
    extra = {} if attribute == "public" else {"disclosure_reason": "内部事务", "legal_basis_codes": ["art16"]}
    d = signed(ctx, disclosure=attribute, title="关于做好汛期值班工作的通知", **extra)
    issued = issue(ctx, d, cc="省政府办公厅")
    stored = files.latest(d, "official")
    data = stored.data
    import hashlib

    assert stored.sha256 == hashlib.sha256(data).hexdigest() and stored.size == len(data)
    document = docx.Document(io.BytesIO(data))
    paras = [p.text for p in document.paragraphs]
    today = issued.written_date
    date_line = f"{today.year}年{today.month}月{today.day}日"
    i = next(i for i, t in enumerate(paras) if t.strip() == date_line)
    assert paras[i + 1].strip() == annotation
    text = document_text(data)
    assert issued.doc_number in text and "关于做好汛期值班工作的通知" in text and "抄送：省政府办公厅" in text
    assert document.core_properties.author == "河南省应急管理厅"
    assert "张丽" not in (document.core_properties.author + document.core_properties.last_modified_by)


def test_interpretation_is_issued_as_its_own_linked_docx(ctx):
    d = signed(ctx, needs_interpretation=True, interpretation_html="<p>一、出台背景</p><p>落实国务院部署。</p>",
               title="关于推进基层政务公开的意见")
    issued = issue(ctx, d)
    interp = files.latest(d, "interpretation")
    assert interp.filename == "《关于推进基层政务公开的意见》政策解读.docx"
    text = document_text(interp.data)
    assert "《关于推进基层政务公开的意见》政策解读" in text and "落实国务院部署" in text
    assert f"本解读对应文件：《关于推进基层政务公开的意见》（{issued.doc_number}）" in text


def test_issuing_makes_no_public_copy_before_de_identification(ctx):
    d = signed(ctx, body_html="<p>联系人：张三，电话13812345678。</p>")
    issued = issue(ctx, d)
    assert issued.stage == Stage.DEID_REVIEW  # 主动公开 goes on to the publisher
    assert files.latest(d, "public") is None and issued.public_body_html is None


def test_non_public_documents_are_filed_after_issue(ctx):
    d = signed(ctx, disclosure="not_public", disclosure_reason="内部事务", legal_basis_codes=["art16"])
    assert issue(ctx, d).stage == Stage.FILED


@pytest.fixture
def web(app, chain_cast):
    """For tests that make requests: no app context held open across them."""
    with app.app_context():
        chain_cast["code"] = issuing.save_code(None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅",
                                               "河南省应急管理厅办公室").id
    return chain_cast


def test_issue_through_the_pages_then_download_and_preview(app, web, people):
    with app.app_context():
        d = signed(web)
        today = issuing.default_written_date(doc(d)).isoformat()
        version = doc(d).version
    office = people.client("office")
    queue = office.get("/issuing/").get_data(as_text=True)
    assert "编文号并印发" in queue and f"/issuing/{d}" in queue
    form = office.get(f"/issuing/{d}").get_data(as_text=True)
    assert "成文日期" in form and "（此件公开发布）" in form
    resp = post(office, f"/issuing/{d}", {"issuing_code": web["code"], "written_date": today, "print_date": today,
                                         "cc": "", "version": version})
    assert resp.status_code == 302
    with app.app_context():
        number = doc(d).doc_number
        fid = files.latest(d, "official").id
        version = doc(d).version
    page = office.get(f"/documents/{d}").get_data(as_text=True)
    assert number in page and "正式文件（.docx）" in page
    drafter = people.client("drafter")
    dl = drafter.get(f"/documents/{d}/files/{fid}")
    assert dl.status_code == 200 and dl.data[:2] == b"PK"
    assert "filename*=UTF-8''" in dl.headers["Content-Disposition"]
    frag = drafter.get(f"/documents/{d}/preview", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'class="gw-page"' in frag and number in frag and "（此件公开发布）" in frag and "<html" not in frag
    full = drafter.get(f"/documents/{d}/preview").get_data(as_text=True)
    assert "<html" in full and number in full
    again = post(office, f"/issuing/{d}", {"issuing_code": web["code"], "written_date": today, "print_date": today,
                                          "version": version})
    assert again.status_code == 302
    with app.app_context():
        assert doc(d).doc_number == number  # issued once


def test_issue_form_errors_change_nothing(app, web, people):
    with app.app_context():
        d = signed(web)
        version = doc(d).version
    office = people.client("office")
    resp = post(office, f"/issuing/{d}", {"issuing_code": web["code"], "written_date": "不是日期",
                                         "print_date": "", "version": version})
    assert resp.status_code == 422 and "请填写印发日期" in resp.get_data(as_text=True)
    with app.app_context():
        assert doc(d).stage == Stage.APPROVED and files.files_of(d) == []


def test_admin_manages_issuing_codes(app, web, people):
    from webapp.workflow import Role

    people.user("root", Role.ADMIN, department="办公室")
    admin = people.client("root")
    bad = post(admin, "/admin/codes/new", {"code": "豫应急〔办〕", "issuer_mark": "x", "signer": "x", "printing_office": "x"})
    assert bad.status_code == 422 and "不能含括号" in bad.get_data(as_text=True)
    ok = post(admin, "/admin/codes/new", {"code": "豫应急规", "issuer_mark": "河南省应急管理厅文件",
                                         "signer": "河南省应急管理厅", "printing_office": "河南省应急管理厅办公室", "active": "y"})
    assert ok.status_code == 302 and "豫应急规" in admin.get("/admin/codes").get_data(as_text=True)


@pytest.mark.parametrize("utc_hour", [17, 23, 2])
def test_issue_form_defaults_are_beijing_dates_whatever_the_utc_hour(app, web, people, utc_hour):
    """At 17:00 UTC it is already 01:00 tomorrow in Beijing: the leader signs "tomorrow"
    and the form's default 印发日期 must be that same Beijing day, so submitting the form
    exactly as it comes is accepted (the refusal "印发日期不能早于成文日期" was the bug)."""
    import html as _html
    from datetime import UTC, datetime


    at = datetime(2026, 3, 5, utc_hour, 0, tzinfo=UTC)
    beijing_day = date(2026, 3, 6) if utc_hour >= 16 else date(2026, 3, 5)
    with clock.frozen(at):
        with app.app_context():
            d = signed(web)
            version = doc(d).version
        office = people.client("office")
        page = office.get(f"/issuing/{d}").get_data(as_text=True)
        defaults = {name: _html.unescape(value) for name, value in
                    re.findall(r'name="(written_date|print_date)"[^>]*value="([^"]*)"', page)}
        assert defaults == {"written_date": beijing_day.isoformat(), "print_date": beijing_day.isoformat()}
        resp = post(office, f"/issuing/{d}", {"issuing_code": web["code"], **defaults, "cc": "", "version": version})
        assert resp.status_code == 302, resp.get_data(as_text=True)
        with app.app_context():
            assert doc(d).print_date == beijing_day and doc(d).stage != Stage.APPROVED
