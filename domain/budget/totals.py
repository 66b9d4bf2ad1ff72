"""Planned, actual and variance of a budget, overall and by quarter, category and kind."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from domain.budget.lines import LineKind
from domain.calendar import QUARTER_LABELS
from domain.category import Category


class _Figures:
    def __init__(self) -> None:
        self.planned = 0
        self.actual = 0

    def as_dict(self, currency: str) -> dict[str, Any]:
        return {
            "planned": {"amount_minor": self.planned, "currency": currency},
            "actual": {"amount_minor": self.actual, "currency": currency},
            "variance": {"amount_minor": self.planned - self.actual, "currency": currency},
        }


def budget_totals(
    lines: Iterable[dict[str, Any]], actuals: Iterable[dict[str, Any]], currency: str
) -> dict[str, Any]:
    """Every figure is Money; variance = planned - actual; all four quarters and both kinds
    are always present, categories only once a line uses them. An actual counts where its
    line is (quarter, category, kind)."""
    overall = _Figures()
    by_quarter = {q: _Figures() for q in QUARTER_LABELS}
    by_kind = {k.value: _Figures() for k in LineKind}
    by_category: dict[str, _Figures] = {}
    line_of: dict[str, dict[str, Any]] = {}
    for line in lines:
        line_of[line["id"]] = line
        for figures in _cells(line, overall, by_quarter, by_kind, by_category):
            figures.planned += line["amount_minor"]
    for actual in actuals:
        line = line_of[actual["line_id"]]
        for figures in _cells(line, overall, by_quarter, by_kind, by_category):
            figures.actual += actual["amount_minor"]
    order = list(Category)
    return {
        **overall.as_dict(currency),
        "by_quarter": {q: f.as_dict(currency) for q, f in by_quarter.items()},
        "by_category": {
            c: by_category[c].as_dict(currency)
            for c in sorted(by_category, key=lambda c: order.index(Category(c)))
        },
        "by_kind": {k: f.as_dict(currency) for k, f in by_kind.items()},
    }


def _cells(
    line: dict[str, Any],
    overall: _Figures,
    by_quarter: dict[str, _Figures],
    by_kind: dict[str, _Figures],
    by_category: dict[str, _Figures],
) -> tuple[_Figures, ...]:
    category = by_category.setdefault(line["category"], _Figures())
    return overall, by_quarter[line["quarter"]], by_kind[line["kind"]], category
