"""The tactical half of the API: technology plans and budgets, with their history.

`services.app` finds this module and adds `routes()` to the application.
"""

from __future__ import annotations

from typing import Any

from domain.budget import Budget
from domain.plan import TechnologyPlan
from services.api.budgets import BudgetController, ClientBudgetsController
from services.api.history import history_router
from services.api.plans import ClientPlansController, PlanController


def routes() -> list[Any]:
    return [
        ClientPlansController,
        PlanController,
        history_router("plans", TechnologyPlan),
        ClientBudgetsController,
        BudgetController,
        history_router("budgets", Budget),
    ]
