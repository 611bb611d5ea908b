"""R11 on the portal: the protocol's 有效性 values (已修订 too), a normative document's period
and its latest clean-up decision; the 规范性文件清理结果 page built from them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from gkt_protocol import Cleanup, PayloadError, parse_publication
from tests.portal.conftest import page_path, publication, push, withdraw


def normative(serial: int = 1, **changes):
    values = dict(normative=True, effective_from=date(2021, 3, 1), effective_to=date(2026, 2, 28))
    values.update(changes)
    return publication(serial, **values)


def test_the_protocol_round_trips_the_normative_fields():
    pub = normative(validity="revised", validity_changed_on=date(2026, 3, 1),
                    cleanup=Cleanup("revise", date(2026, 3, 1)))
    assert parse_publication(pub.to_json()) == pub
    plain = publication()
    raw = plain.to_json()
    for key in ("normative", "effective_from", "effective_to", "cleanup"):
        raw.pop(key)  # an older sender: the fields are optional
    assert parse_publication(raw) == plain


@pytest.mark.parametrize("changes, message", [
    (dict(validity="revised"), "修订、失效或废止日期"),
    (dict(effective_to=date(2021, 3, 1)), "须晚于施行日期"),
    (dict(normative=False), "只有行政规范性文件"),
    (dict(cleanup=Cleanup("repeal", date(2026, 3, 1))), "与有效性“有效”不符"),
    (dict(validity="repealed", validity_changed_on=date(2026, 3, 1), cleanup=Cleanup("expire", date(2026, 3, 1))),
     "不符"),
])
def test_the_protocol_refuses_inconsistent_normative_fields(changes, message):
    with pytest.raises(PayloadError) as exc:
        parse_publication(normative(**changes).to_json())
    assert any(message in p for p in exc.value.problems), exc.value.problems


def test_an_unknown_cleanup_decision_is_refused():
    raw = normative().to_json()
    raw["cleanup"] = {"decision": "abolish", "decided_on": "2026-03-01"}
    with pytest.raises(PayloadError, match="continue（继续有效）"):
        parse_publication(raw)


def test_a_revised_document_is_marked_and_its_period_shown(portal):
    push(portal, normative(validity="revised", validity_changed_on=date(2026, 3, 1),
                           cleanup=Cleanup("revise", date(2026, 3, 1))))
    html = portal.get(page_path()).get_data(as_text=True)
    assert '<p class="validity-notice" role="note"><strong>本文件已修订</strong>（2026年3月1日起）' in html
    assert '<span class="validity validity-revised">已修订</span>' in html
    assert "施行日期" in html and "2021年3月1日" in html and "2026年2月28日" in html
    assert "已已" not in html


def test_the_clean_up_page_lists_the_latest_decisions(portal):
    push(portal, normative(1, title="甲办法", validity="repealed", validity_changed_on=date(2026, 3, 1),
                           cleanup=Cleanup("repeal", date(2026, 3, 1))))
    push(portal, normative(2, title="乙办法", effective_to=date(2031, 2, 28),
                           cleanup=Cleanup("continue", date(2026, 4, 1))))
    push(portal, normative(3, title="丙办法"))  # no decision yet
    push(portal, publication(4, title="丁通知"))  # not normative
    push(portal, normative(5, title="戊办法", validity="expired", validity_changed_on=date(2026, 2, 1),
                           cleanup=Cleanup("expire", date(2026, 2, 1))))
    html = portal.get("/xxgk/gfxwjql/").get_data(as_text=True)
    assert "规范性文件清理结果" in html and "共 3 件" in html
    order = [html.index(t) for t in ("乙办法", "甲办法", "戊办法")]
    assert order == sorted(order)  # newest decision first
    assert "丙办法" not in html and "丁通知" not in html
    assert "【解读】" not in html and html.count('class="cleanup-decision"') == 3  # policies only, not their 解读
    assert '<td class="cleanup-decision">继续有效</td>' in html and "2031年2月28日" in html
    only = portal.get("/xxgk/gfxwjql/?decision=repeal").get_data(as_text=True)
    assert "甲办法" in only and "乙办法" not in only and "共 1 件" in only
    # a newer version with another decision replaces the listed one; a withdrawn document leaves the list
    push(portal, replace(normative(1, title="甲办法", validity="repealed", validity_changed_on=date(2026, 3, 1),
                                   cleanup=Cleanup("repeal", date(2026, 3, 1))), version=2))
    withdraw(portal, 5, version=2)
    html = portal.get("/xxgk/gfxwjql/").get_data(as_text=True)
    assert "戊办法" not in html and "共 2 件" in html
