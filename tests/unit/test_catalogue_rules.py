"""The catalogue's rules (issue 15): 公开时限 read as something the product computes, and the
spreadsheet layout read back with openpyxl — real .xlsx files, problems by row and column."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from webapp import catalogue as c


@pytest.mark.parametrize("text, kind, days, working_days", [
    ("信息形成或变更之日起20个工作日内", "working_days", 20, 20),
    ("信息形成或变更之日起 7 个工作日内", "working_days", 7, 7),
    ("自信息形成之日起十五个工作日内", "working_days", 15, 15),
    ("５个工作日内", "working_days", 5, 5),
    ("实时", "realtime", None, 1),
    ("每季度", "quarterly", None, 20),
    ("每年1月31日前", "yearly", None, 20),
    ("", "unspecified", None, 20),
])
def test_time_limit_is_a_rule_the_product_computes(text, kind, days, working_days):
    limit = c.parse_time_limit(text)
    assert (limit.kind, limit.days, limit.publication_working_days) == (kind, days, working_days)


@pytest.mark.parametrize("text", ["10日内", "0个工作日内", "400个工作日内", "尽快"])
def test_time_limit_the_product_cannot_compute_is_refused_in_chinese(text):
    with pytest.raises(c.TimeLimitError) as exc:
        c.parse_time_limit(text)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc.value))


def test_deadline_explanation_names_the_item():
    words = c.deadline_explanation("行政处罚结果", c.parse_time_limit("信息形成或变更之日起7个工作日内"))
    assert "行政处罚结果" in words and "7 个工作日" in words
    assert "20 个工作日" in c.deadline_explanation("工作动态", c.parse_time_limit("每季度"))


def test_seed_first_level_items_are_the_ones_the_seeds_name():
    assert c.SEED_FIRST_LEVEL["安全生产"] == ("政策文件", "依法行政", "行政管理", "公共服务", "重点领域信息公开")
    assert c.SEED_FIRST_LEVEL["救灾"] == ("政策文件", "备灾管理", "灾后救助", "款物管理", "工作动态")


def _xlsx(rows, header=c.HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


ROW = ("救灾", "灾后救助", "过渡期生活救助", "救助对象、标准", "《自然灾害救助条例》第十九条",
       "信息形成或变更之日起20个工作日内", "县级应急管理部门", "政府网站、公开栏", "全社会", "主动", "县级、乡级")


def test_written_sheet_reads_back_the_same():
    rows = [dict(zip([col.attr for col in c.COLUMNS], ROW, strict=True))]
    data = c.write_sheet(rows)
    assert load_workbook(io.BytesIO(data)).active["C2"].value == "过渡期生活救助"
    sheet = c.read_sheet(data)
    assert sheet.problems == []
    assert sheet.rows[0].key == ("救灾", "灾后救助", "过渡期生活救助")
    assert sheet.rows[0].elements() == {k: v for k, v in rows[0].items() if k in c.ELEMENTS}


def test_malformed_rows_are_reported_by_row_and_column_and_none_kept():
    bad = list(ROW)
    bad[2] = ""
    worse = list(ROW)
    worse[2], worse[9], worse[5] = "另一事项", "公开", "10日内"
    sheet = c.read_sheet(_xlsx([ROW, bad, worse, ROW]))
    messages = [str(p) for p in sheet.problems]
    assert sheet.rows == []
    assert "第 3 行“二级事项”列：不能为空。" in messages
    assert any(m.startswith("第 4 行“公开方式”列") for m in messages)
    assert any(m.startswith("第 4 行“公开时限”列") for m in messages)
    assert "第 5 行“二级事项”列：与第 2 行重复。" in messages


def test_wrong_header_extra_columns_and_oversized_cells():
    assert "表头" in str(c.read_sheet(_xlsx([ROW], header=("名称", "内容"))).problems[0])
    sheet = c.read_sheet(_xlsx([(*ROW, "多余")]))
    assert [str(p) for p in sheet.problems] == ["第 2 行“L”列：超出目录的列，请删除。"]
    long = list(ROW)
    long[3] = "要" * 2001
    assert "不能超过 2000 字" in str(c.read_sheet(_xlsx([long])).problems[0])


def test_not_a_workbook_and_too_big_are_refused():
    assert "无法读取" in str(c.read_sheet(b"PK\x03\x04 not really").problems[0])
    assert "超过" in str(c.read_sheet(b"0" * (c.MAX_FILE_BYTES + 1)).problems[0])


def test_row_limit_is_bounded():
    sheet = c.read_sheet(_xlsx([(ROW[0], ROW[1], f"事项{i}") for i in range(c.MAX_ROWS + 5)]))
    assert sheet.rows == []
    assert f"最多 {c.MAX_ROWS} 行" in str(sheet.problems[-1])


def test_mode_mismatch():
    assert c.mode_mismatch("主动", "not_public")
    assert c.mode_mismatch("依申请", "public")
    assert c.mode_mismatch("主动", "public") is None
    assert c.mode_mismatch("", "not_public") is None


def test_the_chain_names_the_unconfirmed_mismatch_as_a_condition_of_passing_review():
    from webapp.workflow import Action, DocumentFacts, Stage, move_problems

    blocked = DocumentFacts(Stage.OFFICE_REVIEW, 1, False, "not_public", catalogue_mismatch_unconfirmed=True)
    assert move_problems(blocked, Action.APPROVE) and "确认" in move_problems(blocked, Action.APPROVE)[0]
    assert move_problems(blocked, Action.RETURN) == []  # returning is always possible
    assert move_problems(DocumentFacts(Stage.OFFICE_REVIEW, 1, False, "not_public"), Action.APPROVE) == []
    at_leader = DocumentFacts(Stage.LEADER_APPROVAL, 1, False, "public", catalogue_mismatch_unconfirmed=True)
    assert move_problems(at_leader, Action.APPROVE)
