"""The 附件 of the documents a reply provides reach the applicant (issue 9), over real HTTP.

A citizen applies on the running portal; the intranet pulls the application.  The reply provides
two documents:
- a 依申请公开 document (no public copy) whose body holds seed 004's contact line and whose
  附件 are a Word roster of people (read by the engine), a PDF plan checked by eye (its /Author
  names a person) and a PDF 身份证复印件 the handler withholds.  Every finding, in the body and
  in the roster, waits for a decision and every PDF for an eye check: until then neither the
  public copy can be made nor the reply submitted;
- a 主动公开 document already published, whose 附件 (a Word table, a PDF) the publisher reviewed:
  they go as the publisher's public copies.
The outbox worker delivers the reply; behind the 查询码 the applicant downloads each file from the
portal: the masked values are there, the originals nowhere (text, package, metadata, names), the
withheld file is absent, each file has its own type; without the code nothing is shown."""

from __future__ import annotations

import html
import io
import re
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime

import docx
from docx.shared import Mm
from sqlalchemy import text as sql

from tests.conftest import login, post
from tests.helpers import act, doc, new_draft, user
from tests.pubhelpers import BODY, SECRET, set_agency
from webapp import clock
from webapp.docgen import document_text
from webapp.docgen.letters import letter_text
from webapp.extensions import db
from webapp.models import Application
from webapp.outbox.worker import Settings, run_once
from webapp.services import applications_provided, applications_sync, deid_review, drafting, issuing
from webapp.workflow import Action, Role

NAME, MOBILE, ID_NO = "王小明", "13812345678", "110101199003078515"
OTHER_NAME, OTHER_MOBILE = "李大军", "13987654321"
CONTACT = ("叶玉才", "83186312")  # seed 004's contact line, in BODY
PLAN_PDF = b"%PDF-1.4\n1 0 obj << /Author (" + NAME.encode() + b") >> endobj\n%%EOF\n"
CARD_PDF = b"%PDF-1.4 id card\n%%EOF\n"
TABLE_PDF = b"%PDF-1.4 table\n%%EOF\n"
ORIGINALS = (NAME, MOBILE, ID_NO, OTHER_NAME, OTHER_MOBILE, *CONTACT)
ANSWERS = {c: i for i, c in enumerate("零一二三四五六七八九")}
APPLICANT = {"applicant_type": "person", "applicant_name": "赵小红", "id_doc_type": "居民身份证",
             "id_doc_number": "410105198805051234", "contact_phone": "13911112222", "contact_email": "",
             "contact_address": "", "description": "应急救援先进个人名单及其附件", "form_wanted": "electronic"}


def roster_docx(name: str, mobile: str, id_no: str = "") -> bytes:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    document.add_paragraph("2026年度应急救援先进个人名单")
    table = document.add_table(rows=2, cols=3)
    for i, cell in enumerate(("姓名", "手机", "身份证号")):
        table.cell(0, i).text = cell
    for i, cell in enumerate((name, mobile, id_no)):
        table.cell(1, i).text = cell
    document.add_paragraph(f"联系人：{name}，手机：{mobile}。")
    document.core_properties.author = name
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def http(url: str, data: dict | None = None) -> tuple[int, bytes, dict]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.read(), dict(e.headers)


def apply_on_portal(base: str) -> str:
    """The citizen fills the portal's form (the CAPTCHA is text); returns the 查询码."""
    page = http(base + "/yisqgk/")[1].decode()
    q = re.search(r"请回答：(.)加(.)等于多少？", page)
    token = html.unescape(re.search(r'name="captcha_token" value="([^"]+)"', page).group(1))
    status, done, _ = http(base + "/yisqgk/", {**APPLICANT, "captcha_token": token,
                                               "captcha_answer": str(ANSWERS[q[1]] + ANSWERS[q[2]])})
    assert status == 200, done[:500]
    return re.search(r'id="query-code">([A-Z0-9-]+)<', done.decode()).group(1)


def issued_with(cast: dict, attachments: list[tuple[str, bytes]], **draft) -> int:
    """A document with these 附件, through the chain and issued."""
    codes = issuing.active_codes() or [issuing.save_code(
        None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅", "河南省应急管理厅办公室")]
    d = new_draft(cast["drafter"], body_html=BODY, topic_category="综合政务/应急管理",
                  attachments_text="\n".join(n.rsplit(".", 1)[0] for n, _ in attachments), **draft)
    for name, data in attachments:
        drafting.add_attachment(d, user(cast["drafter"]), name, data)
    for who, action in (("drafter", Action.SUBMIT), ("office", Action.APPROVE), ("leader", Action.APPROVE)):
        act(d, cast[who], action)
    day = issuing.default_written_date(doc(d))
    issuing.issue_document(d, user(cast["office"]), doc(d).version, issuing.IssueInput(codes[0].id, day, day))
    return d


def version(app, app_id) -> str:
    with app.app_context():
        db.session.expire_all()
        return str(db.session.get(Application, app_id).version)


def test_the_attachments_of_provided_documents_reach_the_applicant_reviewed(app, chain_cast, people, portal):
    people.user("handler", Role.HANDLER, department="办公室", name="吴敏")
    with app.app_context():
        set_agency(chain_cast["admin"])
        on_request = issued_with(chain_cast, [(f"附件1 {NAME}等名单.docx", roster_docx(NAME, MOBILE, ID_NO)),
                                              ("方案.pdf", PLAN_PDF), ("身份证复印件.pdf", CARD_PDF)],
                                 disclosure="on_request", disclosure_reason="涉及个人信息", legal_basis_codes=["art15"])
        assert doc(on_request).stage == "filed"
        published = issued_with(chain_cast, [("统计表.docx", roster_docx(OTHER_NAME, OTHER_MOBILE)),
                                             ("联系表.pdf", TABLE_PDF)], title="关于公布2026年应急避难场所名录的通知")
        publisher = user(chain_cast["publisher"])
        for f in deid_review.findings_of(published):
            deid_review.decide(published, f.id, publisher, "mask")
        [table] = deid_review.eye_check_files(doc(published))
        deid_review.mark_checked_by_eye(published, table.id, publisher)
        deid_review.confirm(published, publisher, doc(published).version)
        numbers = (doc(on_request).doc_number, doc(published).doc_number)
    code = apply_on_portal(portal.url)
    with app.app_context():
        assert applications_sync.pull(portal.url, SECRET).pulled == 1
        a = db.session.execute(db.select(Application)).scalar_one()
        a.department_id = db.session.execute(sql("SELECT id FROM departments WHERE name = '办公室'")).scalar_one()
        db.session.commit()
        app_id = a.id
    handler, office = app.test_client(), app.test_client()
    login(handler, "handler")
    login(office, "office")
    today = datetime.now(UTC)
    with clock.frozen(today):
        for number in numbers:
            assert post(handler, f"/applications/{app_id}/provided", {"doc_number": number}).status_code == 302
        with app.app_context():
            reviewed, public = applications_provided.applications_provided_of(app_id)
            assert (reviewed.source, public.source, public.ready) == ("reviewed", "public", True)
            found = applications_provided.findings_of(reviewed.id)
            in_roster = {f.text for f in found if f.field.startswith("attachment:")}
            assert {NAME, MOBILE, ID_NO} <= in_roster  # the engine read the Word 附件 too
            assert set(CONTACT) <= {f.text for f in found if f.field == "body"}
            eye = {x.filename: x.id for x in applications_provided.attachments_of(reviewed.id) if x.needs_eye_check}
            assert sorted(eye) == ["方案.pdf", "身份证复印件.pdf"]
            reviewed_id, finding_ids = reviewed.id, [f.id for f in found]
        page = handler.get(f"/applications/{app_id}").get_data(as_text=True)
        assert "附件：附件1 王小明等名单.docx" in page and "身份证复印件.pdf" in page and "目视检查" in page
        for fid in finding_ids:
            assert post(handler, f"/applications/{app_id}/provided/{reviewed_id}/findings/{fid}",
                        {"decision": "mask"}).status_code == 302
        # the PDFs are not checked yet: no public copy, no reply
        refused = post(handler, f"/applications/{app_id}/provided/{reviewed_id}/confirm", {})
        assert refused.status_code == 422 and "尚未目视检查" in refused.get_data(as_text=True)
        refused = post(handler, f"/applications/{app_id}/move/submit_reply",
                       {"version": version(app, app_id), "outcome": "public"})
        assert refused.status_code == 422 and "尚未完成个人信息审查" in refused.get_data(as_text=True)
        check = f"/applications/{app_id}/provided/{reviewed_id}/attachments"
        assert post(handler, f"{check}/{eye['方案.pdf']}", {"decision": "maybe"}).status_code == 422
        assert post(handler, f"{check}/{eye['方案.pdf']}", {"decision": "send"}).status_code == 302
        assert post(handler, f"{check}/{eye['身份证复印件.pdf']}", {"decision": "withhold"}).status_code == 302
        assert post(handler, f"/applications/{app_id}/provided/{reviewed_id}/confirm", {}).status_code == 302
        resp = post(handler, f"/applications/{app_id}/move/submit_reply",
                    {"version": version(app, app_id), "outcome": "public", "reply_text": "现将名单及附件提供给您。"})
        assert resp.status_code == 302, resp.get_data(as_text=True)[:1500]
        assert post(office, f"/applications/{app_id}/move/approve_reply",
                    {"version": version(app, app_id)}).status_code == 302
    with app.app_context():
        assert {o.status for o in run_once(Settings(portal.url, SECRET, timeout=5))} == {"sent"}

    status, page, _ = http(portal.url + "/yisqgk/chaxun", {"code": code})
    page = page.decode()
    assert status == 200 and "随答复提供的政府信息" in page
    names = [html.unescape(n) for n in re.findall(r"下载（(.*?)）</button>", page)]
    assert len(names) == 6, names  # each document's public copy, then its 附件: roster, plan; table, PDF
    assert "身份证复印件" not in page and not [o for o in ORIGINALS if o in page]
    assert any("王某等名单.docx" in n for n in names) and any(n.endswith("方案.pdf") for n in names)
    assert any(n.endswith("统计表.docx") for n in names) and any(n.endswith("联系表.pdf") for n in names)
    got = {}
    for n in range(1, 7):
        status, data, headers = http(portal.url + f"/yisqgk/dafu/{n}", {"code": code})
        assert status == 200 and headers["Cache-Control"] == "no-store"
        name = urllib.parse.unquote(headers["Content-Disposition"].split("filename*=UTF-8''", 1)[1])
        got[name] = (data, headers["Content-Type"])
        for original in ORIGINALS:
            assert original.encode() not in data, (name, original)  # text, package parts, metadata
    assert len(got) == 6 and http(portal.url + "/yisqgk/dafu/7", {"code": code})[0] == 404
    roster = next(v for k, v in got.items() if k.endswith("王某等名单.docx"))
    assert roster[1].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "2026年度应急救援先进个人名单" in document_text(roster[0]) and "138****5678" in document_text(roster[0])
    plan = next(v for k, v in got.items() if k.endswith("方案.pdf"))
    assert plan[1] == "application/pdf" and plan[0].startswith(b"%PDF-1.4")
    table = next(v for k, v in got.items() if k.endswith("联系表.pdf"))
    assert table == (TABLE_PDF, "application/pdf")
    stats = next(v for k, v in got.items() if k.endswith("统计表.docx"))
    assert "139****4321" in document_text(stats[0])
    for wrong in ("", "AAAA-BBBB-CCCC-DDDD"):  # nothing without the code
        status, body, _ = http(portal.url + "/yisqgk/dafu/2", {"code": wrong})
        assert status == 404 and not body.startswith(b"%PDF") and not body.startswith(b"PK")
    assert "方案.pdf" not in http(portal.url + "/yisqgk/chaxun")[1].decode()


def _handler_provides(app, people, description: str, number: str):
    """An in-person application in the office's department, and its handler adding the issued
    document `number` to the reply: (application id, the handler's logged-in client)."""
    from webapp.services import applications

    with app.app_context():
        handler_id = people.user("handler", Role.HANDLER, department="办公室", name="吴敏")
        app_id = applications.register(user(handler_id), applications.RegisterInput(
            "in_person", clock.agency_today(), "person", "李明", description, id_doc_type="居民身份证",
            id_doc_number="410105199001011234", contact_phone="13800001234")).id
        a = db.session.get(Application, app_id)
        a.department_id = db.session.execute(sql("SELECT id FROM departments WHERE name = '办公室'")).scalar_one()
        db.session.commit()
    handler = app.test_client()
    login(handler, "handler")
    assert post(handler, f"/applications/{app_id}/provided", {"doc_number": number}).status_code == 302
    return app_id, handler


def test_a_published_documents_attachments_go_as_published_and_leave_with_it(app, chain_cast, people):
    """The publisher withheld one PDF: it is not provided.  The others are the publisher's public
    copies, downloadable by the handler with their own type; the letter counts them; removing the
    document removes every copy made for the reply."""
    from webapp.models import ApplicationFile, ApplicationProvidedAttachment
    from webapp.services import applications, files

    with app.app_context():
        set_agency(chain_cast["admin"])
        d = issued_with(chain_cast, [("统计表.docx", roster_docx(OTHER_NAME, OTHER_MOBILE)), ("联系表.pdf", TABLE_PDF),
                                     ("身份证复印件.pdf", CARD_PDF)])
        publisher = user(chain_cast["publisher"])
        for f in deid_review.findings_of(d):
            deid_review.decide(d, f.id, publisher, "mask")
        table, card = deid_review.eye_check_files(doc(d))
        deid_review.mark_checked_by_eye(d, table.id, publisher)
        deid_review.mark_checked_by_eye(d, card.id, publisher, withhold=True)
        deid_review.confirm(d, publisher, doc(d).version)
        number = doc(d).doc_number
    app_id, handler = _handler_provides(app, people, "2026年统计表", number)
    with app.app_context():
        [p] = applications_provided.applications_provided_of(app_id)
        rows = applications_provided.attachments_of(p.id)
        assert [(r.position, r.filename) for r in rows] == [(1, "统计表.docx"), (2, "联系表.pdf")]
        copy = db.session.get(ApplicationFile, rows[1].public_file_id)
        assert copy.data == files.files_of(d, "public_attachment")[1].data and copy.content_type == "application/pdf"
        copy_id = copy.id
    got = handler.get(f"/applications/{app_id}/files/{copy_id}")
    assert got.status_code == 200 and got.mimetype == "application/pdf" and got.data == TABLE_PDF
    assert 'filename="application-' in got.headers["Content-Disposition"] and ".pdf" in got.headers["Content-Disposition"]
    page = handler.get(f"/applications/{app_id}").get_data(as_text=True)
    assert "附件1：统计表.docx" in page and "随答复提供公开版" in page and "身份证复印件" not in page
    with app.app_context():
        a = db.session.get(Application, app_id)
        a.outcome = "public"  # the letter as it would be written now (not saved)
        assert f"{number}《" in letter_text(applications.reply_letter(a)) and "（含附件 2 个）" in letter_text(
            applications.reply_letter(a))
        db.session.rollback()
    assert post(handler, f"/applications/{app_id}/provided/{p.id}/remove", {}).status_code == 302
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(ApplicationProvidedAttachment.id))).scalar_one() == 0
        assert db.session.execute(db.select(db.func.count(ApplicationFile.id)).where(
            ApplicationFile.kind.in_(["provided", "provided_attachment"]))).scalar_one() == 0


def test_a_file_name_the_publisher_kept_is_provided_as_the_publisher_left_it(app, chain_cast, people):
    """The publisher reviewed an attachment's file name and kept the work telephone in it with a
    reason: the copy provided to an applicant carries the same reviewed name, not a second engine
    pass over it."""
    from webapp.models import ApplicationFile

    with app.app_context():
        set_agency(chain_cast["admin"])
        d = issued_with(chain_cast, [(f"咨询电话{OTHER_MOBILE}.docx", roster_docx("", ""))])
        publisher = user(chain_cast["publisher"])
        findings = deid_review.findings_of(d)
        assert any(f.field.startswith("name:") for f in findings)
        for f in findings:
            if f.field.startswith("name:"):
                deid_review.decide(d, f.id, publisher, "keep", "本单位对外公开的咨询电话")
            else:
                deid_review.decide(d, f.id, publisher, "mask")
        deid_review.confirm(d, publisher, doc(d).version)
        number = doc(d).doc_number
    app_id, handler = _handler_provides(app, people, "先进事迹材料", number)
    with app.app_context():
        [p] = applications_provided.applications_provided_of(app_id)
        [row] = applications_provided.attachments_of(p.id)
        provided_name = db.session.get(ApplicationFile, row.public_file_id).filename
    assert f"咨询电话{OTHER_MOBILE}" in provided_name, provided_name
