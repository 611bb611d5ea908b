"""The 发文稿纸 (发文处理单): made at 印发 and filed with the document, downloadable and
printable at any time; read back from the real .docx (python-docx, and LibreOffice for
the words a person sees), with every opinion in the order it was given.  Also the 版头
items the approval feeds the writer: 紧急程度 and, for 请示/报告, 签发人."""

from __future__ import annotations

import io

import docx
import pytest

from tests.conftest import login
from tests.helpers import act, doc, new_draft, user
from webapp.extensions import db
from webapp.models import Department
from webapp.services import accounts, countersign, files, issuing
from webapp.services.audit import document_timeline
from webapp.services.official import header_fields
from webapp.urgency import Urgency
from webapp.workflow import Action, Role, Stage


@pytest.fixture
def cast(people, chain_cast):
    ids = dict(chain_cast)
    ids["head_own"] = people.user("head_own", Role.DEPT_HEAD, department="应急救援处", name="吴处长")
    ids["head_finance"] = people.user("head_finance", Role.DEPT_HEAD, department="财务处", name="钱处长")
    ids["head_legal"] = people.user("head_legal", Role.DEPT_HEAD, department="法规处", name="郑处长")
    for name in ("应急救援处", "财务处", "法规处"):
        ids[name] = people.department(name)
    return ids


def run_the_whole_chain(ids, **draft) -> int:
    """核稿 on, two 会签 departments, one returns, resubmission, both agree, the leader signs, 印发."""
    dept = db.session.get(Department, ids["应急救援处"])
    accounts.save_department(dept.name, None, dept.id, requires_dept_check=True)
    d = new_draft(ids["drafter"], attachments_text="各地值班电话表", **draft)
    for name in ("财务处", "法规处"):
        countersign.add_department(d, user(ids["drafter"]), ids[name])
    act(d, ids["drafter"], Action.SUBMIT, "请审核。")
    act(d, ids["head_own"], Action.APPROVE, "同意报送。")
    act(d, ids["office"], Action.APPROVE)
    act(d, ids["head_finance"], Action.APPROVE, "同意。")
    act(d, ids["head_legal"], Action.RETURN, "第三条表述请与条例一致。")
    act(d, ids["drafter"], Action.SUBMIT, "已按法规处意见修改。")
    act(d, ids["head_own"], Action.APPROVE, "同意，请办公室审核。")
    act(d, ids["office"], Action.APPROVE, "拟同意，请有关处室会签。")
    act(d, ids["head_legal"], Action.APPROVE, "已修改，同意。")
    act(d, ids["head_finance"], Action.APPROVE, "同意，经费已落实。")
    act(d, ids["leader"], Action.APPROVE, "同意印发。")
    code = issuing.save_code(None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅", "河南省应急管理厅办公室")
    day = issuing.default_written_date(doc(d))
    issuing.issue_document(d, user(ids["office"]), doc(d).version,
                           issuing.IssueInput(code.id, day, day, cc="省政府办公厅", copies=30))
    return d


def tables(data: bytes) -> list[list[list[str]]]:
    document = docx.Document(io.BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]


def test_the_filed_sheet_reads_back_with_every_opinion_in_order(app, cast):
    with app.app_context():
        d = run_the_whole_chain(cast)
        stored = files.latest(d, "processing_sheet")
        assert stored is not None and stored.filename.endswith("发文稿纸.docx")
        fields_table, history = tables(stored.data)
        decisions = [e for e in document_timeline(d) if e.action in ("submit", "approve", "return")]
        # every opinion, in the order given, returns and the first round included
        assert [row[5] for row in history[1:]] == [e.comment for e in decisions]
        assert [row[1] for row in history[1:]] == [
            "拟稿", "核稿", "办公室审核", "会签", "会签", "拟稿", "核稿", "办公室审核", "会签", "会签", "签发"]
        assert history[5][2] == "退文" and history[5][3] == "法规处" and history[5][4] == "郑处长"
        assert history[0] == ["序号", "环节", "处理", "处室", "人员", "意见", "时间"]
        box = dict((row[0], row[1]) for row in fields_table)
        assert box["标题"] == "关于做好2026年政务公开工作的通知"
        assert box["发文字号"] == doc(d).doc_number and box["紧急程度"] == "普通" and box["公开属性"] == "主动公开"
        assert box["拟稿单位"] == "应急救援处" and box["拟稿人"] == "张丽"
        # the boxes show the last submission's path: its 核稿, its two agreements, the signing
        assert box["核稿"].startswith("同意，请办公室审核。\n应急救援处　吴处长　")
        assert box["审核"].startswith("拟同意，请有关处室会签。\n办公室　陈静")
        lines = box["会签"].split("\n")
        assert lines[0] == "已修改，同意。" and lines[1].startswith("法规处　郑处长　")
        assert lines[2] == "同意，经费已落实。" and lines[3].startswith("财务处　钱处长　")
        assert box["签发"].startswith("同意印发。\n办公室　赵阳　") and "年" in box["签发"]
        assert box["主送"] == "各市、县（市、区）应急管理局" and box["抄送"] == "省政府办公厅"
        assert box["印发份数"] == "30 份" and box["附件"] == "1. 各地值班电话表"
        # A4, and the heading names the issuing body
        section = docx.Document(io.BytesIO(stored.data)).sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert docx.Document(io.BytesIO(stored.data)).paragraphs[0].text == "河南省应急管理厅发文稿纸"


def test_the_sheet_as_a_printable_page_and_a_download(app, cast):
    with app.app_context():
        d = run_the_whole_chain(cast)
    client = app.test_client()
    login(client, "drafter")
    page = client.get(f"/approval/documents/{d}/sheet").get_data(as_text=True)
    order = ["请审核。", "同意报送。", "第三条表述请与条例一致。", "已按法规处意见修改。", "同意印发。"]
    positions = [page.index(text, page.index("办理过程")) for text in order]
    assert positions == sorted(positions)
    assert "data-print" in page and "印发份数" in page and "30 份" in page
    resp = client.get(f"/approval/documents/{d}/sheet.docx")
    assert resp.status_code == 200 and resp.mimetype.endswith("wordprocessingml.document")
    assert "发文稿纸" in resp.headers["Content-Disposition"] or "filename*=" in resp.headers["Content-Disposition"]
    assert [row[5] for row in tables(resp.data)[1][1:]][-1] == "同意印发。"
    outsider = app.test_client()
    login(outsider, "other_drafter")
    assert outsider.get(f"/approval/documents/{d}/sheet").status_code == 403
    assert outsider.get(f"/approval/documents/{d}/sheet.docx").status_code == 403


def test_libreoffice_reads_the_sheet(app, cast, tmp_path):
    from tests.integration.test_docgen_libreoffice import pdf_text, to_pdf

    with app.app_context():
        d = run_the_whole_chain(cast)
        data = files.latest(d, "processing_sheet").data
    text = "".join(pdf_text(to_pdf(data, tmp_path, "sheet")).split())
    for words in ("河南省应急管理厅发文稿纸", "办理过程", "第三条表述请与条例一致。", "同意印发。", "钱处长"):
        assert words in text, words


def test_the_header_carries_urgency_and_for_upward_documents_the_signer(app, cast):
    with app.app_context():
        d = new_draft(cast["drafter"], doc_type="请示", urgency=Urgency.VERY_URGENT)
        act(d, cast["drafter"], Action.SUBMIT)
        act(d, cast["office"], Action.APPROVE)
        act(d, cast["leader"], Action.APPROVE, "同意上报。")
        assert header_fields(doc(d)) == {"urgency": "特急", "issuing_signers": ("赵阳",)}
        notice = new_draft(cast["drafter"], urgency=Urgency.URGENT)
        act(notice, cast["drafter"], Action.SUBMIT)
        act(notice, cast["office"], Action.APPROVE)
        act(notice, cast["leader"], Action.APPROVE)
        assert header_fields(doc(notice)) == {"urgency": "加急"}  # a 通知 goes down: no 签发人
        assert header_fields(doc(new_draft(cast["drafter"]))) == {"urgency": ""}


def test_the_issued_docx_prints_urgency_and_signer(app, cast):
    from webapp.docgen import document_text

    with app.app_context():
        d = new_draft(cast["drafter"], doc_type="报告", urgency=Urgency.VERY_URGENT)
        act(d, cast["drafter"], Action.SUBMIT)
        act(d, cast["office"], Action.APPROVE)
        act(d, cast["leader"], Action.APPROVE, "同意上报。")
        code = issuing.save_code(None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅", "河南省应急管理厅办公室")
        day = issuing.default_written_date(doc(d))
        issuing.issue_document(d, user(cast["office"]), doc(d).version, issuing.IssueInput(code.id, day, day))
        assert doc(d).stage == Stage.DEID_REVIEW
        text = "".join(document_text(files.latest(d, "official").data).split())
        assert "特急" in text and "签发人" in text and "赵阳" in text
        preview = issuing.preview_html(doc(d))  # the layout shown on the page, as the .docx prints it
        assert '<p class="gw-mark">特急</p>' in preview
        assert '签发人：<span class="gw-signer-names">赵阳</span>' in preview
        plain = new_draft(cast["drafter"])
        assert "gw-mark" not in issuing.preview_html(doc(plain)) and "签发人" not in issuing.preview_html(doc(plain))


def test_the_archive_package_holds_the_sheet_filed_at_issue(app, cast, tmp_path):
    """归档 (issue 11): the package carries the 发文稿纸 filed at 印发, beside the 正本, the 定稿
    and the 文件处理单; its opinions read back from the bag in order."""
    from tests.pubhelpers import set_agency
    from webapp.archives.bag import extract_bag_zip
    from webapp.services import transfers

    with app.app_context():
        d = run_the_whole_chain(cast, disclosure="not_public", disclosure_reason="内部事务",
                                legal_basis_codes=["art16"])
        set_agency(cast["admin"])
        transfers.save_archive_settings(user(cast["admin"]), "Z109", "BGS", "Y")
        transfers.file_document(d, user(cast["archivist"]), "D30")
        folder = extract_bag_zip(files.latest(d, "archive_package").data, tmp_path)
        filed = files.latest(d, "processing_sheet").data
    sheet = (folder / "data" / "发文稿纸.docx").read_bytes()
    assert sheet == filed
    assert {p.name for p in (folder / "data").iterdir()} >= {"正本.docx", "定稿.html", "文件处理单.docx", "发文稿纸.docx"}
    history = tables(sheet)[1]
    assert [row[5] for row in history[1:]][-3:] == ["已修改，同意。", "同意，经费已落实。", "同意印发。"]
