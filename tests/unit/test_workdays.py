"""R7 working days: statutory holidays and 调休 from chinesecalendar, admin overrides,
provisional counts past the package's last year, paused ranges, the explanation."""

from datetime import date

import pytest

from webapp.workdays import PACKAGE_YEARS, Calendar, Override, Pause, add_working_days, working_days_left


def test_the_day_of_issue_is_day_zero_and_weekends_are_skipped():
    # 2026-03-02 is a Monday with no holiday nearby: 20 working days = four weeks.
    count = add_working_days(date(2026, 3, 2), 20)
    assert count.due == date(2026, 3, 30)
    assert not count.provisional
    assert [s.day.date for s in count.steps if not s.counted][:2] == [date(2026, 3, 7), date(2026, 3, 8)]


def test_spring_festival_2026_is_skipped_and_its_adjusted_saturdays_count():
    count = add_working_days(date(2026, 2, 10), 20)
    skipped = {s.day.date: s.why for s in count.steps if not s.counted}
    counted = {s.day.date: s.why for s in count.steps if s.counted}
    assert all(skipped[date(2026, 2, d)] == "春节" for d in range(15, 24))
    assert counted == {date(2026, 2, 14): "春节调休上班", date(2026, 2, 28): "春节调休上班"}
    # Without the break and the two 调休 Saturdays the 20th working day would be 2026-03-10.
    assert count.due == date(2026, 3, 16)


def test_national_day_2026_and_the_adjusted_saturday_after_it():
    count = add_working_days(date(2026, 9, 30), 5)
    skipped = [s.day.date for s in count.steps if not s.counted]
    assert skipped[:7] == [date(2026, 10, d) for d in range(1, 8)]
    assert any(s.counted and s.day.date == date(2026, 10, 10) and "调休上班" in s.why for s in count.steps)
    assert count.due == date(2026, 10, 13)  # 8 Thu, 9 Fri, 10 Sat (调休), 12 Mon, 13 Tue


def test_the_explanation_names_start_each_skipped_day_and_the_end():
    lines = add_working_days(date(2026, 9, 30), 5).explanation
    assert lines[0].startswith("起算日：2026年9月30日")
    assert "2026年10月1日（星期四）：国庆节，不计" in lines
    assert "2026年10月10日（星期六）：国庆节调休上班，计为第 3 个工作日" in lines
    assert lines[-1] == "期限届满日：2026年10月13日（第 5 个工作日）。"


def test_a_count_into_an_uncovered_year_completes_and_says_it_is_provisional():
    assert 2027 not in PACKAGE_YEARS, "update this test when chinesecalendar covers 2027"
    count = add_working_days(date(2026, 12, 21), 20)
    assert count.due == date(2027, 1, 18)  # weekends only in 2027
    assert count.provisional
    assert "2027年" in count.provisional_reasons[0] and "暂定" in count.provisional_reasons[0]
    assert any(line.startswith("注意：2027年") for line in count.explanation)
    within = add_working_days(date(2026, 11, 2), 20)
    assert not within.provisional and within.provisional_reasons == ()


def test_an_admin_override_changes_the_deadline_and_confirming_a_year_ends_provisional():
    start = date(2026, 12, 21)
    new_year = [Override(date(2027, 1, 1), False, "元旦")]
    with_override = add_working_days(start, 20, Calendar.of(new_year))
    assert with_override.due == date(2027, 1, 19)
    assert with_override.provisional  # the rest of 2027 is still unknown
    assert "2027年1月1日（星期五）：元旦，不计" in with_override.explanation
    confirmed = add_working_days(start, 20, Calendar.of(new_year, confirmed_years=[2027]))
    assert confirmed.due == date(2027, 1, 19) and not confirmed.provisional


def test_an_override_wins_over_the_package():
    # Suppose the agency was told to work on 2026-10-07 (a 国庆节 holiday in the package).
    cal = Calendar.of([Override(date(2026, 10, 7), True, "本机关值班安排：上班")])
    assert add_working_days(date(2026, 9, 30), 1, cal).due == date(2026, 10, 7)
    assert add_working_days(date(2026, 9, 30), 1).due == date(2026, 10, 8)


def test_paused_days_are_not_counted_and_are_explained():
    pause = Pause(date(2026, 3, 9), date(2026, 3, 13), "征求第三方意见期间不计算在内")
    count = add_working_days(date(2026, 3, 2), 20, paused=[pause])
    assert count.due == date(2026, 4, 7)  # one working week later, and 清明 (4-4..4-6) skipped
    assert sum(1 for s in count.steps if s.why == pause.reason) == 5


def test_working_days_left_counts_down_to_zero_and_below():
    due = date(2026, 3, 16)
    assert working_days_left(due, date(2026, 3, 12)) == 2  # Fri 13, Mon 16
    assert working_days_left(due, due) == 0
    assert working_days_left(due, date(2026, 3, 18)) == -2  # late by Tue 17 and Wed 18


@pytest.mark.parametrize("count", [-1, 10_000])
def test_a_count_out_of_range_is_refused_in_words(count):
    with pytest.raises(ValueError, match="工作日数"):
        add_working_days(date(2026, 3, 2), count)


def _walk(lo: date, hi: date, cal: Calendar) -> int:
    """The day-by-day count the prefix count replaced: working days after lo up to hi."""
    n, day = 0, lo
    while day < hi:
        day = date.fromordinal(day.toordinal() + 1)
        n += cal.day(day).working
    return n


def test_the_prefix_count_equals_a_day_by_day_walk_across_years_holidays_and_overrides():
    import random

    last = PACKAGE_YEARS.stop - 1
    cal = Calendar.of([Override(date(2026, 4, 15), False, "停电"), Override(date(2026, 3, 7), True, "加班"),
                       Override(date(last + 1, 1, 1), False, "元旦"), Override(date(last + 1, 2, 7), True, "调休")],
                      [last + 1])
    rnd = random.Random(7)
    for _ in range(400):
        lo = date(2024, 1, 1).toordinal() + rnd.randrange(365 * 5)
        lo_day, hi_day = date.fromordinal(lo), date.fromordinal(lo + rnd.randrange(800))
        for c in (cal, Calendar()):
            assert c.working_between(lo_day, hi_day) == _walk(lo_day, hi_day, c)
            assert working_days_left(hi_day, lo_day, c) == _walk(lo_day, hi_day, c)
            assert working_days_left(lo_day, hi_day, c) == -_walk(lo_day, hi_day, c)
    for day in (date(2026, 2, 14), date(2026, 2, 16), date(2026, 3, 7), date(2026, 4, 15), date(last + 1, 1, 1)):
        assert cal.is_working(day) == cal.day(day).working
