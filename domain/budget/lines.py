"""A budget's lines and actuals as typed values, its statuses, and the checks on a line's
fields, apart from the aggregate. `as_dict` is an item's shape in the budget's view, and in
its snapshots; reading it back needs the budget's fiscal year and currency."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.calendar import QUARTER_LABELS, FiscalQuarter, FiscalYear
from domain.category import Category
from domain.shared import Money, RuleViolation, canonical_id, rfc3339


class BudgetStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    CLOSED = "closed"


class LineKind(StrEnum):
    CAPEX = "capex"
    OPEX = "opex"


@dataclass(frozen=True, kw_only=True, slots=True)
class BudgetLine:
    id: UUID
    category: Category
    quarter: FiscalQuarter
    amount: Money
    kind: LineKind
    initiative_id: UUID | None
    description: str | None

    # its shape in views, made once: every view shares it, so nobody may change it
    _shape: dict[str, Any] | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        year: FiscalYear,
        currency: str,
        quarters: Mapping[str, FiscalQuarter] | None = None,
    ) -> BudgetLine:
        label = data["quarter"]
        line = cls(
            id=UUID(data["id"]),
            category=Category(data["category"]),
            quarter=quarters[label]
            if quarters and label in quarters
            else year.quarter_labelled(label),
            amount=Money(data["amount_minor"], currency),
            kind=LineKind(data["kind"]),
            initiative_id=None if data["initiative_id"] is None else UUID(data["initiative_id"]),
            description=data["description"],
        )
        _seed(line, data, LINE_KEYS)
        return line

    def as_dict(self) -> dict[str, Any]:
        shape = self._shape
        if shape is None:
            shape = {
                "id": str(self.id),
                "category": self.category.value,
                "quarter": self.quarter.label,
                "amount_minor": self.amount.amount_minor,
                "kind": self.kind.value,
                "initiative_id": None if self.initiative_id is None else str(self.initiative_id),
                "description": self.description,
            }
            object.__setattr__(self, "_shape", shape)
        return shape


@dataclass(frozen=True, kw_only=True, slots=True)
class Actual:
    """Spending (or a credit, if negative) recorded against a line."""

    id: UUID
    line_id: UUID
    amount: Money
    note: str | None
    recorded_at: datetime

    # its shape in views, made once: every view shares it, so nobody may change it
    _shape: dict[str, Any] | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], currency: str) -> Actual:
        actual = cls(
            id=UUID(data["id"]),
            line_id=UUID(data["line_id"]),
            amount=Money(data["amount_minor"], currency),
            note=data["note"],
            recorded_at=datetime.fromisoformat(data["recorded_at"]),
        )
        _seed(actual, data, ACTUAL_KEYS, recorded_at=rfc3339(actual.recorded_at))
        return actual

    def as_dict(self) -> dict[str, Any]:
        shape = self._shape
        if shape is None:
            shape = {
                "id": str(self.id),
                "line_id": str(self.line_id),
                "amount_minor": self.amount.amount_minor,
                "note": self.note,
                "recorded_at": rfc3339(self.recorded_at),
            }
            object.__setattr__(self, "_shape", shape)
        return shape


LINE_KEYS = ("id", "category", "quarter", "amount_minor", "kind", "initiative_id", "description")
ACTUAL_KEYS = ("id", "line_id", "amount_minor", "note", "recorded_at")


def _seed(item: Any, data: Mapping[str, Any], keys: tuple[str, ...], **canonical: Any) -> None:
    """A snapshot holds each item in its view shape (`as_dict`): when `data` is exactly that
    (the same keys in the same order, canonical values), it is the item's shape already, and
    loading a full budget need not build 2,000 of them again. (Enum fields need no check:
    their values are their text, and constructing them from it has just succeeded.)"""
    if (
        type(data) is dict
        and tuple(data) == keys
        and all(data[k] == v for k, v in canonical.items())
        and data["id"] == str(item.id)
    ):
        object.__setattr__(item, "_shape", data)


def primitive_items(
    lines: Mapping[UUID, BudgetLine], actuals: Mapping[UUID, Actual]
) -> dict[str, list[dict[str, Any]]]:
    """A budget's lines and actuals as its snapshots store them: lists in view shape."""
    return {
        "lines": [line.as_dict() for line in lines.values()],
        "actuals": [actual.as_dict() for actual in actuals.values()],
    }


def typed_items(state: Mapping[str, Any], year: FiscalYear, currency: str) -> dict[str, Any]:
    """The inverse of `primitive_items`: lines and actuals by id, in their order."""
    quarters = {q.label: q for q in year.quarters()}
    lines = (BudgetLine.from_dict(line, year, currency, quarters) for line in state["lines"])
    actuals = (Actual.from_dict(actual, currency) for actual in state["actuals"])
    return {
        "lines": {line.id: line for line in lines},
        "actuals": {actual.id: actual for actual in actuals},
    }


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


def checked_kind(kind: LineKind | str) -> LineKind:
    try:
        return LineKind(kind)
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
) -> UUID | None:
    """The line's initiative, which must be one of the budget's plan (None: no initiative)."""
    if initiative_id is None:
        return None
    iid = canonical_id(initiative_id, "initiative_id")
    if plan_id is None:
        raise RuleViolation("the budget follows no plan", field="initiative_id")
    known = {canonical_id(i, "plan_initiative_ids") for i in plan_initiative_ids or ()}
    if iid not in known:
        raise RuleViolation("not an initiative of the budget's plan", field="initiative_id")
    return UUID(iid)


def checked_line(line_id: UUID | str, lines: Mapping[UUID, BudgetLine]) -> UUID:
    """The line an actual is recorded against, which must be one of the budget's."""
    lid = UUID(canonical_id(line_id, "line_id"))
    if lid not in lines:
        raise RuleViolation("not a line of this budget", field="line_id")
    return lid
