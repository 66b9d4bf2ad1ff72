"""Response bodies of /v1/clients/{cid}/budgets and /v1/budgets (services/api/responses.py).

Amounts of lines and actuals are integer minor units of the budget's `currency`; every figure
of the totals is Money."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec

from domain.budget import BudgetStatus, LineKind
from domain.category import Category
from services.api.responses import CurrencyCode, Instant, MoneyOut, Out, Resource
from services.api.tactical_schemas import QuarterLabel


class BudgetFiguresOut(Out, kw_only=True):
    """Planned, actual, and `variance = planned - actual`."""

    planned: MoneyOut
    actual: MoneyOut
    variance: MoneyOut


class BudgetByQuarterOut(Out, kw_only=True):
    """All four quarters of the budget's fiscal year, always present."""

    Q1: BudgetFiguresOut
    Q2: BudgetFiguresOut
    Q3: BudgetFiguresOut
    Q4: BudgetFiguresOut


class BudgetByKindOut(Out, kw_only=True):
    """Both kinds, always present."""

    capex: BudgetFiguresOut
    opex: BudgetFiguresOut


ByCategory = Annotated[
    dict[Category, BudgetFiguresOut],
    msgspec.Meta(
        description="only the categories a line uses, in the catalogue's order",
        extra_json_schema={"propertyNames": {"enum": [c.value for c in Category]}},
    ),
]


class BudgetTotalsOut(BudgetFiguresOut, kw_only=True):
    """Overall and by quarter, category and kind; an actual counts where its line is."""

    by_quarter: BudgetByQuarterOut
    by_category: ByCategory
    by_kind: BudgetByKindOut


class BudgetLineOut(Out, kw_only=True):
    id: UUID
    category: Category
    quarter: QuarterLabel
    amount_minor: int
    kind: LineKind
    initiative_id: UUID | None
    description: str | None


class BudgetActualOut(Out, kw_only=True):
    """Spending recorded against a line; a negative amount is a credit."""

    id: UUID
    line_id: UUID
    amount_minor: int
    note: str | None
    recorded_at: Instant


class BudgetOut(Resource, kw_only=True):
    """A client's budget for one fiscal year (`fiscal_year` N ends in calendar year N)."""

    id: UUID
    client_id: UUID
    fiscal_year: int
    currency: CurrencyCode
    plan_id: UUID | None
    title: str | None
    status: BudgetStatus
    lines: list[BudgetLineOut]
    actuals: list[BudgetActualOut]
    totals: BudgetTotalsOut
    version: int


class BudgetSummaryOut(Out, kw_only=True):
    """A budget in a client's list: its lines counted and its overall figures."""

    id: UUID
    client_id: UUID
    fiscal_year: int
    currency: CurrencyCode
    plan_id: UUID | None
    title: str | None
    status: BudgetStatus
    line_count: int
    totals: BudgetFiguresOut
    version: int


class BudgetPage(Out, kw_only=True):
    items: list[BudgetSummaryOut]
    next_cursor: str | None
