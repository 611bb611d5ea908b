"""R11: the pure rules of 行政规范性文件 validity (webapp/validity.py).  REFERENCE.md §1:
"规范性文件 validity typically 5 years (暂行/试行 2 years)"."""

from __future__ import annotations

from datetime import date

import pytest

from gkt_protocol import CLEANUP_LABELS, VALIDITY_LABELS
from gkt_protocol.payload import CLEANUP_VALIDITY
from webapp import events
from webapp import validity as v

TODAY = date(2026, 6, 1)


def state(**kw) -> v.DocumentState:
    values = dict(is_normative=True, published=True, validity="valid", effective_from=date(2021, 7, 1),
                  effective_to=date(2026, 6, 30))
    values.update(kw)
    return v.DocumentState(**values)


@pytest.mark.parametrize("title, years, end", [
    ("河南省应急管理厅行政执法公示办法", 5, date(2031, 2, 28)),
    ("河南省应急管理厅行政执法公示暂行办法", 2, date(2028, 2, 29)),
    ("关于印发《安全生产约谈实施办法（试行）》的通知", 2, date(2028, 2, 29)),
])
def test_default_period_is_five_years_or_two_for_provisional(title, years, end):
    assert v.default_years(title) == years
    assert v.default_effective_to(title, date(2026, 3, 1)) == end


def test_a_period_from_29_february_ends_on_the_28th():
    assert v.default_effective_to("办法", date(2028, 2, 29)) == date(2033, 2, 27)
    assert v.add_years(date(2028, 2, 29), 1) == date(2029, 2, 28)


def test_completed_period_keeps_what_was_typed_and_fills_the_rest():
    assert v.completed_period("办法", None, None) == (None, None)
    assert v.completed_period("办法", None, None, date(2026, 3, 5)) == (date(2026, 3, 5), date(2031, 3, 4))
    assert v.completed_period("暂行办法", date(2026, 1, 1), None) == (date(2026, 1, 1), date(2027, 12, 31))
    assert v.completed_period("办法", date(2026, 1, 1), date(2026, 12, 31)) == (date(2026, 1, 1), date(2026, 12, 31))


@pytest.mark.parametrize("start, end, message", [
    (date(2026, 3, 1), date(2026, 3, 1), "须晚于施行日期"),
    (date(2026, 3, 1), date(2026, 2, 1), "须晚于施行日期"),
    (None, date(2027, 1, 1), "请同时填写施行日期"),
    (date(2026, 3, 1), date(2206, 3, 1), "不能超过 50 年"),
])
def test_bad_periods_are_refused(start, end, message):
    problems = v.period_problems(start, end)
    assert len(problems) == 1 and message in problems[0]


def test_good_periods_pass():
    assert v.period_problems(None, None) == []
    assert v.period_problems(date(2026, 3, 1), None) == []
    assert v.period_problems(date(2026, 3, 1), date(2026, 3, 2)) == []


@pytest.mark.parametrize("end, standing", [
    (date(2026, 5, 31), v.Standing.LAPSED),  # yesterday
    (date(2026, 6, 1), v.Standing.EXPIRING),  # today is the last day
    (date(2026, 8, 30), v.Standing.EXPIRING),  # today + 90
    (date(2026, 8, 31), v.Standing.VALID),  # today + 91
    (None, v.Standing.NO_PERIOD),
])
def test_expiring_within_n_days(end, standing):
    assert v.standing("valid", end, TODAY) is standing


def test_a_decided_document_is_no_longer_due_and_the_window_is_a_parameter():
    assert v.standing("repealed", date(2020, 1, 1), TODAY) is v.Standing.DECIDED
    assert v.standing("valid", date(2026, 6, 11), TODAY, window_days=10) is v.Standing.EXPIRING
    assert v.standing("valid", date(2026, 6, 12), TODAY, window_days=10) is v.Standing.VALID
    assert v.days_left(date(2026, 5, 30), TODAY) == -2 and v.days_left(None, TODAY) is None


@pytest.mark.parametrize("raw, expected", [(None, 90), ("", 90), ("0", 0), ("30", 30), ("3660", 3660)])
def test_window_parameter(raw, expected):
    assert v.window_problem(raw) == (expected, None)


@pytest.mark.parametrize("raw", ["-1", "3661", "abc", "²", "٣", "99999999999999"])
def test_bad_window_parameter(raw):
    days, problem = v.window_problem(raw)
    assert days == 90 and "天数" in problem


@pytest.mark.parametrize("decision", ["revise", "repeal", "expire"])
def test_revise_repeal_expire_are_allowed_on_a_published_normative_document(decision):
    assert v.decision_problems(state(), decision, "经评估", None, TODAY, TODAY) == []


def test_continue_needs_a_later_end_date():
    ok = v.decision_problems(state(), "continue", "仍需执行", date(2031, 6, 30), TODAY, TODAY)
    assert ok == []
    assert "须填写新的有效期截止日期" in "".join(v.decision_problems(state(), "continue", "仍需执行", None, TODAY,
                                                                       TODAY))
    assert "晚于原截止日期" in "".join(v.decision_problems(state(), "continue", "仍需执行", date(2026, 6, 20),
                                                             TODAY, TODAY))
    assert "不需要填写新的有效期" in "".join(v.decision_problems(state(), "repeal", "废止", date(2031, 1, 1),
                                                                TODAY, TODAY))


@pytest.mark.parametrize("kw, message", [
    (dict(is_normative=False), "不是行政规范性文件"),
    (dict(published=False), "尚未在政府网站发布"),
    (dict(validity="repealed"), "已废止"),
    (dict(validity="expired"), "已失效"),
])
def test_decisions_refused_outside_their_scope(kw, message):
    problems = v.decision_problems(state(**kw), "repeal", "理由", None, TODAY, TODAY)
    assert any(message in p for p in problems)


def test_bad_decision_reason_and_date():
    problems = v.decision_problems(state(), "abolish", "  ", None, None, TODAY)
    assert any("请选择清理结论" in p for p in problems)
    assert any("写明清理理由" in p for p in problems)
    assert any("决定生效日期" in p for p in problems)
    assert v.decision_problems(state(), "repeal", "x" * 2001, None, TODAY, TODAY) == ["清理理由不能超过 2000 字。"]
    assert v.decision_problems(state(), "repeal", "理由", None, date(2020, 1, 1), TODAY) == ["决定生效日期不能早于施行日期。"]
    assert v.decision_problems(state(), "repeal", "理由", None, date(2026, 6, 2), TODAY) == [
        "决定生效日期不能晚于今天：请在决定生效之日再记录。"]  # the portal would mark it 废止 at once
    assert v.decision_problems(state(), "continue", "理由", date(2031, 1, 1), TODAY, TODAY) == []
    assert v.decision_problems(state(validity="revised"), "continue", "理由", date(2031, 1, 1), TODAY, TODAY)
    assert v.decision_problems(state(validity="revised"), "repeal", "理由", None, TODAY, TODAY) == []


def test_labels_kinds_and_the_wire_agree():
    for rule in v.DECISIONS.values():
        assert rule.event_kind in events.EVENT_TYPES
        assert CLEANUP_LABELS[rule.decision.value] == rule.label
        assert CLEANUP_VALIDITY[rule.decision.value] == rule.validity
    assert v.VALIDITY_LABELS == VALIDITY_LABELS
