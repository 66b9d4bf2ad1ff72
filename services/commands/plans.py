"""Use cases on technology plans: load, decide, save.

Proposals and changes check their goal ids against the plan's strategy and their costs
against the client's currency; approval reads the strategy's status and active goals.

Approval and a concurrent retirement of the goal it relies on. The rule ("an initiative
serves an active goal of the plan's strategy while that strategy is active") is a
precondition of the approval decision, not an invariant over time: retiring a goal later is
allowed and leaves approved initiatives approved (the read side then counts them as
unaligned). eventsourcing cannot save the plan together with an unchanged-but-version-checked
strategy, so an approval that read the strategy just before a retirement committed can still
commit after it. We accept that bounded race, because its outcome is exactly the state of
the legal serial order "approve, then retire" (the same events, the same final state, the
initiative reported as unaligned); the only trace of the race is that the approval's log
position may follow the retirement's. The window is the time between reading the strategy and
committing the plan (milliseconds: the strategy is read last, right before deciding). After
saving we read the strategy again and log a warning when it happened, so it is observable.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID, uuid4

from domain.calendar import FiscalQuarter
from domain.category import Category
from domain.client import Client
from domain.plan import RecurringCost, TechnologyPlan
from domain.shared import UNSET, Money, Priority, RuleViolation, Unset
from domain.strategy import Strategy
from services.auth import DECIDE_INITIATIVE, EDIT
from services.commands.context import Context, change, requires
from services.errors import Invalid, NotFound

log = logging.getLogger("techplan.plans")

Result = tuple[TechnologyPlan, int]


@dataclass(frozen=True, kw_only=True)
class CreatePlan:
    client_id: UUID
    strategy_id: UUID
    title: str
    rationale: str | None = None


@dataclass(frozen=True, kw_only=True)
class ProposeInitiative:
    plan_id: UUID
    title: str
    category: Category
    goal_ids: list[UUID]
    priority: Priority
    description: str | None = None
    target_quarter: FiscalQuarter | None = None
    one_time_cost: Money | None = None
    recurring_cost: RecurringCost | None = None
    rationale: str | None = None


@dataclass(frozen=True, kw_only=True)
class UpdateInitiative:
    """None leaves a field as it is; for the nullable ones UNSET does, and None clears."""

    plan_id: UUID
    initiative_id: UUID
    rationale: str
    title: str | None = None
    description: str | Unset | None = UNSET
    category: Category | None = None
    goal_ids: list[UUID] | None = None
    target_quarter: FiscalQuarter | Unset | None = UNSET
    one_time_cost: Money | Unset | None = UNSET
    recurring_cost: RecurringCost | Unset | None = UNSET
    priority: Priority | None = None


@dataclass(frozen=True, kw_only=True)
class MoveInitiative:
    """A status move; only a deferral names the quarter it moves to."""

    plan_id: UUID
    initiative_id: UUID
    rationale: str
    target_quarter: FiscalQuarter | None = None


@requires(EDIT)
def create_plan(ctx: Context, command: CreatePlan) -> Result:
    client = ctx.load(Client, command.client_id)
    strategy = _strategy_of(ctx, client.id, command.strategy_id)
    plan = TechnologyPlan.create(
        id=uuid4(),
        tenant_id=client.tenant_id,
        client_id=client.id,
        title=command.title,
        strategy_id=strategy.id,
        by=ctx.decision(command.rationale),
    )
    return plan, ctx.store.save(plan)


@requires(EDIT)
def propose_initiative(
    ctx: Context, command: ProposeInitiative
) -> tuple[TechnologyPlan, int, UUID]:
    initiative_id = uuid4()

    def decide(plan: TechnologyPlan) -> None:
        plan.propose_initiative(
            initiative_id=initiative_id,
            title=command.title,
            description=command.description,
            category=command.category,
            goal_ids=command.goal_ids,
            target_quarter=command.target_quarter,
            one_time_cost=command.one_time_cost,
            recurring_cost=command.recurring_cost,
            priority=command.priority,
            currency=_currency(ctx, plan),
            strategy_goal_ids=_goal_ids(ctx, plan),
            by=ctx.decision(command.rationale),
        )

    plan, position = change(ctx, TechnologyPlan, command.plan_id, decide)
    return plan, position, initiative_id


@requires(EDIT)
def update_initiative(ctx: Context, command: UpdateInitiative) -> Result:
    def decide(plan: TechnologyPlan) -> None:
        plan.update_initiative(
            command.initiative_id,
            title=command.title,
            description=command.description,
            category=command.category,
            goal_ids=command.goal_ids,
            target_quarter=command.target_quarter,
            one_time_cost=command.one_time_cost,
            recurring_cost=command.recurring_cost,
            priority=command.priority,
            currency=_currency(ctx, plan),
            strategy_goal_ids=None if command.goal_ids is None else _goal_ids(ctx, plan),
            by=ctx.decision(command.rationale),
        )

    return change(ctx, TechnologyPlan, command.plan_id, decide)


# ---------------------------------------------------------------- status moves


@requires(DECIDE_INITIATIVE)
def approve_initiative(ctx: Context, move: MoveInitiative) -> Result:
    _no_quarter(move, "approve")
    read: dict[str, Strategy] = {}  # the strategy as the decision saw it

    def decide(plan: TechnologyPlan) -> None:
        strategy = ctx.load(Strategy, plan.strategy_id)
        read["strategy"] = strategy
        plan.approve_initiative(
            move.initiative_id,
            strategy_status=strategy.status,
            active_goal_ids=strategy.active_goal_ids(),
            by=ctx.decision(move.rationale),
        )

    plan, position = change(ctx, TechnologyPlan, move.plan_id, decide)
    _notice_concurrent_retirement(ctx, plan, move.initiative_id, read["strategy"], position)
    return plan, position


@requires(DECIDE_INITIATIVE)
def defer_initiative(ctx: Context, move: MoveInitiative) -> Result:
    return change(
        ctx,
        TechnologyPlan,
        move.plan_id,
        lambda plan: plan.defer_initiative(
            move.initiative_id,
            target_quarter=move.target_quarter,
            by=ctx.decision(move.rationale),
        ),
    )


@requires(EDIT)
def start_initiative(ctx: Context, move: MoveInitiative) -> Result:
    _no_quarter(move, "start")
    return change(
        ctx,
        TechnologyPlan,
        move.plan_id,
        lambda p: p.start_initiative(move.initiative_id, ctx.decision(move.rationale)),
    )


@requires(EDIT)
def complete_initiative(ctx: Context, move: MoveInitiative) -> Result:
    _no_quarter(move, "complete")
    return change(
        ctx,
        TechnologyPlan,
        move.plan_id,
        lambda p: p.complete_initiative(move.initiative_id, ctx.decision(move.rationale)),
    )


@requires(EDIT)
def cancel_initiative(ctx: Context, move: MoveInitiative) -> Result:
    _no_quarter(move, "cancel")
    return change(
        ctx,
        TechnologyPlan,
        move.plan_id,
        lambda p: p.cancel_initiative(move.initiative_id, ctx.decision(move.rationale)),
    )


INITIATIVE_ACTIONS: dict[str, Callable[[Context, MoveInitiative], Result]] = {
    "approve": approve_initiative,
    "start": start_initiative,
    "complete": complete_initiative,
    "defer": defer_initiative,
    "cancel": cancel_initiative,
}


# ---------------------------------------------------------------- helpers


def _strategy_of(ctx: Context, client_id: UUID, strategy_id: UUID) -> Strategy:
    """The client's strategy; another client's (or tenant's) answers like a missing one."""
    try:
        strategy = ctx.load(Strategy, strategy_id)
    except NotFound:
        strategy = None
    if strategy is None or strategy.client_id != client_id:
        raise Invalid("not a strategy of this client", field="strategy_id")
    return strategy


def _goal_ids(ctx: Context, plan: TechnologyPlan) -> set[UUID]:
    """Every goal of the plan's strategy, retired ones too: approval checks which are live."""
    strategy = ctx.load(Strategy, plan.strategy_id)
    return set(strategy.goals)


def _currency(ctx: Context, plan: TechnologyPlan) -> str:
    return ctx.load(Client, plan.client_id).currency


def _no_quarter(move: MoveInitiative, action: str) -> None:
    if move.target_quarter is not None:
        raise RuleViolation(
            f"target_quarter is given when deferring, not to {action}", field="target_quarter"
        )


def _notice_concurrent_retirement(
    ctx: Context, plan: TechnologyPlan, initiative_id: UUID, read: Strategy, position: int
) -> None:
    """Make the accepted race (module docstring) observable: a goal the approval relied on
    was retired between our read of the strategy and our commit."""
    now = ctx.load(Strategy, read.id)
    if now.version == read.version or now.status != "active":
        return
    served = set(plan.initiative(initiative_id).goal_ids)
    if served & read.active_goal_ids() and not served & now.active_goal_ids():
        log.warning(
            "initiative %s of plan %s was approved (position %s) while the goals it serves "
            "were retired concurrently (strategy %s version %s -> %s); it counts as unaligned",
            initiative_id,
            plan.id,
            position,
            read.id,
            read.version,
            now.version,
        )
