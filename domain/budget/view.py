"""A budget as GET shows it: its lines, its actuals, and their totals (planned, actual and
variance, overall and by quarter, category and kind). History diffs compare these views."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.budget.lines import Actual, BudgetLine, LineKind
from domain.calendar import QUARTER_LABELS
from domain.category import Category
from domain.shared import Money

if TYPE_CHECKING:
    from domain.budget.aggregate import Budget


def budget_view(budget: Budget) -> dict[str, Any]:
    return {
        "id": str(budget.id),
        "client_id": str(budget.client_id),
        "fiscal_year": budget.fiscal_year,
        "currency": budget.currency,
        "plan_id": None if budget.plan_id is None else str(budget.plan_id),
        "title": budget.title,
        "status": budget.status.value,
        "lines": [line.as_dict() for line in budget.lines.values()],
        "actuals": [actual.as_dict() for actual in budget.actuals.values()],
        "totals": budget.totals(),
        "version": budget.version,
    }


class _Figures:
    def __init__(self, currency: str) -> None:
        self.planned = Money.zero(currency)
        self.actual = Money.zero(currency)

    def as_dict(self) -> dict[str, Any]:
        return {
            "planned": self.planned.as_dict(),
            "actual": self.actual.as_dict(),
            "variance": (self.planned - self.actual).as_dict(),
        }


def budget_totals(
    lines: Mapping[UUID, BudgetLine], actuals: Iterable[Actual], currency: str
) -> dict[str, Any]:
    """Every figure is Money; variance = planned - actual; all four quarters and both kinds
    are always present, categories only once a line uses them. An actual counts where its
    line is (quarter, category, kind)."""
    overall = _Figures(currency)
    by_quarter = {q: _Figures(currency) for q in QUARTER_LABELS}
    by_kind = {k: _Figures(currency) for k in LineKind}
    by_category: dict[Category, _Figures] = {}

    def cells(line: BudgetLine) -> tuple[_Figures, ...]:
        category = by_category.setdefault(line.category, _Figures(currency))
        return overall, by_quarter[line.quarter.label], by_kind[line.kind], category

    for line in lines.values():
        for figures in cells(line):
            figures.planned += line.amount
    for actual in actuals:
        for figures in cells(lines[actual.line_id]):
            figures.actual += actual.amount
    order = list(Category)
    return {
        **overall.as_dict(),
        "by_quarter": {q: f.as_dict() for q, f in by_quarter.items()},
        "by_category": {
            c.value: by_category[c].as_dict() for c in sorted(by_category, key=order.index)
        },
        "by_kind": {k.value: f.as_dict() for k, f in by_kind.items()},
    }
