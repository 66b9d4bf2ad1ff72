"""An integrator's first session with Techplan, through the client generated from the served
OpenAPI document (examples/techplan_client, by openapi-python-client).

    TECHPLAN_URL=http://127.0.0.1:8000 TECHPLAN_API_KEY=tpk_... python examples/quickstart.py

A client company, a strategy with a goal, adopted; a technology plan with an initiative for
that goal; a budget with a line for it; then the plan's history and the portfolio.
"""

from __future__ import annotations

import os
from typing import TypeVar

from techplan_client import AuthenticatedClient
from techplan_client.api.budgets import (
    v1_budgets_budget_id_lines_add_line as add_line,
)
from techplan_client.api.budgets import (
    v1_clients_client_id_budgets_create as create_budget,
)
from techplan_client.api.clients import v1_clients_create as create_client
from techplan_client.api.history import plans_history
from techplan_client.api.plans import (
    v1_clients_client_id_plans_create as create_plan,
)
from techplan_client.api.plans import (
    v1_plans_plan_id_initiatives_propose as propose_initiative,
)
from techplan_client.api.portfolio import v1_portfolio_list_portfolio as portfolio
from techplan_client.api.strategies import (
    v1_clients_client_id_strategies_create as create_strategy,
)
from techplan_client.api.strategies import (
    v1_strategies_strategy_id_adopt_adopt as adopt,
)
from techplan_client.api.strategies import (
    v1_strategies_strategy_id_goals_add_goal as add_goal,
)
from techplan_client.models import (
    BudgetIn,
    Category,
    ClientIn,
    DecisionIn,
    GoalIn,
    InitiativeIn,
    LineIn,
    LineInQuarter,
    LineKind,
    MoneyIn,
    PlanIn,
    Priority,
    Problem,
    StrategyIn,
)
from techplan_client.types import Unset

T = TypeVar("T")
V = TypeVar("V")


def ok(answer: T | Problem | None, what: str) -> T:
    """The answer, or stop with the problem the API gave."""
    if answer is None or isinstance(answer, Problem):
        detail = answer.detail if isinstance(answer, Problem) else "no answer"
        raise SystemExit(f"{what}: {detail}")
    return answer


def given(value: V | Unset, what: str) -> V:
    """A field a command's answer has (`position`, `created_id`) but a read's has not."""
    if isinstance(value, Unset):
        raise SystemExit(f"{what}: not in the answer")
    return value


def main() -> None:
    api = AuthenticatedClient(
        base_url=os.environ.get("TECHPLAN_URL", "http://127.0.0.1:8000"),
        token=os.environ["TECHPLAN_API_KEY"],
    )
    with api:
        client = ok(
            create_client.sync(client=api, body=ClientIn(name="Contoso Dental", currency="EUR")),
            "client",
        )
        client_id = client.id
        strategy = ok(
            create_strategy.sync(client_id, client=api, body=StrategyIn(title="IT strategy 2027")),
            "strategy",
        )
        strategy_id = strategy.id
        goal = ok(
            add_goal.sync(
                strategy_id,
                client=api,
                body=GoalIn(title="No day lost to an outage", priority=Priority.HIGH),
            ),
            "goal",
        )
        goal_id = given(goal.created_id, "goal")
        ok(
            adopt.sync(strategy_id, client=api, body=DecisionIn(rationale="Board approved")),
            "adopt",
        )

        plan = ok(
            create_plan.sync(
                client_id,
                client=api,
                body=PlanIn(title="Plan FY2027", strategy_id=strategy_id),
            ),
            "plan",
        )
        plan_id = plan.id
        initiative = ok(
            propose_initiative.sync(
                plan_id,
                client=api,
                body=InitiativeIn(
                    title="Offsite backups",
                    category=Category.BACKUP_DR,
                    goal_ids=[goal_id],
                    priority=Priority.HIGH,
                    target_quarter="FY2027-Q2",
                    one_time_cost=MoneyIn(amount_minor=480_000, currency="EUR"),
                ),
            ),
            "initiative",
        )
        initiative_id = given(initiative.created_id, "initiative")

        budget = ok(
            create_budget.sync(
                client_id, client=api, body=BudgetIn(fiscal_year=2027, plan_id=plan_id)
            ),
            "budget",
        )
        with_line = ok(
            add_line.sync(
                budget.id,
                client=api,
                body=LineIn(
                    category=Category.BACKUP_DR,
                    quarter=LineInQuarter.Q2,
                    amount_minor=480_000,
                    kind=LineKind.CAPEX,
                    initiative_id=initiative_id,
                    description="Backup appliance",
                ),
            ),
            "line",
        )
        position = given(with_line.position, "line")

        history = ok(plans_history.sync(plan_id, client=api), "history")
        print("plan history: " + ", ".join(str(item.type_) for item in history.items))
        rows = ok(portfolio.sync(client=api, min_position=position), "portfolio")
        print(f"portfolio clients: {len(rows.items)}")
        print(f"budget lines: {len(with_line.lines)}")


if __name__ == "__main__":
    main()
