"""The annual report (R12, issue 12) from the records: a fixture year with every cell of tables
二–四 computed by hand (tests/reportdata.py), on SQLite and PostgreSQL; hand entries and their
checks; the .docx read back with the labels of ../shared/REFERENCE.md §2; the report as an
ordinary 公文 through the chain."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from decimal import Decimal

import docx
import pytest
from sqlalchemy import select

from tests import reportdata
from tests.conftest import post
from tests.helpers import act, doc, user
from webapp import annual_report as rules
from webapp import clock
from webapp.docgen.annual_report import report_paragraphs, report_tables
from webapp.extensions import db
from webapp.models import AnnualReport, AnnualReportEntry, AuditEvent, Document, StoredFile
from webapp.services import annual_report as reports
from webapp.services.errors import Invalid
from webapp.workflow import Action, Role

YEAR = reportdata.YEAR
NOW = datetime(2026, 1, 10, 2, 0, tzinfo=UTC)


@pytest.fixture
def cast(people):
    return {
        "office": people.user("office", Role.OFFICE, Role.DRAFTER, department="办公室", name="陈静"),
        "office2": people.user("office2", Role.OFFICE, department="办公室", name="吴敏"),
        "leader": people.user("leader", Role.LEADER, department="办公室", name="赵阳"),
        "drafter": people.user("drafter", Role.DRAFTER, name="张丽"),
        "handler": people.user("handler", Role.HANDLER, department="办公室", name="钱进"),
    }


@pytest.fixture
def year(app, cast):
    with app.app_context():
        ids = reportdata.seed(cast["drafter"])
    with clock.frozen(NOW):
        yield ids


def test_every_cell_of_tables_two_to_four_equals_the_hand_computed_value(app, year):
    with app.app_context():
        v = reports.view(YEAR)
        expected = reportdata.expected_cells()
        wrong = {k: (v.figures.get(k), n) for k, n in expected.items() if v.figures.get(k) != n}
        assert wrong == {}
        assert len(expected) == 3 + 25 * 7 + 15  # every cell of 二 (computed), 三 (25 rows × 7) and 四
        assert v.problems == []
        assert (v.computed.fees_yuan, v.computed.fee_applications) == (reportdata.FEES_YUAN,
                                                                      reportdata.FEE_APPLICATIONS)


def test_each_number_lists_exactly_the_records_it_counts(app, year):
    with app.app_context():
        v = reports.view(YEAR)
        docs = {i: k for k, i in year.items() if k.startswith("D")}
        apps = {i: k for k, i in year.items() if k.startswith("A")}
        cases = {"t2.normative.issued": {"D1", "D2"}, "t2.normative.repealed": {"D2"},
                 "t2.normative.in_force": {"D1", "D3", "D5", "D7"}, "t3.carried.person": {"A1", "A12"},
                 "t3.carry_next.total": {"A7", "A8", "A9"}, "t3.results_total.person": {"A1", "A3", "A4", "A10", "A12"},
                 "t4.reconsideration.total": {"A4", "A6"}, "t4.litigation_direct.pending": {"A5"}}
        for cell, keys in cases.items():
            found = reports.records(YEAR, cell)
            rows, names = (found.documents, docs) if found.kind == "documents" else (found.applications, apps)
            assert {names[r.id] for r in rows} == keys, cell
            assert len(rows) == v.figures[cell], cell


def _open(app, cast):
    with app.app_context():
        return reports.open_report(YEAR, user(cast["office"])).version


def _entries(client, values: dict[str, str], version: int, makes_rules: bool = False):
    data = {k.replace(".", "__"): v for k, v in values.items()}
    data["version"] = str(version)
    if makes_rules:
        data["makes_rules"] = "y"
    return post(client, f"/annual-report/{YEAR}/entries", data)


def _report(app) -> AnnualReport:
    with app.app_context():
        db.session.expire_all()
        r = db.session.execute(select(AnnualReport).where(AnnualReport.year == YEAR)).scalar_one()
        db.session.expunge(r)
        return r


def test_hand_entries_are_saved_with_who_and_an_inconsistent_one_is_refused_naming_the_cell(app, cast, year, people):
    version = _open(app, cast)
    office = people.client("office")
    resp = _entries(office, {"t2.permit.decisions": "12", "t2.penalty.decisions": "3", "t2.enforcement.decisions": "0",
                             "t2.fees.amount": "1.5"}, version)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    with app.app_context():
        entries = {e.cell: e for e in db.session.execute(select(AnnualReportEntry)).scalars()}
        assert {c: e.value for c, e in entries.items()} == {"t2.permit.decisions": "12", "t2.penalty.decisions": "3",
                                                           "t2.enforcement.decisions": "0", "t2.fees.amount": "1.5"}
        assert {e.entered_by_name for e in entries.values()} == {"陈静"}
        ev = db.session.execute(select(AuditEvent).where(AuditEvent.action == "report_save_entries")).scalar_one()
        assert ev.details["changes"]["t2.permit.decisions"] == ["", "12"]
        v = reports.view(YEAR)
        assert v.figures["t2.permit.decisions"] == 12 and v.figures["t2.fees.amount"] == Decimal("1.5")

    # one more application on paper, received in the year, not balanced by a result: refused
    version = _report(app).version
    resp = _entries(office, {"t2.permit.decisions": "12", "t3.new.person": "1"}, version)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "表三 第三项（七）总计 · 自然人：第一项加第二项之和（6）应当等于第三项加第四项之和（5），相差 1。" in body
    assert "表三 第三项（七）总计 · 总计" in body
    assert 'value="1"' in body  # what was typed is kept
    with app.app_context():
        assert db.session.execute(select(AnnualReportEntry).where(AnnualReportEntry.cell == "t3.new.person")) \
            .scalar_one_or_none() is None
        assert db.session.execute(select(AnnualReportEntry).where(AnnualReportEntry.cell == "t2.penalty.decisions")) \
            .scalar_one().value == "3"  # nothing of the refused form was saved

    # balanced by its result (予以公开): saved, and both cells now count it
    resp = _entries(office, {"t2.permit.decisions": "12", "t2.penalty.decisions": "3", "t2.enforcement.decisions": "0",
                             "t2.fees.amount": "1.5", "t3.new.person": "1", "t3.public.person": "1"}, version)
    assert resp.status_code == 302
    with app.app_context():
        v = reports.view(YEAR)
        assert v.figures["t3.new.person"] == 4 and v.figures["t3.public.person"] == 2
        assert v.figures["t3.results_total.total"] == 9 and v.problems == []


@pytest.mark.parametrize("cell,value,message", [
    ("t2.permit.decisions", "-1", "表二 第二十条第（五）项 行政许可 · 本年处理决定数量：请填写不小于 0 的整数。"),
    ("t2.fees.amount", "1.23456", "本年收费金额（单位：万元）：请填写不小于 0 的金额"),
    ("t2.fees.amount", "１２", "本年收费金额（单位：万元）：请填写不小于 0 的金额"),
    ("t3.carried.other_org", "abc", "表三 第二项 · 其他：补录数请填写整数"),
    ("t4.reconsideration.upheld", "-5", "表四 行政复议 · 结果维持：数值不能为负数（现为 -4）。"),
])
def test_bad_hand_entries_are_refused_next_to_their_cell(app, cast, year, people, cell, value, message):
    version = _open(app, cast)
    resp = _entries(people.client("office"), {cell: value}, version)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert message in body
    assert 'class="field-error"' in body
    with app.app_context():
        assert db.session.execute(select(AnnualReportEntry)).first() is None


def test_the_rules_row_is_hand_entered_only_when_the_agency_makes_rules(app, cast, year, people):
    version = _open(app, cast)
    office = people.client("office")
    page = office.get(f"/annual-report/{YEAR}").get_data(as_text=True)
    assert re.search(r"<th scope=\"col\">规章</th>\s*<td class=\"num muted\">—</td>", page)
    assert _entries(office, {"t2.rules.issued": "2"}, version).status_code == 302
    with app.app_context():
        assert reports.view(YEAR).figures["t2.rules.issued"] == 0  # ignored while the switch is off
    assert _entries(office, {"t2.rules.issued": "2", "t2.rules.in_force": "7"}, _report(app).version,
                    makes_rules=True).status_code == 302
    with app.app_context():
        v = reports.view(YEAR)
        assert (v.makes_rules, v.figures["t2.rules.issued"], v.figures["t2.rules.in_force"]) == (True, 2, 7)


def test_the_text_is_prefilled_with_the_figures_and_sanitised(app, cast, year, people):
    _open(app, cast)
    r = _report(app)
    assert "主动公开政府信息 0 件" in r.overview_html
    assert "制发行政规范性文件 2 件，废止 1 件，现行有效 4 件" in r.overview_html
    assert "本年新收政府信息公开申请 8 件，上年结转 3 件，办结 8 件，结转下年度继续办理 3 件" in r.overview_html
    assert "行政复议 2 件、行政诉讼 2 件" in r.overview_html
    assert "收取信息处理费，合计 300 元（0.03 万元）" in r.other_html
    resp = post(people.client("office"), f"/annual-report/{YEAR}/text", {
        "version": r.version, "recipients": "市人民政府办公室",
        "overview_html": '<p onclick="x()">总体<script>alert(1)</script>情况</p>', "problems_html": "<p>问题</p>",
        "other_html": r.other_html})
    assert resp.status_code == 302
    r = _report(app)
    assert r.overview_html == "<p>总体情况</p>" and r.recipients == "市人民政府办公室"


def test_the_docx_reads_back_with_the_templates_exact_labels(app, cast, year, people):
    _open(app, cast)
    resp = people.client("leader").get(f"/annual-report/{YEAR}/report.docx")
    assert resp.status_code == 200 and resp.mimetype.endswith("wordprocessingml.document")
    data = resp.data
    paragraphs = report_paragraphs(data)
    # REFERENCE.md §2: the six sections, verbatim
    for section in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert section in paragraphs
    t2, t3, t4 = report_tables(data)
    # table 二: 信息内容 × 本年制发件数 | 本年废止件数 | 现行有效件数, rows 规章 and 行政规范性文件
    assert t2[0] == ["第二十条第（一）项"] * 4
    assert t2[1] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert t2[2] == ["规章", "—", "—", "—"]
    assert t2[3] == ["行政规范性文件", "2", "1", "4"]
    assert t2[4] == ["第二十条第（五）项"] * 4 and t2[5] == ["信息内容"] + ["本年处理决定数量"] * 3
    assert [r[0] for r in t2[6:]] == ["行政许可", "第二十条第（六）项", "信息内容", "行政处罚", "行政强制",
                                       "第二十条第（八）项", "信息内容", "行政事业性收费"]
    assert t2[-2][1] == "本年收费金额（单位：万元）"
    # table 三: the corner note, the applicant columns, every row label
    assert t3[0][0] == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert t3[0][3:] == ["申请人情况"] * 7
    assert t3[1][3:] == ["自然人"] + ["法人或其他组织"] * 5 + ["总计"]
    assert t3[2][3:] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    labels = [" ".join(dict.fromkeys(r[:3])) for r in t3[3:]]
    assert labels == [
        "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
        "三、本年度办理结果 （一）予以公开", "三、本年度办理结果 （二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        *(f"三、本年度办理结果 （三）不予公开 {x}" for x in (
            "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
            "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项")),
        *(f"三、本年度办理结果 （四）无法提供 {x}" for x in (
            "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")),
        *(f"三、本年度办理结果 （五）不予处理 {x}" for x in (
            "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
            "5.要求行政机关确认或重新出具已获取信息")),
        *(f"三、本年度办理结果 （六）其他处理 {x}" for x in (
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他")),
        "三、本年度办理结果 （七）总计", "四、结转下年度继续办理",
    ]
    expected = reportdata.expected_cells()
    for r, row in zip(rules.T3_ROWS, t3[3:], strict=True):
        assert row[3:] == [str(expected[f"t3.{r.key}.{c}"]) for c, _, _ in rules.T3_COLUMNS], r.key
    # table 四: 行政复议 {5} | 行政诉讼 → 未经复议直接起诉 {5} + 复议后起诉 {5}
    five = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert t4[0] == ["行政复议"] * 5 + ["行政诉讼"] * 10
    assert t4[1] == five + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5
    assert t4[2] == five + five + five
    assert t4[3] == ["1", "0", "1", "0", "2", "0", "0", "0", "1", "1", "0", "1", "0", "0", "1"]
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)  # GB/T 9704 margins


def test_the_report_goes_through_the_ordinary_chain_as_a_public_report(app, cast, year, people):
    version = _open(app, cast)
    office = people.client("office")
    resp = post(office, f"/annual-report/{YEAR}/draft", {"version": version})
    assert resp.status_code == 422 and "请先填写主送机关" in resp.get_data(as_text=True)
    r = _report(app)
    post(office, f"/annual-report/{YEAR}/text", {"version": r.version, "recipients": "市人民政府办公室",
                                                 "overview_html": r.overview_html, "problems_html": "<p>无</p>",
                                                 "other_html": r.other_html})
    resp = post(office, f"/annual-report/{YEAR}/draft", {"version": _report(app).version})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:1000]
    with app.app_context():
        d = db.session.execute(select(Document).where(Document.annual_report_year == YEAR)).scalar_one()
        assert (d.doc_type, d.disclosure, d.stage, d.drafter_id) == ("报告", "public", "draft", cast["office"])
        assert d.title.endswith(f"{YEAR}年政府信息公开工作年度报告")
        assert "<h2>三、收到和处理政府信息公开申请情况</h2>" in d.body_html and 'rowspan="8"' in d.body_html
        files = db.session.execute(select(StoredFile).where(StoredFile.document_id == d.id)).scalars().all()
        assert [f.filename for f in files] == [f"本机关{YEAR}年政府信息公开工作年度报告.docx"]
        doc_id = d.id
        assert reports.report_status(YEAR).state == "writing"
        act(doc_id, cast["office"], Action.SUBMIT)
        assert reports.report_status(YEAR).state == "in_chain"
        with pytest.raises(Invalid, match="已送审"):  # frozen while in the chain
            reports.save_text(YEAR, user(cast["office"]), "<p>改</p>", "", "", "x", _report(app).version)
        act(doc_id, cast["office2"], Action.APPROVE)  # the office's review (not by its drafter)
        act(doc_id, cast["leader"], Action.APPROVE)  # 签发
        assert doc(doc_id).stage == "approved"
        s = reports.report_status(YEAR)
        assert (s.state, s.label, s.due.isoformat(), s.days_left) == ("approved", "已签发", "2026-01-31", 21)


def test_the_office_cannot_review_its_own_report_draft(app, cast, year, people):
    from webapp.workflow import MoveRefused  # noqa: F401 - the chain's own rule applies unchanged

    version = _open(app, cast)
    with app.app_context():
        r = reports.get_report(YEAR)
        reports.save_text(YEAR, user(cast["office"]), r.overview_html, "", r.other_html, "市政府办公室", version)
        d = reports.make_draft(YEAR, user(cast["office"]), reports.get_report(YEAR).version)
        act(d.id, cast["office"], Action.SUBMIT)
        with pytest.raises(Exception, match="起草"):
            act(d.id, cast["office"], Action.APPROVE)


def test_status_before_the_report_is_opened(app, cast):
    with app.app_context(), clock.frozen(datetime(2026, 2, 3, 2, 0, tzinfo=UTC)):
        s = reports.report_status(2025)
        assert (s.state, s.label, s.days_left) == ("not_started", "未开始", -3)


def publish_report(cast: dict, admin: int, publisher: int) -> int:
    """The year's report through the whole ordinary chain to 已发布 (in an app context)."""
    from tests.pubhelpers import set_agency
    from webapp.services import deid_review, issuing, publication

    set_agency(admin)
    version = reports.open_report(YEAR, user(cast["office"])).version
    r = reports.get_report(YEAR)
    reports.save_text(YEAR, user(cast["office"]), r.overview_html, "<p>无</p>", r.other_html, "市人民政府办公室",
                      version)
    d = reports.make_draft(YEAR, user(cast["office"]), reports.get_report(YEAR).version).id
    act(d, cast["office"], Action.SUBMIT)
    act(d, cast["office2"], Action.APPROVE)
    act(d, cast["leader"], Action.APPROVE)
    code = issuing.save_code(None, "示应急办", "示范市应急管理局文件", "示范市应急管理局", "示范市应急管理局办公室")
    day = issuing.default_written_date(doc(d))
    issuing.issue_document(d, user(cast["office2"]), doc(d).version, issuing.IssueInput(code.id, day, day))
    for f in deid_review.findings_of(d):
        deid_review.decide(d, f.id, user(publisher), "mask")
    deid_review.confirm(d, user(publisher), doc(d).version)
    publication.publish(d, user(publisher), doc(d).version)
    return d


def test_the_published_report_is_pushed_for_the_portals_annual_report_column(app, cast, year, people):
    from gkt_protocol import parse_publication
    from tests.pubhelpers import body_of, outbox_rows

    admin = people.user("admin", Role.ADMIN, department="办公室")
    publisher = people.user("publisher", Role.PUBLISHER, department="办公室")
    with app.app_context():
        d = publish_report(cast, admin, publisher)
        assert reports.report_status(YEAR).state == "published"
        (row,) = outbox_rows(d)
        message = body_of(row)
        assert message["column"] == "annual_report"
        assert message["title"] == f"河南省应急管理厅{YEAR}年政府信息公开工作年度报告"
        assert "四、政府信息公开行政复议、行政诉讼情况" in message["body_html"]
        assert parse_publication(message).column == "annual_report"  # what the portal reads
        other = outbox_rows()
        assert all(body_of(o).get("column", "") == "" for o in other if o.document_id != d)


def test_making_the_draft_again_brings_it_up_to_date(app, cast, year, people):
    version = _open(app, cast)
    with app.app_context():
        office = user(cast["office"])
        r = reports.get_report(YEAR)
        reports.save_text(YEAR, office, r.overview_html, "<p>第一稿</p>", r.other_html, "市政府办公室", version)
        first = reports.make_draft(YEAR, office, reports.get_report(YEAR).version).id
        reports.save_text(YEAR, office, r.overview_html, "<p>第二稿</p>", r.other_html, "市政府办公室",
                          reports.get_report(YEAR).version)
        again = reports.make_draft(YEAR, office, reports.get_report(YEAR).version).id
        assert again == first
        d = doc(first)
        assert "第二稿" in d.body_html and "第一稿" not in d.body_html
        files = db.session.execute(select(StoredFile).where(StoredFile.document_id == first)).scalars().all()
        assert len(files) == 1 and "第二稿" in "\n".join(report_paragraphs(files[0].data))
        with pytest.raises(Exception, match="起草人"):  # another office user may not rewrite it
            reports.make_draft(YEAR, user(cast["office2"]), reports.get_report(YEAR).version)


def test_the_issued_report_keeps_table_threes_merged_head(app, cast, year, people):
    """As issued (印发), the official .docx merges table 三's head like the report's own .docx (REFERENCE.md §2)."""
    from webapp.services import files

    admin = people.user("admin", Role.ADMIN, department="办公室")
    publisher = people.user("publisher", Role.PUBLISHER, department="办公室")
    with app.app_context():
        d = publish_report(cast, admin, publisher)
        issued = docx.Document(io.BytesIO(files.latest(d, "official").data))
        own = report_tables(reports.docx_of(YEAR)[1])
    table = issued.tables[1]
    head = [[c.text for c in r.cells] for r in table.rows[:3]]
    assert head == [row for row in own[1][:3]]
    assert head[0][3:] == [rules.T3_HEAD] * 7 and head[2][3:] == [
        "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert head[1][4:9] == ["法人或其他组织"] * 5 and head[0][0] == rules.T3_CORNER
    assert table.cell(0, 3)._tc is table.cell(0, 9)._tc  # 申请人情况: one cell over seven columns
    assert table.cell(1, 4)._tc is table.cell(1, 8)._tc  # 法人或其他组织 over its five
    assert table.cell(1, 3)._tc is table.cell(2, 3)._tc and table.cell(1, 9)._tc is table.cell(2, 9)._tc
    assert len({c._tc for r in table.rows[:3] for c in r.cells}) == 1 + 1 + 3 + 5  # corner, head, 3 + 5 below
