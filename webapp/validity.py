"""R11: the validity period of 行政规范性文件 and their clean-up (规范性文件清理).

Pure Python: no Flask, no models, no SQL.  The services and the pages ask this module

- the default period: 5 years from the effective date, 2 years when the title says the
  document is provisional (暂行 / 试行) — REFERENCE.md §1;
- whether a period is well formed (the end after the start);
- which clean-up decisions exist, what each does to the document's 有效性, and when one is
  allowed (normative, published, not already repealed or expired);
- where a document stands against a day: valid, expiring within N days, lapsed (past its
  end date with no decision yet), or ended by a decision.

The 有效性 codes are the schema's (migration 0012_validity) and the portal protocol's
(gkt_protocol.VALIDITY_LABELS): valid 有效, revised 已修订, repealed 废止, expired 失效.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

DEFAULT_YEARS = 5
PROVISIONAL_YEARS = 2
PROVISIONAL_WORDS = ("暂行", "试行")
DEFAULT_WINDOW_DAYS = 90
MAX_WINDOW_DAYS = 3660
MAX_REASON = 2000
# An effective period longer than this is a typing error (a year 2206 instead of 2026).
MAX_PERIOD_YEARS = 50

VALIDITY_LABELS = {"valid": "有效", "revised": "已修订", "repealed": "废止", "expired": "失效"}
ENDED = frozenset({"repealed", "expired"})  # no further decision on these


class Decision(StrEnum):
    CONTINUE = "continue"  # 继续有效, with a new end date
    REVISE = "revise"  # 修订: the text is being replaced by a revised one
    REPEAL = "repeal"  # 废止
    EXPIRE = "expire"  # 宣布失效


@dataclass(frozen=True)
class DecisionRule:
    decision: Decision
    label: str  # what the list and the portal say
    validity: str  # the document's 有效性 afterwards
    needs_new_end: bool  # 继续有效 carries the new end date
    event_kind: str  # its audit event (webapp/events.py)


DECISIONS: dict[Decision, DecisionRule] = {
    Decision.CONTINUE: DecisionRule(Decision.CONTINUE, "继续有效", "valid", True, "validity_continue"),
    Decision.REVISE: DecisionRule(Decision.REVISE, "修订", "revised", False, "validity_revise"),
    Decision.REPEAL: DecisionRule(Decision.REPEAL, "废止", "repealed", False, "validity_repeal"),
    Decision.EXPIRE: DecisionRule(Decision.EXPIRE, "失效", "expired", False, "validity_expire"),
}
DECISION_CHOICES = [(d.value, r.label) for d, r in DECISIONS.items()]


def decision_rule(code: str) -> DecisionRule | None:
    try:
        return DECISIONS[Decision(code)]
    except ValueError:
        return None


def is_provisional(title: str) -> bool:
    return any(word in (title or "") for word in PROVISIONAL_WORDS)


def default_years(title: str) -> int:
    return PROVISIONAL_YEARS if is_provisional(title) else DEFAULT_YEARS


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def default_effective_to(title: str, effective_from: date) -> date:
    """The last day of the default period: 5 years (2 for 暂行/试行) from the start, less a day
    (施行 2026-03-01 → 有效期至 2031-02-28)."""
    return add_years(effective_from, default_years(title)) - timedelta(days=1)


def period_problems(effective_from: date | None, effective_to: date | None) -> list[str]:
    """What is wrong with a period as typed (Chinese messages, empty when fine)."""
    problems = []
    if effective_to is not None and effective_from is None:
        problems.append("填写了有效期截止日期，请同时填写施行日期。")
    if effective_from is not None and effective_to is not None:
        if effective_to <= effective_from:
            problems.append("有效期截止日期须晚于施行日期。")
        elif effective_to > add_years(effective_from, MAX_PERIOD_YEARS):
            problems.append(f"有效期不能超过 {MAX_PERIOD_YEARS} 年，请检查截止日期。")
    return problems


def completed_period(title: str, effective_from: date | None, effective_to: date | None,
                     fallback_from: date | None = None) -> tuple[date | None, date | None]:
    """The period to store: the start as given (or `fallback_from`, the 印发日期 at issue), and
    the end as given or the default for the title."""
    start = effective_from or fallback_from
    if start is None:
        return None, effective_to
    return start, effective_to or default_effective_to(title, start)


# --------------------------------------------------------------------------- standing against a day

class Standing(StrEnum):
    VALID = "valid"  # in force, end not within the window
    EXPIRING = "expiring"  # in force, ends within the window
    LAPSED = "lapsed"  # the end date has passed and nobody decided yet
    NO_PERIOD = "no_period"  # normative but without an end date (not yet issued)
    DECIDED = "decided"  # revised, repealed or expired by a decision


STANDING_LABELS = {
    Standing.VALID: "有效",
    Standing.EXPIRING: "即将到期",
    Standing.LAPSED: "已到期，待清理",
    Standing.NO_PERIOD: "未定有效期",
    Standing.DECIDED: "已清理",
}


def standing(validity: str, effective_to: date | None, today: date, window_days: int = DEFAULT_WINDOW_DAYS
             ) -> Standing:
    """Where one document stands on `today`.  "Expiring within N days" means the last day of the
    period falls on today or one of the next N days; "lapsed" that it fell before today."""
    if validity != "valid":
        return Standing.DECIDED
    if effective_to is None:
        return Standing.NO_PERIOD
    if effective_to < today:
        return Standing.LAPSED
    if effective_to <= today + timedelta(days=window_days):
        return Standing.EXPIRING
    return Standing.VALID


def days_left(effective_to: date | None, today: date) -> int | None:
    """Days from today to the last day of the period (0: ends today; negative: past)."""
    return None if effective_to is None else (effective_to - today).days


def window_problem(raw: str | None) -> tuple[int, str | None]:
    """The list's "within N days" parameter: (N, None) or (default, a Chinese message)."""
    if raw in (None, ""):
        return DEFAULT_WINDOW_DAYS, None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 5 or not 0 <= int(raw) <= MAX_WINDOW_DAYS:
        return DEFAULT_WINDOW_DAYS, f"天数应为 0–{MAX_WINDOW_DAYS} 之间的整数。"
    return int(raw), None


# --------------------------------------------------------------------------- may this decision be made

@dataclass(frozen=True)
class DocumentState:
    is_normative: bool
    published: bool  # on the portal now (stage published)
    validity: str
    effective_from: date | None
    effective_to: date | None


def decision_problems(state: DocumentState, decision: str, reason: str, new_effective_to: date | None,
                      decided_on: date | None, today: date) -> list[str]:
    """Why this clean-up decision cannot be recorded (Chinese, empty when it can)."""
    rule = decision_rule(decision)
    problems = []
    if not state.is_normative:
        problems.append("该文件不是行政规范性文件，不在清理范围内。")
    if not state.published:
        problems.append("该文件尚未在政府网站发布（或已撤回），清理结论须在发布后作出。")
    if state.validity in ENDED:
        problems.append(f"该文件已{VALIDITY_LABELS[state.validity]}，不能再作清理结论。")
    if rule is None:
        problems.append("请选择清理结论：继续有效、修订、废止或失效。")
    if not (reason or "").strip():
        problems.append("请写明清理理由。")
    elif len(reason.strip()) > MAX_REASON:
        problems.append(f"清理理由不能超过 {MAX_REASON} 字。")
    if decided_on is None:
        problems.append("请填写决定生效日期。")
    elif decided_on > today:
        # the portal shows the document as 废止/失效 from the moment it receives the decision
        problems.append("决定生效日期不能晚于今天：请在决定生效之日再记录。")
    elif state.effective_from and decided_on < state.effective_from:
        problems.append("决定生效日期不能早于施行日期。")
    if rule is not None and rule.decision is Decision.CONTINUE and state.validity == "revised":
        problems.append("已修订的文件不能再决定继续有效，请对修订后的文件作出清理结论。")
    if rule is not None and rule.needs_new_end:
        if new_effective_to is None:
            problems.append("继续有效须填写新的有效期截止日期。")
        else:
            if new_effective_to <= today:
                problems.append("新的有效期截止日期须晚于今天。")
            if state.effective_to is not None and new_effective_to <= state.effective_to:
                problems.append("新的有效期截止日期须晚于原截止日期。")
            problems += period_problems(state.effective_from, new_effective_to)
    elif new_effective_to is not None and rule is not None:
        problems.append(f"“{rule.label}”不需要填写新的有效期截止日期。")
    return list(dict.fromkeys(problems))
