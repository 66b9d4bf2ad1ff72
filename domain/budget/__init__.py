"""Budgets: a fiscal year's planned lines per quarter, and the actual spending against them."""

from domain.budget.aggregate import Budget
from domain.budget.lines import BudgetStatus, LineKind
from domain.budget.totals import budget_totals

__all__ = ["Budget", "BudgetStatus", "LineKind", "budget_totals"]
