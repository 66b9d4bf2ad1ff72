"""Request bodies of technology plans and budgets, decoded and validated by msgspec.

PATCH bodies tell "not given" (UNSET) from an explicit null: `target_quarter: null` means
"unscheduled", `one_time_cost: null` means "no one-time cost". Fields that cannot be null
refuse it (422) instead of reading it as "unchanged".
"""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from msgspec import UNSET, Meta, UnsetType

from domain.budget import LineKind
from domain.calendar import FiscalQuarter, FiscalYear
from domain.category import Category
from domain.plan import Period, RecurringCost
from domain.shared import Money, Priority
from services.api.params import FISCAL_QUARTER, FISCAL_YEAR
from services.api.schemas import Body, Currency, Name, Rationale, Text

# Amounts stay below 2**53, so every JavaScript client reads them exactly.
MAX_MINOR = 10**15
AmountMinor = Annotated[
    int, Meta(ge=0, le=MAX_MINOR, description="integer minor units (cents), 0 or more")
]
SignedAmountMinor = Annotated[
    int,
    Meta(ge=-MAX_MINOR, le=MAX_MINOR, description="integer minor units; negative: a credit"),
]
Quantity = Annotated[int, Meta(ge=1, le=1_000_000)]
QuarterText = Annotated[
    str, Meta(pattern=FISCAL_QUARTER, description="a fiscal quarter, e.g. FY2027-Q2")
]
QuarterLabel = Literal["Q1", "Q2", "Q3", "Q4"]
FiscalYearIn = (
    Annotated[int, Meta(ge=1901, le=9999, description="fiscal year N ends in calendar year N")]
    | Annotated[str, Meta(pattern=FISCAL_YEAR, description="or written FY2027")]
)
GoalIds = Annotated[list[UUID], Meta(max_length=100)]


class MoneyIn(Body, kw_only=True):
    amount_minor: AmountMinor
    currency: Currency


class RecurringCostIn(Body, kw_only=True):
    amount_minor: AmountMinor
    currency: Currency
    per: Period
    quantity: Quantity = 1


# ---------------------------------------------------------------- plans


class PlanIn(Body, kw_only=True):
    title: Name
    strategy_id: UUID
    rationale: Rationale | None = None


class InitiativeIn(Body, kw_only=True):
    title: Name
    description: Text | None = None
    category: Category
    goal_ids: GoalIds
    target_quarter: QuarterText | None = None
    one_time_cost: MoneyIn | None = None
    recurring_cost: RecurringCostIn | None = None
    priority: Priority
    rationale: Rationale | None = None


class InitiativePatch(Body, kw_only=True):
    rationale: Rationale
    title: Name | UnsetType = UNSET
    description: Text | UnsetType | None = UNSET
    category: Category | UnsetType = UNSET
    goal_ids: GoalIds | UnsetType = UNSET
    target_quarter: QuarterText | UnsetType | None = UNSET
    one_time_cost: MoneyIn | UnsetType | None = UNSET
    recurring_cost: RecurringCostIn | UnsetType | None = UNSET
    priority: Priority | UnsetType = UNSET


class InitiativeActionIn(Body, kw_only=True):
    rationale: Rationale
    target_quarter: QuarterText | None = None


# ---------------------------------------------------------------- budgets


class BudgetIn(Body, kw_only=True):
    fiscal_year: FiscalYearIn
    plan_id: UUID | None = None
    title: Name | None = None
    rationale: Rationale | None = None


class LineIn(Body, kw_only=True):
    category: Category
    quarter: QuarterLabel
    amount_minor: AmountMinor
    kind: LineKind
    initiative_id: UUID | None = None
    description: Text | None = None
    rationale: Rationale | None = None


class LinePatch(Body, kw_only=True):
    rationale: Rationale
    category: Category | UnsetType = UNSET
    quarter: QuarterLabel | UnsetType = UNSET
    amount_minor: AmountMinor | UnsetType = UNSET
    kind: LineKind | UnsetType = UNSET
    initiative_id: UUID | UnsetType | None = UNSET
    description: Text | UnsetType | None = UNSET


class ActualIn(Body, kw_only=True):
    line_id: UUID
    amount_minor: SignedAmountMinor
    note: Text | None = None
    rationale: Rationale | None = None


# ---------------------------------------------------------------- to domain values, once


def quarter(text: str | None) -> FiscalQuarter | None:
    return None if text is None else FiscalQuarter.parse(text)


def money(cost: MoneyIn | None, field: str = "one_time_cost") -> Money | None:
    if cost is None:
        return None
    return Money.from_dict(
        {"amount_minor": cost.amount_minor, "currency": cost.currency}, field=field
    )


def recurring(cost: RecurringCostIn | None) -> RecurringCost | None:
    if cost is None:
        return None
    return RecurringCost.from_dict(
        {
            "amount_minor": cost.amount_minor,
            "currency": cost.currency,
            "per": cost.per.value,
            "quantity": cost.quantity,
        }
    )


def fiscal_year(value: int | str) -> FiscalYear:
    return FiscalYear.parse(value) if isinstance(value, str) else FiscalYear(value)
