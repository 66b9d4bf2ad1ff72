"""Runs the demo's story: each step is one use case, run at its own (backdated) time.

A step names an action of `Demo` and its arguments as plain data (services/demo/strategies.py,
services/demo/tactical.py); the action turns them into command values and calls the same
use cases as the API (services/commands), under the demo tenant's admin key or a client
contact's key, so every event is a real one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any
from uuid import UUID

from domain.budget import LineKind
from domain.calendar import FiscalQuarter, FiscalYear
from domain.category import Category
from domain.plan import Period, RecurringCost
from domain.shared import UNSET, Money, Priority, Role
from services.auth import Principal, authenticate, create_key
from services.bootstrap import Container
from services.commands import budgets, clients, plans, strategies
from services.commands.context import Context
from services.demo.assessing import ASSESSMENT_ACTIONS, AssessmentActions


@dataclass(frozen=True)
class Step:
    """One decision of the story, `days_ago` days before the demo is loaded."""

    days_ago: int
    what: str
    action: str
    args: dict[str, Any]


Chapter = list[Step]


def step(days_ago: int, what: str, action: str, /, **args: Any) -> Step:
    if action not in ACTIONS:
        raise ValueError(f"demo step {what!r}: no action {action!r}")
    return Step(days_ago, what, action, args)


@dataclass
class Demo(AssessmentActions):
    """The running story: the time of the current step and the ids made so far."""

    c: Container
    principal: Principal
    ids: dict[str, UUID] = field(default_factory=dict)
    library: list[UUID] = field(default_factory=list)  # the standards made so far
    start_months: dict[str, int] = field(default_factory=dict)
    principals: dict[str, Principal] = field(default_factory=dict)
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    steps_run: int = 0

    def run(self, steps: Sequence[Step], *, today: datetime) -> None:
        start_of = datetime.combine(today.date(), time(9, 0), tzinfo=UTC)
        previous: datetime | None = None
        # Oldest first; steps of the same day keep their order (sorted() is stable), and
        # timestamps grow along the notification log.
        for s in sorted(steps, key=lambda s: -s.days_ago):
            at = start_of - timedelta(days=max(s.days_ago, 1))
            if previous is not None and at <= previous:
                at = previous + timedelta(minutes=7)
            previous = at
            self.steps_run += 1
            self.now = at
            try:
                getattr(self, s.action)(**s.args)
            except Exception as exc:
                raise RuntimeError(f"demo step {s.what!r} failed: {exc}") from exc

    def ctx(self, by: str | None = None) -> Context:
        """The context of the current step, under the admin key or a client contact's."""
        return Context(
            store=self.c.store,
            principal=self.principal if by is None else self.principals[by],
            correlation_id=f"demo-{self.steps_run:03d}",
            clock=lambda: self.now,
        )

    # ------------------------------------------------------------ dates of the story

    def quarter(self, client: str, days_ahead: int) -> FiscalQuarter:
        """The client's fiscal quarter `days_ahead` days after the current step."""
        day = (self.now + timedelta(days=days_ahead)).date()
        return FiscalQuarter.containing(day, self.start_months[client])

    def fiscal_year(self, client: str, days_ahead: int = 0) -> FiscalYear:
        day = (self.now + timedelta(days=days_ahead)).date()
        return FiscalYear.containing(day, self.start_months[client])

    # ------------------------------------------------------------ clients and strategies

    def client(
        self, key: str, name: str, *, fiscal_year_start_month: int = 1, currency: str = "USD"
    ) -> None:
        command = clients.CreateClient(
            name=name, fiscal_year_start_month=fiscal_year_start_month, currency=currency
        )
        client, _ = clients.create_client(self.ctx(), command)
        self.ids[key] = client.id
        self.start_months[key] = fiscal_year_start_month

    def client_key(self, key: str, client: str, name: str) -> None:
        """A portal key of role `client` for one client: its decisions carry its name."""
        with self.c.db.tx() as cur:
            _, secret = create_key(
                cur,
                tenant_id=self.principal.tenant_id,
                name=name,
                role=Role.CLIENT,
                client_ids=[self.ids[client]],
            )
        self.principals[key] = authenticate(self.c.db, f"Bearer {secret}")

    def update_client(self, key: str, rationale: str, *, name: str | None = None) -> None:
        command = clients.UpdateClient(client_id=self.ids[key], rationale=rationale, name=name)
        clients.update_client(self.ctx(), command)

    def strategy(
        self, key: str, client: str, title: str, vision: str, rationale: str | None = None
    ) -> None:
        command = strategies.CreateStrategy(
            client_id=self.ids[client], title=title, vision=vision, rationale=rationale
        )
        strategy, _ = strategies.create_strategy(self.ctx(), command)
        self.ids[key] = strategy.id

    def goal(
        self,
        key: str,
        strategy: str,
        title: str,
        priority: str,
        description: str | None = None,
        rationale: str | None = None,
    ) -> None:
        command = strategies.AddGoal(
            strategy_id=self.ids[strategy],
            title=title,
            priority=Priority(priority),
            description=description,
            rationale=rationale,
        )
        _, _, self.ids[key] = strategies.add_goal(self.ctx(), command)

    def reprioritize(self, strategy: str, goal: str, priority: str, rationale: str) -> None:
        self._update_goal(strategy, goal, rationale, priority=Priority(priority))

    def reword(
        self,
        strategy: str,
        goal: str,
        rationale: str,
        *,
        title: str | None = None,
        description: str | None = None,
    ) -> None:
        self._update_goal(strategy, goal, rationale, title=title, description=description)

    def _update_goal(self, strategy: str, goal: str, rationale: str, **changes: Any) -> None:
        command = strategies.UpdateGoal(
            strategy_id=self.ids[strategy], goal_id=self.ids[goal], rationale=rationale, **changes
        )
        strategies.update_goal(self.ctx(), command)

    def retire(self, strategy: str, goal: str, rationale: str) -> None:
        strategies.retire_goal(self.ctx(), self.ids[strategy], self.ids[goal], rationale)

    def principle(self, key: str, strategy: str, statement: str) -> None:
        _, _, self.ids[key] = strategies.add_principle(self.ctx(), self.ids[strategy], statement)

    def adopt(self, strategy: str, rationale: str) -> None:
        strategies.adopt(self.ctx(), self.ids[strategy], rationale)

    # ------------------------------------------------------------ plans

    def plan(self, key: str, client: str, strategy: str, title: str) -> None:
        command = plans.CreatePlan(
            client_id=self.ids[client], strategy_id=self.ids[strategy], title=title
        )
        plan, _ = plans.create_plan(self.ctx(), command)
        self.ids[key] = plan.id

    def initiative(
        self,
        key: str,
        plan: str,
        client: str,
        title: str,
        category: str,
        goals: list[str],
        priority: str,
        *,
        days_ahead: int,
        one_time: int | None = None,
        monthly: Sequence[int] | None = None,
        currency: str = "USD",
    ) -> None:
        """Propose an initiative; costs in major units, `monthly` is (price, quantity)."""
        command = plans.ProposeInitiative(
            plan_id=self.ids[plan],
            title=title,
            category=Category(category),
            goal_ids=[self.ids[g] for g in goals],
            priority=Priority(priority),
            target_quarter=self.quarter(client, days_ahead),
            one_time_cost=None if one_time is None else Money(one_time * 100, currency),
            recurring_cost=None
            if monthly is None
            else RecurringCost(monthly[0] * 100, currency, Period.MONTH, monthly[1]),
        )
        _, _, self.ids[key] = plans.propose_initiative(self.ctx(), command)

    def change_initiative(
        self,
        plan: str,
        initiative: str,
        client: str,
        rationale: str,
        *,
        days_ahead: int | None = None,
        priority: str | None = None,
    ) -> None:
        """Reschedule (to the quarter `days_ahead` days after this step) or reprioritize."""
        command = plans.UpdateInitiative(
            plan_id=self.ids[plan],
            initiative_id=self.ids[initiative],
            rationale=rationale,
            target_quarter=UNSET if days_ahead is None else self.quarter(client, days_ahead),
            priority=None if priority is None else Priority(priority),
        )
        plans.update_initiative(self.ctx(), command)

    def approve_initiative(
        self, plan: str, initiative: str, rationale: str, *, by: str | None = None
    ) -> None:
        plans.approve_initiative(self.ctx(by), self._move(plan, initiative, rationale))

    def start_initiative(self, plan: str, initiative: str, rationale: str) -> None:
        plans.start_initiative(self.ctx(), self._move(plan, initiative, rationale))

    def _move(self, plan: str, initiative: str, rationale: str) -> plans.MoveInitiative:
        return plans.MoveInitiative(
            plan_id=self.ids[plan], initiative_id=self.ids[initiative], rationale=rationale
        )

    # ------------------------------------------------------------ budgets

    def budget(
        self, key: str, client: str, plan: str | None, title: str, fiscal_year_in_days: int
    ) -> None:
        command = budgets.CreateBudget(
            client_id=self.ids[client],
            fiscal_year=self.fiscal_year(client, fiscal_year_in_days),
            plan_id=None if plan is None else self.ids[plan],
            title=title,
        )
        budget, _ = budgets.create_budget(self.ctx(), command)
        self.ids[key] = budget.id

    def line(
        self,
        key: str,
        budget: str,
        category: str,
        quarter: str,
        amount: int,
        kind: str,
        description: str,
        initiative: str | None = None,
    ) -> None:
        """A planned line; `amount` in major units."""
        command = budgets.AddLine(
            budget_id=self.ids[budget],
            category=Category(category),
            quarter=quarter,
            amount_minor=amount * 100,
            kind=LineKind(kind),
            initiative_id=None if initiative is None else self.ids[initiative],
            description=description,
        )
        _, _, self.ids[key] = budgets.add_line(self.ctx(), command)

    def cut_line(self, budget: str, line: str, amount: int, rationale: str) -> None:
        command = budgets.UpdateLine(
            budget_id=self.ids[budget],
            line_id=self.ids[line],
            rationale=rationale,
            amount_minor=amount * 100,
        )
        budgets.update_line(self.ctx(), command)

    def budget_action(
        self, budget: str, action: str, rationale: str, *, by: str | None = None
    ) -> None:
        """submit, approve, reject, reopen or close."""
        budgets.BUDGET_ACTIONS[action](self.ctx(by), self.ids[budget], rationale)

    def actual(self, budget: str, line: str, amount: int, note: str) -> None:
        command = budgets.RecordActual(
            budget_id=self.ids[budget],
            line_id=self.ids[line],
            amount_minor=amount * 100,
            note=note,
        )
        budgets.record_actual(self.ctx(), command)


# What a step may name: the story's verbs, not the runner's helpers.
ACTIONS = (
    frozenset(
        {
            "client",
            "client_key",
            "update_client",
            "strategy",
            "goal",
            "reprioritize",
            "reword",
            "retire",
            "principle",
            "adopt",
            "plan",
            "initiative",
            "change_initiative",
            "approve_initiative",
            "start_initiative",
            "budget",
            "line",
            "cut_line",
            "budget_action",
            "actual",
        }
    )
    | ASSESSMENT_ACTIONS
)
