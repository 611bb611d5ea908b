"""Reply types, applicant types and fees as the annual report and 国办函〔2020〕109号 define them
(REFERENCE.md §2 table 三, §3); every reply type's letter read back with python-docx."""

from __future__ import annotations

from datetime import date

import pytest

from webapp.applications_flow import (
    APP_MOVES,
    APPLICANT_COLUMNS,
    OUTCOMES,
    REMEDIES,
    AppAction,
    ApplicantType,
    fee,
    fee_by_items,
    fee_by_pages,
    fee_for_application_items,
    fee_for_application_pages,
    fee_for_item,
)
from webapp.docgen.letters import Letter, build_letter, letter_text
from webapp.events import EVENT_TYPES

# Table 三's rows under 三、本年度办理结果, verbatim (REFERENCE.md §2).
REPORT_ROWS = [
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    *(f"（三）不予公开 {r}" for r in ("1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
                                 "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
                                 "7.属于行政执法案卷", "8.属于行政查询事项")),
    *(f"（四）无法提供 {r}" for r in ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作",
                                 "3.补正后申请内容仍不明确")),
    *(f"（五）不予处理 {r}" for r in ("1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物",
                                 "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息")),
    "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "（六）其他处理 3.其他",
]


def test_the_report_row_mapping_is_total_and_one_to_one():
    rows = [o.report_row for o in OUTCOMES]
    assert sorted(rows) == sorted(REPORT_ROWS)  # every row has exactly one reply type, and no other
    assert len({o.code for o in OUTCOMES}) == len(OUTCOMES)


def test_applicant_types_are_the_report_columns():
    assert [APPLICANT_COLUMNS[t] for t in ApplicantType] == [
        ("自然人", "自然人"), ("法人或其他组织", "商业企业"), ("法人或其他组织", "科研机构"),
        ("法人或其他组织", "社会公益组织"), ("法人或其他组织", "法律服务机构"), ("法人或其他组织", "其他")]


@pytest.mark.parametrize("outcome", OUTCOMES, ids=lambda o: o.code)
def test_every_reply_type_has_its_letter_naming_the_basis_and_the_remedies(outcome):
    data = build_letter(Letter(outcome.letter, "依申〔2026〕7号", "张三：",
                               (outcome.wording, f"依据：{outcome.basis}。", REMEDIES), "河南省应急管理厅",
                               date(2026, 3, 5)))
    text = letter_text(data)
    assert outcome.letter in text and outcome.wording in text and outcome.basis in text
    assert "六十日内" in text and "行政复议" in text and "六个月内" in text and "行政诉讼" in text
    assert "2026年3月5日" in text and "张三：" in text
    assert "条例" in outcome.basis or "109号" in outcome.basis


def test_letter_is_a4():
    import io

    import docx

    d = docx.Document(io.BytesIO(build_letter(Letter("接收回执", "", "", ("正文",), "某机关", date(2026, 1, 5),
                                                      (("申请编号", "1"),)))))
    s = d.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert d.tables[0].rows[0].cells[1].text == "1"


@pytest.mark.parametrize(("items", "yuan"), [(0, 0), (10, 0), (11, 100), (30, 2000), (31, 2200), (40, 4000),
                                             (41, 4300), (50, 7000)])
def test_fee_per_item(items, yuan):
    # 109号文: ≤10 free; 11–30 ¥100 each; 31–40 ¥200 each; 41–50 ¥300 each
    assert fee_by_items(items) == yuan


@pytest.mark.parametrize(("pages", "yuan"), [(30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740)])
def test_fee_per_volume(pages, yuan):
    # ≤30 free; 31–100 ¥10/page; 101–200 ¥20/page; beyond ¥40/page
    assert fee_by_pages(pages) == yuan


@pytest.mark.parametrize(("n", "yuan"), [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300),
                                         (50, 300), (51, 400)])
def test_the_nth_application_of_the_month_pays_its_own_tier(n, yuan):
    # 109号文 按件计收 counts one applicant's applications in one natural month (REFERENCE.md §3)
    assert fee_for_item(n) == yuan
    assert fee_by_items(n) - fee_by_items(n - 1) == yuan  # the month's total is the sum of each item's tier


@pytest.mark.parametrize(("rank", "yuan", "tier"), [(10, 0, "10件以内"), (11, 100, "11—30件"), (30, 100, "11—30件"),
                                                    (31, 200, "第31—40件"), (40, 200, "第31—40件"),
                                                    (41, 300, "第41—50件")])
def test_the_per_item_computation_shown_on_the_fee_notice(rank, yuan, tier):
    c = fee_for_application_items(rank, 45, 2026, 4)
    assert (c.method, c.amount, c.quantity) == ("items", yuan, rank)
    text = "\n".join(c.lines)
    assert "按件计收" in text and "不与按量计收同时适用" in text and "按量计收（" not in text
    assert "2026年4月共提出政府信息公开申请 45 件，本申请为其中第 " + str(rank) + " 件" in text
    assert tier in text and f"人民币 {yuan} 元" in text


@pytest.mark.parametrize(("pages", "yuan", "bands"), [
    (30, 0, []), (31, 10, ["第31—31页 1 页×10元＝10元"]), (100, 700, ["第31—100页 70 页×10元＝700元"]),
    (101, 720, ["第31—100页 70 页×10元＝700元", "第101—101页 1 页×20元＝20元"]),
    (200, 2700, ["第101—200页 100 页×20元＝2000元"]),
    (201, 2740, ["第101—200页 100 页×20元＝2000元", "第201—201页 1 页×40元＝40元"])])
def test_the_per_volume_computation_shown_on_the_fee_notice(pages, yuan, bands):
    c = fee_for_application_pages(pages)
    assert (c.method, c.amount) == ("pages", yuan)
    text = "\n".join(c.lines)
    assert "按量计收" in text and "按件计收（" not in text and f"人民币 {yuan} 元" in text
    for band in bands:
        assert band in text


def test_fee_is_per_item_or_per_volume_never_both():
    with pytest.raises(ValueError):
        fee("both", 40)
    assert fee("items", 40) != fee("pages", 40)


def test_every_move_has_its_event_kind_with_a_chinese_label():
    for m in APP_MOVES:
        assert EVENT_TYPES[f"app_{m.action.value}"].label == m.label
    assert {m.action for m in APP_MOVES} == set(AppAction)
