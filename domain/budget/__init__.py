"""Budgets: a fiscal year's planned lines per quarter, and the actual spending against them."""

from domain.budget.aggregate import Budget
from domain.budget.lines import Actual, BudgetLine, BudgetStatus, LineKind
from domain.budget.view import budget_totals

__all__ = ["Actual", "Budget", "BudgetLine", "BudgetStatus", "LineKind", "budget_totals"]
