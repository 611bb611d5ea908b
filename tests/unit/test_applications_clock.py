"""The reply clock of a disclosure application (条例 Art. 30–33; REFERENCE.md §3), computed from
its events over the real 2026 calendar (chinesecalendar: 中秋 9/25–27, 国庆 10/1–7 with 9/20 and
10/10 worked, 劳动节 5/1–5 with 5/9 worked, 端午 6/19, 清明 4/4–6).  Expected dates are counted by
hand in each test's comment."""

from __future__ import annotations

from datetime import date

import pytest

from webapp.applications_flow import (
    AppAction,
    AppFacts,
    AppMoveRefused,
    AppStage,
    ClockEvent,
    ClockKind,
    check_app_move,
    compute_clock,
)
from webapp.workdays import Calendar, Override
from webapp.workflow import Role

CAL = Calendar()
K = ClockKind


def ev(kind, y, m, d, **kw):
    return ClockEvent(kind, date(y, m, d), **kw)


def test_twenty_working_days_across_mid_autumn_and_national_day():
    # 9/21 Mon received; 9/22–24 (3), 9/25–27 中秋, 9/28–30 (6), 10/1–7 国庆, 10/8–9 (8),
    # 10/10 Sat 调休上班 (9), 10/12–16 (14), 10/19–23 (19), 10/26 (20)
    c = compute_clock([ev(K.RECEIVED, 2026, 9, 21)], CAL, date(2026, 9, 22))
    assert c.due == date(2026, 10, 26)
    text = "\n".join(c.explanation)
    assert "收到申请之日：2026年9月21日" in text and "国庆节" in text and "调休上班" in text
    assert c.days_left == 19 and not c.overdue and c.words == "剩余 19 个工作日"


def test_overdue_without_reply_and_late_reply():
    events = [ev(K.RECEIVED, 2026, 9, 21)]
    assert compute_clock(events, CAL, date(2026, 10, 27)).overdue
    assert compute_clock(events, CAL, date(2026, 10, 27)).words == "已逾期 1 个工作日"
    on_time = compute_clock([*events, ev(K.REPLIED, 2026, 10, 26)], CAL, date(2026, 12, 1))
    late = compute_clock([*events, ev(K.REPLIED, 2026, 10, 27)], CAL, date(2026, 12, 1))
    assert (on_time.overdue, on_time.words) == (False, "按期答复")
    assert (late.overdue, late.words) == (True, "逾期答复")


def test_correction_stops_the_clock_and_restarts_it_from_the_corrected_application():
    # received 3/2; 补正 asked 3/4; the corrected application arrives 3/16 (Mon): day 0 again.
    # 3/17–20 (4), 3/23–27 (9), 3/30–4/3 (14), 4/4–6 清明, 4/7–10 (18), 4/13 (19), 4/14 (20)
    asked = [ev(K.RECEIVED, 2026, 3, 2), ev(K.CORRECTION_REQUESTED, 2026, 3, 4, until=date(2026, 3, 18))]
    waiting = compute_clock(asked, CAL, date(2026, 3, 10))
    assert waiting.waiting_correction and waiting.due is None and not waiting.overdue
    assert "补正期限 2026年3月18日" in waiting.words
    c = compute_clock([*asked, ev(K.CORRECTION_RECEIVED, 2026, 3, 16)], CAL, date(2026, 3, 17))
    assert c.start == date(2026, 3, 16) and c.due == date(2026, 4, 14)
    assert any("重新计算" in line for line in c.explanation)


def test_no_correction_by_the_day_set_is_abandonment():
    asked = [ev(K.RECEIVED, 2026, 3, 2), ev(K.CORRECTION_REQUESTED, 2026, 3, 4, until=date(2026, 3, 18))]
    assert compute_clock(asked, CAL, date(2026, 3, 18)).lapsed == ""
    lapsed = compute_clock(asked, CAL, date(2026, 3, 19))
    assert lapsed.lapsed == "correction" and lapsed.words == "逾期未补正，可视为放弃" and not lapsed.overdue
    facts = AppFacts(AppStage.CORRECTION, date(2026, 3, 2), 1, False, 0, date(2026, 3, 18))
    with pytest.raises(AppMoveRefused, match="尚未届满"):
        check_app_move(facts, {Role.HANDLER}, AppAction.CLOSE_NO_CORRECTION, date(2026, 3, 18), CAL)
    assert check_app_move(facts, {Role.HANDLER}, AppAction.CLOSE_NO_CORRECTION, date(2026, 3, 19), CAL) \
        is AppStage.REPLIED


def test_correction_only_once_and_within_seven_working_days():
    # received Fri 9/18: 9/20 Sun 调休上班 (1), 9/21–24 (5), 9/25–27 中秋, 9/28 (6), 9/29 (7)
    facts = AppFacts(AppStage.HANDLING, date(2026, 9, 18), 0, False, 0)
    assert check_app_move(facts, {Role.HANDLER}, AppAction.REQUEST_CORRECTION, date(2026, 9, 29), CAL) \
        is AppStage.CORRECTION
    with pytest.raises(AppMoveRefused, match="7 个工作日"):
        check_app_move(facts, {Role.HANDLER}, AppAction.REQUEST_CORRECTION, date(2026, 9, 30), CAL)
    again = AppFacts(AppStage.HANDLING, date(2026, 9, 18), 1, False, 0)
    with pytest.raises(AppMoveRefused, match="一次"):
        check_app_move(again, {Role.HANDLER}, AppAction.REQUEST_CORRECTION, date(2026, 9, 21), CAL)


def test_third_party_consultation_is_not_counted():
    # received 6/1; consulted 6/3, answer 6/10: pause 6/3–6/10.  6/2 (1), 6/11–12 (3), 6/15–18 (7),
    # 6/19 端午, 6/22–26 (12), 6/29–30 (14), 7/1–3 (17), 7/6–8 (20)
    c = compute_clock([ev(K.RECEIVED, 2026, 6, 1), ev(K.CONSULTATION_STARTED, 2026, 6, 3, party="third_party"),
                       ev(K.CONSULTATION_ENDED, 2026, 6, 10)], CAL, date(2026, 6, 11))
    assert c.due == date(2026, 7, 8)
    assert any("征求第三方意见" in line and "不计" in line for line in c.explanation)


def test_a_late_third_party_answer_does_not_stretch_the_pause():
    # consulted 6/3: the third party's 15 working days end 6/25 (6/4–5, 6/8–12, 6/15–18, 6/22–25;
    # 6/19 端午).  It answers 7/1: only 6/3–6/25 is paused.  6/2 (1), 6/26 (2), 6/29–30 (4),
    # 7/1–3 (7), 7/6–10 (12), 7/13–17 (17), 7/20–22 (20)
    c = compute_clock([ev(K.RECEIVED, 2026, 6, 1), ev(K.CONSULTATION_STARTED, 2026, 6, 3, party="third_party"),
                       ev(K.CONSULTATION_ENDED, 2026, 7, 1)], CAL, date(2026, 7, 2))
    assert c.due == date(2026, 7, 22)
    assert any("逾期答复" in line and "2026年6月25日" in line for line in c.explanation)


def test_consultation_in_progress_pauses_and_is_never_overdue():
    c = compute_clock([ev(K.RECEIVED, 2026, 6, 1), ev(K.CONSULTATION_STARTED, 2026, 6, 3, party="agency")],
                      CAL, date(2026, 6, 24))
    assert c.paused_now and not c.overdue and "暂停" in c.words
    assert any("其他机关" in line and "第三十四条" in line for line in c.explanation)


def test_an_approved_extension_moves_the_due_date_and_is_never_overdue():
    # due 10/26 (first test); +20: 10/27–30 (4), 11/2–6 (9), 11/9–13 (14), 11/16–20 (19), 11/23 (20)
    events = [ev(K.RECEIVED, 2026, 9, 21), ev(K.EXTENSION_APPROVED, 2026, 10, 20, days=20)]
    c = compute_clock(events, CAL, date(2026, 10, 28))
    assert c.due == date(2026, 11, 23) and not c.overdue and c.days_left > 0
    assert any("延长答复期限 20 个工作日" in line for line in c.explanation)


def test_extension_only_once_and_approved_by_the_head_of_the_disclosure_office():
    asked = AppFacts(AppStage.HANDLING, date(2026, 9, 21), 0, True, 0)
    with pytest.raises(AppMoveRefused, match="公开工作机构负责人"):
        check_app_move(asked, {Role.HANDLER}, AppAction.APPROVE_EXTENSION, date(2026, 10, 1), CAL)
    assert check_app_move(asked, {Role.DISCLOSURE_HEAD}, AppAction.APPROVE_EXTENSION, date(2026, 10, 1), CAL) \
        is AppStage.HANDLING
    done = AppFacts(AppStage.HANDLING, date(2026, 9, 21), 0, False, 20)
    with pytest.raises(AppMoveRefused, match="一次"):
        check_app_move(done, {Role.HANDLER}, AppAction.REQUEST_EXTENSION, date(2026, 10, 1), CAL)


def test_a_fee_notice_pauses_until_paid():
    # received 4/27; notice 4/29, paid 5/11: pause 4/29–5/11 (劳动节 and the 5/9 调休 inside it).
    # 4/28 (1), 5/12–15 (5), 5/18–22 (10), 5/25–29 (15), 6/1–5 (20)
    c = compute_clock([ev(K.RECEIVED, 2026, 4, 27), ev(K.FEE_NOTICE, 2026, 4, 29), ev(K.FEE_PAID, 2026, 5, 11)],
                      CAL, date(2026, 5, 12))
    assert c.due == date(2026, 6, 5)


def test_an_unpaid_fee_lapses_after_twenty_working_days():
    # notice 4/29: 4/30 (1), 5/1–5 劳动节, 5/6–8 (4), 5/9 调休 (5), 5/11–15 (10), 5/18–22 (15), 5/25–29 (20)
    events = [ev(K.RECEIVED, 2026, 4, 27), ev(K.FEE_NOTICE, 2026, 4, 29)]
    assert compute_clock(events, CAL, date(2026, 5, 29)).paused_now == "待缴费"
    late = compute_clock(events, CAL, date(2026, 6, 1))
    assert late.lapsed == "fee" and not late.overdue


def test_an_admin_override_inside_the_count_moves_the_due_date():
    # a local day off on 10/12 (Mon) pushes the 20th working day from 10/26 to 10/27
    cal = Calendar.of([Override(date(2026, 10, 12), False, "本机关调休")])
    c = compute_clock([ev(K.RECEIVED, 2026, 9, 21)], cal, date(2026, 9, 22))
    assert c.due == date(2026, 10, 27)
    assert any("本机关调休" in line for line in c.explanation)


@pytest.mark.parametrize("received", [date(2026, 9, 21), date(2026, 9, 19)])
def test_the_receipt_day_is_day_zero_whatever_the_channel(received):
    # the channel decides which day is the receipt day (Art. 31); the count starts from it.
    # Received Sat 9/19 (mail signed for on a weekend): 9/20 Sun worked (1), 9/21–24 (5), 9/28–30 (8),
    # 10/8–9 (10), 10/10 Sat worked (11), 10/12–16 (16), 10/19–22 (20)
    c = compute_clock([ev(K.RECEIVED, received.year, received.month, received.day)], CAL, received)
    assert c.start == received
    assert c.due == (date(2026, 10, 26) if received.day == 21 else date(2026, 10, 22))
