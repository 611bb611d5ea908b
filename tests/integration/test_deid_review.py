"""R8: personal data is de-identified, and a publisher confirms every finding, before
anything can be published ("先审查、后发布", "一事一审")."""

import io
import re
import zipfile

import pytest
from sqlalchemy import select

from tests.conftest import post
from tests.helpers import act, doc, submitted, user
from webapp.docgen import document_text
from webapp.extensions import db
from webapp.models import AuditEvent, DeidFinding
from webapp.services import deid_review, files, issuing
from webapp.services.errors import Forbidden, Invalid
from webapp.workflow import Action, Stage

BODY = ("<p>一、救助对象</p><p>申请人张三，身份证号110101199003074514，联系电话13812345678，"
        "住河南省郑州市金水区经三路12号院3号楼2单元501室。</p>"
        "<table><tr><td>姓名</td><td>银行卡号</td></tr><tr><td>李四</td><td>6222021234567890128</td></tr></table>"
        "<p>联系人：王五，电话0371-65901234。</p>")
INTERP = "<p>本政策由王六同志负责解读，邮箱wangliu@example.com。</p>"
ORIGINALS = ["张三", "110101199003074514", "13812345678", "经三路12号院3号楼2单元501室", "李四",
             "6222021234567890128", "wangliu@example.com"]


def issued_public_doc(cast, **kw) -> int:
    with_code = issuing.active_codes() or [issuing.save_code(
        None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅", "河南省应急管理厅办公室")]
    d = submitted(cast["drafter"], body_html=kw.pop("body_html", BODY), needs_interpretation=True,
                  interpretation_html=INTERP, **kw)
    act(d, cast["office"], Action.APPROVE)
    act(d, cast["leader"], Action.APPROVE)
    day = issuing.default_written_date(doc(d))
    issuing.issue_document(d, user(cast["office"]), doc(d).version, issuing.IssueInput(with_code[0].id, day, day))
    return d


@pytest.fixture
def ctx(app, chain_cast):
    with app.app_context():
        chain_cast["doc"] = issued_public_doc(chain_cast)
        yield chain_cast


def scan(ctx):
    """Issuing a 主动公开 document already ran the engine; the findings wait for the publisher."""
    assert doc(ctx["doc"]).deid_scanned_at is not None
    return deid_review.findings_of(ctx["doc"])


def test_the_engine_covers_title_body_tables_and_interpretation(ctx):
    found = {(f.field, f.kind, f.text) for f in scan(ctx)}
    assert ("body", "person_name", "张三") in found
    assert ("body", "id_card", "110101199003074514") in found
    assert ("body", "mobile", "13812345678") in found
    assert ("body", "person_name", "李四") in found  # in a table under 姓名
    assert ("body", "bank_card", "6222021234567890128") in found
    assert ("body", "landline", "0371-65901234") in found
    assert ("interpretation", "email", "wangliu@example.com") in found
    assert any(f == "body" and k == "address" for f, k, _ in found)


def test_confirming_is_refused_until_every_finding_is_decided(ctx):
    findings = scan(ctx)
    pub = user(ctx["publisher"])
    for f in findings[:-1]:
        deid_review.decide(ctx["doc"], f.id, pub, "mask")
    with pytest.raises(Invalid, match=rf"还有 1 处个人信息未确认（已确认 {len(findings) - 1} / {len(findings)}）"):
        deid_review.confirm(ctx["doc"], pub, doc(ctx["doc"]).version)
    assert doc(ctx["doc"]).stage == Stage.DEID_REVIEW and doc(ctx["doc"]).public_body_html is None
    assert files.latest(ctx["doc"], "public") is None


def test_keeping_needs_a_reason(ctx):
    f = scan(ctx)[0]
    with pytest.raises(Invalid, match="须写明理由"):
        deid_review.decide(ctx["doc"], f.id, user(ctx["publisher"]), "keep", "  ")
    deid_review.decide(ctx["doc"], f.id, user(ctx["publisher"]), "keep", "本单位公开的工作联系人")
    assert db.session.get(DeidFinding, f.id).keep_reason == "本单位公开的工作联系人"


def test_only_a_publisher_decides(ctx):
    with pytest.raises(Forbidden):
        deid_review.load_for_review(ctx["doc"], user(ctx["office"]))
    f = scan(ctx)[0]
    with pytest.raises(Forbidden):
        deid_review.decide(ctx["doc"], f.id, user(ctx["office"]), "mask")


def test_the_public_copy_and_docx_hold_no_masked_original(ctx):
    pub = user(ctx["publisher"])
    findings = scan(ctx)
    wang = next(f for f in findings if f.text == "王五")
    for f in findings:
        if f.id == wang.id:
            deid_review.decide(ctx["doc"], f.id, pub, "keep", "本单位公开的工作联系人")
        else:
            deid_review.decide(ctx["doc"], f.id, pub, "mask")
    confirmed = deid_review.confirm(ctx["doc"], pub, doc(ctx["doc"]).version)
    assert confirmed.stage == Stage.READY
    public_html = confirmed.public_body_html + (confirmed.public_interpretation_html or "")
    for original in ORIGINALS:
        assert original not in public_html, original
    assert "张某" in public_html and "138****5678" in public_html and "王五" in public_html  # kept, with a reason
    assert "<table>" in public_html  # the markup survives masking
    for kind in ("public", "public_interpretation"):
        data = files.latest(ctx["doc"], kind).data
        with zipfile.ZipFile(io.BytesIO(data)) as z:  # every part, metadata included
            xml = "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
        for original in ORIGINALS:
            assert original not in xml, (kind, original)
    assert "138****5678" in document_text(files.latest(ctx["doc"], "public").data)
    assert "13812345678" in doc(ctx["doc"]).body_html  # the internal copy is untouched
    actions = [e.action for e in db.session.execute(select(AuditEvent).where(
        AuditEvent.document_id == ctx["doc"])).scalars()]
    assert actions.count("deid_decide") == len(findings) and actions[-1] == "confirm_deid"


def test_two_people_of_one_surname_become_jia_and_yi(app, chain_cast):
    with app.app_context():
        d = issued_public_doc(chain_cast, body_html="<p>申请人王大明与王小红均已签字，申请人王大明已领取。</p>",
                              title="王氏救助公示")
        pub = user(chain_cast["publisher"])
        for f in deid_review.findings_of(d):
            deid_review.decide(d, f.id, pub, "mask")
        body = deid_review.confirm(d, pub, doc(d).version).public_body_html
        assert body.count("王某甲") == 2 and body.count("王某乙") == 1


def test_manual_marks_cover_every_occurrence(ctx):
    scan(ctx)
    with pytest.raises(Invalid, match="已被标记"):  # inside the address the engine found
        deid_review.add_by_hand(ctx["doc"], user(ctx["publisher"]), "*", "经三路", "address")
    with pytest.raises(Invalid):
        deid_review.add_by_hand(ctx["doc"], user(ctx["publisher"]), "*", "文中没有的字", "person_name")
    n = deid_review.add_by_hand(ctx["doc"], user(ctx["publisher"]), "*", "救助对象", "person_name")
    assert n == 1
    marked = [f for f in deid_review.findings_of(ctx["doc"]) if f.text == "救助对象"]
    assert marked[0].decision == "mask" and marked[0].source == "manual"


def test_nothing_reaches_ready_without_confirmation(ctx):
    from webapp.services import chain

    with pytest.raises(Invalid, match="个人信息未确认"):
        deid_review.confirm(ctx["doc"], user(ctx["publisher"]), doc(ctx["doc"]).version)
    with pytest.raises(Forbidden):  # the decision form cannot jump the step either
        chain.move(ctx["doc"], user(ctx["office"]), Action.CONFIRM_DEID, doc(ctx["doc"]).version)


def test_the_review_page_through_htmx(app, chain_cast, people):
    with app.app_context():
        d = issued_public_doc(chain_cast)
    c = people.client("publisher")
    assert "审查个人信息" in c.get("/publishing/").get_data(as_text=True)
    page = c.get(f"/publishing/{d}").get_data(as_text=True)
    total = int(re.search(r"已确认 0 / (\d+)", page).group(1))
    ids = re.findall(r'id="finding-(\d+)"', page)
    assert len(ids) == total >= 8
    frag = post(c, f"/publishing/{d}/findings/{ids[0]}", {"decision": "mask"}, htmx=True).get_data(as_text=True)
    assert f"已确认 1 / {total}" in frag and "<html" not in frag
    keep_form = c.get(f"/publishing/{d}?keep={ids[1]}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "保留原文的理由（必填）" in keep_form
    refused = post(c, f"/publishing/{d}/findings/{ids[1]}", {"decision": "keep", "keep_reason": ""}, htmx=True)
    assert refused.status_code == 422 and "须写明理由" in refused.get_data(as_text=True)
    early = post(c, f"/publishing/{d}/confirm", {"version": 0}, htmx=True)
    assert early.status_code in (409, 422)
    for fid in ids[1:]:
        post(c, f"/publishing/{d}/findings/{fid}", {"decision": "mask"}, htmx=True)
    added = post(c, f"/publishing/{d}/findings", {"field": "body", "text": "救助对象", "kind": "person_name"}, htmx=True)
    assert f"已确认 {total + 1} / {total + 1}" in added.get_data(as_text=True)
    with app.app_context():
        version = doc(d).version
    done = post(c, f"/publishing/{d}/confirm", {"version": version}, htmx=True)
    assert done.status_code == 204 and done.headers["HX-Redirect"] == f"/documents/{d}"
    page = c.get(f"/documents/{d}").get_data(as_text=True)
    assert "待发布" in page and "公开版（.docx，已去标识化）" in page


def _xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "联系电话", "救助金额（元）"])
    ws.append(["赵六", "110101199003074514", 13912345678, 1200])
    ws.append(["孙七", "11010519491231002X", "13712345678", 800])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _docx_attachment() -> bytes:
    import docx as python_docx

    d = python_docx.Document()
    d.add_paragraph("附件1：受助人员名单说明")
    d.add_paragraph("受助人周八，手机号码13612345678。")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_docx_and_xlsx_attachments_are_scanned_others_need_an_eye_check(app, chain_cast):
    from webapp.services import drafting

    with app.app_context():
        code = issuing.save_code(None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅", "河南省应急管理厅办公室")
        from tests.helpers import new_draft

        d = new_draft(chain_cast["drafter"], body_html="<p>救助名单见附件。</p>")
        drafter = user(chain_cast["drafter"])
        drafting.add_attachment(d, drafter, "救助名单.xlsx", _xlsx())
        drafting.add_attachment(d, drafter, "名单说明.docx", _docx_attachment())
        drafting.add_attachment(d, drafter, "签收表扫描件.pdf", b"%PDF-1.4 scanned signatures\n%%EOF\n")
        act(d, chain_cast["drafter"], Action.SUBMIT)
        act(d, chain_cast["office"], Action.APPROVE)
        act(d, chain_cast["leader"], Action.APPROVE)
        day = issuing.default_written_date(doc(d))
        issuing.issue_document(d, user(chain_cast["office"]), doc(d).version, issuing.IssueInput(code.id, day, day))
        # The 正式文件 carries its 附件 after the body (GB/T 9704 7.3.8): the attached .docx in
        # full, the other files named where they are.
        from webapp.docgen import document_text

        official = document_text(files.latest(d, "official").data)
        assert "附件2" in official and "受助人周八，手机号码13612345678。" in official
        assert "救助名单.xlsx" in official and "签收表扫描件.pdf" in official
        pub = user(chain_cast["publisher"])
        found = {(f.field.split(":")[0], f.kind, f.text) for f in deid_review.findings_of(d)}
        assert ("attachment", "person_name", "赵六") in found and ("attachment", "mobile", "13912345678") in found
        assert ("attachment", "id_card", "11010519491231002X") in found
        assert ("attachment", "person_name", "周八") in found and ("attachment", "mobile", "13612345678") in found
        for f in deid_review.findings_of(d):
            deid_review.decide(d, f.id, pub, "mask")
        with pytest.raises(Invalid, match="附件尚未目视检查：签收表扫描件.pdf"):
            deid_review.confirm(d, pub, doc(d).version)
        pdf = deid_review.eye_check_files(doc(d))[0]
        deid_review.mark_checked_by_eye(d, pdf.id, pub)
        deid_review.confirm(d, pub, doc(d).version)
        public_docx = document_text(files.latest(d, "public").data)
        assert "附件2" in public_docx and "受助人周某" in public_docx  # the masked attachment, carried
        assert "周八" not in public_docx and "13612345678" not in public_docx
        public = {f.filename: f.data for f in files.files_of(d, "public_attachment")}
        assert set(public) == {"救助名单.xlsx", "名单说明.docx", "签收表扫描件.pdf"}
        for name in ("救助名单.xlsx", "名单说明.docx"):
            with zipfile.ZipFile(io.BytesIO(public[name])) as z:
                xml = "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
            for original in ("赵六", "孙七", "110101199003074514", "13912345678", "13712345678", "周八", "13612345678"):
                assert original not in xml, (name, original)
        import openpyxl

        rows = [[c.value for c in r] for r in openpyxl.load_workbook(io.BytesIO(public["救助名单.xlsx"])).active.iter_rows()]
        assert rows[1][:3] == ["赵某", "110101********4514", "139****5678"] and rows[1][3] == 1200
        assert public["签收表扫描件.pdf"] == b"%PDF-1.4 scanned signatures\n%%EOF\n"


def test_attachments_are_refused_when_unsafe_and_only_while_editable(app, chain_cast):
    from tests.helpers import new_draft
    from webapp.services import drafting

    with app.app_context():
        d = new_draft(chain_cast["drafter"])
        drafter = user(chain_cast["drafter"])
        for name, data, message in (("病毒.exe", b"MZ", "只接受"), ("空.pdf", b"", "空文件"),
                                    ("坏表.xlsx", b"not a zip", "不是有效的 Excel"),
                                    ("旧格式.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "另存为 .docx")):
            with pytest.raises(Invalid, match=message):
                drafting.add_attachment(d, drafter, name, data)
        assert files.files_of(d, "attachment") == []
        act(d, chain_cast["drafter"], Action.SUBMIT)
        with pytest.raises(Forbidden):
            drafting.add_attachment(d, drafter, "晚到的.pdf", b"%PDF")


def test_the_review_page_changes_nothing_and_an_unscanned_document_is_scanned_by_post(app, chain_cast, people):
    with app.app_context():
        d = issued_public_doc(chain_cast)
        before = db.session.execute(select(AuditEvent.id)).all()
        dd = doc(d)
        for f in deid_review.findings_of(d):
            db.session.delete(f)
        dd.deid_scanned_at = None  # as if issued before the engine existed
        db.session.commit()
    c = people.client("publisher")
    page = c.get(f"/publishing/{d}").get_data(as_text=True)
    assert "该文件尚未检查个人信息" in page
    with app.app_context():
        assert deid_review.findings_of(d) == [] and len(db.session.execute(select(AuditEvent.id)).all()) == len(before)
    assert post(c, f"/publishing/{d}/scan", {}).status_code == 302
    with app.app_context():
        assert len(deid_review.findings_of(d)) >= 8
        assert db.session.execute(select(AuditEvent).order_by(AuditEvent.seq.desc())).scalars().first().action == "deid_scan"


def test_a_review_scanned_before_the_attachment_titles_were_read_is_scanned_again_keeping_its_decisions(
        app, chain_cast, people):
    """Migration 0022 marks open reviews unscanned: they were scanned before the review read the
    附件说明.  The publisher's scan adds the 附件说明's findings undecided and keeps every decision
    taken; confirming waits for them, and the public .docx lists the line masked."""
    with app.app_context():
        d = issued_public_doc(chain_cast, attachments_text="张三同志先进事迹材料")
        pub = user(chain_cast["publisher"])
        for f in deid_review.findings_of(d):
            if f.field == "attachments_text":
                db.session.delete(f)  # as scanned before the 附件说明 was read
            else:
                deid_review.decide(d, f.id, pub, "mask")
        db.session.commit()
        decided = len(deid_review.findings_of(d))
        doc(d).deid_scanned_at = None  # what 0022 does to an open review
        db.session.commit()
        with pytest.raises(Invalid, match="尚未完成个人信息检查"):
            deid_review.confirm(d, pub, doc(d).version)
    c = people.client("publisher")
    assert post(c, f"/publishing/{d}/scan", {}).status_code == 302
    page = c.get(f"/publishing/{d}").get_data(as_text=True)
    assert "<h2>附件说明</h2>" in page and "张某同志先进事迹材料" in page  # reviewed, and in the preview
    with app.app_context():
        pub = user(chain_cast["publisher"])
        found = deid_review.findings_of(d)
        assert [(f.text, f.decision) for f in found if f.field == "attachments_text"] == [("张三", None)]
        assert len(found) == decided + 1 and all(f.decision == "mask" for f in found if f.field != "attachments_text")
        with pytest.raises(Invalid, match="还有 1 处个人信息未确认"):
            deid_review.confirm(d, pub, doc(d).version)
        (new,) = [f for f in found if f.decision is None]
        deid_review.decide(d, new.id, pub, "mask")
        deid_review.confirm(d, pub, doc(d).version)
        assert doc(d).public_attachments == ["张某同志先进事迹材料"]
        text = document_text(files.latest(d, "public").data)
        assert "张某同志先进事迹材料" in text and "张三" not in text
