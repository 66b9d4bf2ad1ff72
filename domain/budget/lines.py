"""A budget's statuses and the checks on a line's fields, apart from the aggregate."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from uuid import UUID

from domain.calendar import QUARTER_LABELS
from domain.shared import RuleViolation, canonical_id


class BudgetStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    CLOSED = "closed"


class LineKind(StrEnum):
    CAPEX = "capex"
    OPEX = "opex"


# The status each action may start from; anything else is a 409.
MOVES_FROM: dict[str, BudgetStatus] = {
    "submit": BudgetStatus.DRAFT,
    "approve": BudgetStatus.SUBMITTED,
    "reject": BudgetStatus.SUBMITTED,
    "reopen": BudgetStatus.APPROVED,
    "close": BudgetStatus.APPROVED,
}


def checked_quarter(quarter: str) -> str:
    if quarter not in QUARTER_LABELS:
        raise RuleViolation("quarter is one of Q1, Q2, Q3, Q4", field="quarter")
    return quarter


def checked_kind(kind: LineKind | str) -> str:
    try:
        return LineKind(kind).value
    except ValueError:
        raise RuleViolation("kind is capex or opex", field="kind") from None


def checked_amount(amount_minor: int, *, may_be_negative: bool = False) -> int:
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int):
        raise RuleViolation("amount_minor is an integer in minor units", field="amount_minor")
    if amount_minor < 0 and not may_be_negative:
        raise RuleViolation("a planned amount is not negative", field="amount_minor")
    return amount_minor


def checked_initiative(
    initiative_id: UUID | str | None,
    plan_id: UUID | None,
    plan_initiative_ids: Iterable[UUID | str] | None,
) -> str | None:
    """The line's initiative, which must be one of the budget's plan (None: no initiative)."""
    if initiative_id is None:
        return None
    iid = canonical_id(initiative_id, "initiative_id")
    if plan_id is None:
        raise RuleViolation("the budget follows no plan", field="initiative_id")
    known = {canonical_id(i, "plan_initiative_ids") for i in plan_initiative_ids or ()}
    if iid not in known:
        raise RuleViolation("not an initiative of the budget's plan", field="initiative_id")
    return iid
