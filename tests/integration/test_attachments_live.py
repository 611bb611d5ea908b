"""附件 reach the portal (issue 8): a real .docx attachment holding personal data is masked in the
publisher's review, pushed with the document by the outbox worker over real HTTP, listed on the
portal's page with its size and format, and downloaded from the portal and read back with
python-docx: the masked values are in it, the originals nowhere (nor in the file's metadata, the
file's name, the page, search or the feed)."""

from __future__ import annotations

import io
import urllib.error
import urllib.parse
import urllib.request

import docx
from docx.shared import Mm

from tests.helpers import act, doc, new_draft, user
from tests.pubhelpers import (
    SECRET,
    set_agency,
)
from webapp.docgen import document_text
from webapp.extensions import db
from webapp.models import Publication
from webapp.outbox.worker import Settings, run_once
from webapp.services import deid_review, drafting, issuing, publication
from webapp.workflow import Action

NAME, MOBILE, ID_NO = "王小明", "13812345678", "110101199003078515"


def roster_docx() -> bytes:
    """A real Word file as a drafter attaches it: a table of people, and the author in its metadata."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    document.add_paragraph("2026年度应急救援先进个人名单")
    table = document.add_table(rows=2, cols=3)
    for i, text in enumerate(("姓名", "手机", "身份证号")):
        table.cell(0, i).text = text
    for i, text in enumerate((NAME, MOBILE, ID_NO)):
        table.cell(1, i).text = text
    document.add_paragraph(f"联系人：{NAME}，手机：{MOBILE}。")
    document.core_properties.author = NAME
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def get(url: str, raw: bool = False):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            data = r.read()
            return r.status, (data if raw else data.decode()), dict(r.headers)
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.read().decode(), dict(e.headers)


def test_a_docx_attachment_is_masked_pushed_listed_and_read_back_from_the_portal(app, chain_cast, portal):
    with app.app_context():
        set_agency(chain_cast["admin"])
        d = new_draft(chain_cast["drafter"], attachments_text="2026年度应急救援先进个人名单",
                      topic_category="综合政务/应急管理")
        drafting.add_attachment(d, user(chain_cast["drafter"]), f"附件1 {NAME}等名单.docx", roster_docx())
        act(d, chain_cast["drafter"], Action.SUBMIT)
        act(d, chain_cast["office"], Action.APPROVE)
        act(d, chain_cast["leader"], Action.APPROVE)
        codes = issuing.active_codes() or [issuing.save_code(
            None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅", "河南省应急管理厅办公室")]
        day = issuing.default_written_date(doc(d))
        issuing.issue_document(d, user(chain_cast["office"]), doc(d).version, issuing.IssueInput(codes[0].id, day, day))
        publisher = user(chain_cast["publisher"])
        found = deid_review.findings_of(d)
        in_attachment = {f.text for f in found if f.field.startswith("attachment:")}
        assert {NAME, MOBILE, ID_NO} <= in_attachment  # the engine read the attachment
        for f in found:
            deid_review.decide(d, f.id, publisher, "mask")
        deid_review.confirm(d, publisher, doc(d).version)
        publication.publish(d, publisher, doc(d).version)
        assert [o.status for o in run_once(Settings(portal.url, SECRET, timeout=5))] == ["sent"]
        db.session.expire_all()
        url = db.session.get(Publication, d).public_url
    status, page, _ = get(url)
    assert status == 200
    assert "附件" in page and "2026年度应急救援先进个人名单" in page and "Word 文档" in page and " KB" in page
    assert NAME not in page and MOBILE not in page and ID_NO not in page  # nor in the listed file name
    assert "附件1 王某等名单.docx" in page
    link = url.replace(".html", "_fj1.docx")
    status, data, headers = get(link, raw=True)
    assert status == 200
    assert headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "filename*=UTF-8''" + urllib.parse.quote("附件1 王某等名单.docx", safe="") in headers["Content-Disposition"]
    assert "public" in headers["Cache-Control"] and headers.get("ETag")
    text = document_text(data)
    assert "2026年度应急救援先进个人名单" in text and "138****5678" in text
    for original in (NAME, MOBILE, ID_NO):
        assert original not in text
        assert original.encode() not in data  # nowhere in the package: not in docProps either
    assert docx.Document(io.BytesIO(data)).core_properties.author == ""
    serial = url.rsplit("/", 1)[1].removesuffix(".html")
    for q in (NAME, MOBILE):
        body = get(portal.url + "/search?q=" + urllib.parse.quote(q))[1]
        assert "没有找到" in body and serial not in body
    feed = get(portal.url + "/feed.atom")[1]
    assert serial in feed and NAME not in feed and MOBILE not in feed


SCAN = b"%PDF-1.4\n1 0 obj << /Author (" + NAME.encode() + b") >> endobj\n%%EOF\n"


def test_files_checked_by_eye_go_without_metadata_and_a_withheld_one_not_at_all(app, chain_cast, portal):
    """Two PDFs the engine cannot read: the first, checked by eye, is published without its
    /Author; the second holds an ID card the publisher cannot mask and is withheld — the document
    goes out without it, and each published file keeps its own 附件说明 title."""
    from webapp.services import files

    with app.app_context():
        set_agency(chain_cast["admin"])
        d = new_draft(chain_cast["drafter"], attachments_text="工作方案\n身份证复印件\n联系表")
        drafter = user(chain_cast["drafter"])
        drafting.add_attachment(d, drafter, "方案.pdf", SCAN)
        drafting.add_attachment(d, drafter, "身份证.pdf", b"%PDF-1.4 id card\n%%EOF\n")
        drafting.add_attachment(d, drafter, "联系表.pdf", b"%PDF-1.4 table\n%%EOF\n")
        for who, action in (("drafter", Action.SUBMIT), ("office", Action.APPROVE), ("leader", Action.APPROVE)):
            act(d, chain_cast[who], action)
        code = issuing.active_codes() or [issuing.save_code(
            None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅", "河南省应急管理厅办公室")]
        day = issuing.default_written_date(doc(d))
        issuing.issue_document(d, user(chain_cast["office"]), doc(d).version, issuing.IssueInput(code[0].id, day, day))
        publisher = user(chain_cast["publisher"])
        for f in deid_review.findings_of(d):
            deid_review.decide(d, f.id, publisher, "mask")
        plan, card, table = deid_review.eye_check_files(doc(d))
        deid_review.mark_checked_by_eye(d, plan.id, publisher)
        deid_review.mark_checked_by_eye(d, card.id, publisher, withhold=True)
        deid_review.mark_checked_by_eye(d, table.id, publisher)
        deid_review.confirm(d, publisher, doc(d).version)
        assert [f.filename for f in files.files_of(d, "public_attachment")] == ["方案.pdf", "联系表.pdf"]
        publication.publish(d, publisher, doc(d).version)
        assert [o.status for o in run_once(Settings(portal.url, SECRET, timeout=5))] == ["sent"]
        db.session.expire_all()
        url = db.session.get(Publication, d).public_url
    page = get(url)[1]
    assert "工作方案" in page and "联系表" in page and "身份证" not in page
    status, data, _ = get(url.replace(".html", "_fj1.pdf"), raw=True)
    assert status == 200 and len(data) == len(SCAN) and NAME.encode() not in data and data.startswith(b"%PDF-1.4")
    assert get(url.replace(".html", "_fj2.pdf"), raw=True)[1] == b"%PDF-1.4 table\n%%EOF\n"
    assert get(url.replace(".html", "_fj3.pdf"))[0] == 404
