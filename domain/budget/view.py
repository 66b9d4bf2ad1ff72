"""A budget as GET shows it: its lines, its actuals, and their totals (planned, actual and
variance, overall and by quarter, category and kind). History diffs compare these views."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.budget.lines import Actual, BudgetLine, LineKind
from domain.calendar import QUARTER_LABELS
from domain.category import Category
from domain.shared import id_text

if TYPE_CHECKING:
    from domain.budget.aggregate import Budget


# The enums' members once: iterating an enum runs Python code each time, and a budget's
# totals are built at every version of it that a view shows.
_KINDS = tuple(LineKind)
_CATEGORY_ORDER = {c: n for n, c in enumerate(Category)}


def budget_view(budget: Budget) -> dict[str, Any]:
    return {
        "id": id_text(budget.id),
        "client_id": id_text(budget.client_id),
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


def _figures(cell: list[int], currency: str) -> dict[str, Any]:
    planned, actual = cell
    return {
        "planned": {"amount_minor": planned, "currency": currency},
        "actual": {"amount_minor": actual, "currency": currency},
        "variance": {"amount_minor": planned - actual, "currency": currency},
    }


def budget_totals(
    lines: Mapping[UUID, BudgetLine], actuals: Iterable[Actual], currency: str
) -> dict[str, Any]:
    """Every figure is Money; variance = planned - actual; all four quarters and both kinds
    are always present, categories only once a line uses them. An actual counts where its
    line is (quarter, category, kind). Summed as integers (every amount is in the budget's
    currency): a full budget's view is built at every version its history shows."""
    overall = [0, 0]
    by_quarter = {q: [0, 0] for q in QUARTER_LABELS}
    by_kind = {k: [0, 0] for k in _KINDS}
    by_category: dict[Category, list[int]] = {}
    cells: dict[UUID, tuple[list[int], ...]] = {}
    for line in lines.values():
        category = by_category.get(line.category)
        if category is None:
            category = by_category[line.category] = [0, 0]
        cells[line.id] = (overall, by_quarter[line.quarter.label], by_kind[line.kind], category)
        amount = line.amount.amount_minor
        for cell in cells[line.id]:
            cell[0] += amount
    for actual in actuals:
        amount = actual.amount.amount_minor
        for cell in cells[actual.line_id]:
            cell[1] += amount
    return {
        **_figures(overall, currency),
        "by_quarter": {q: _figures(f, currency) for q, f in by_quarter.items()},
        "by_category": {
            c.value: _figures(by_category[c], currency)
            for c in sorted(by_category, key=_CATEGORY_ORDER.__getitem__)
        },
        "by_kind": {k.value: _figures(f, currency) for k, f in by_kind.items()},
    }
