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
from uuid import UUID, uuid4

from msgspec import UNSET

from domain.calendar import FiscalQuarter
from domain.client import Client
from domain.plan import RecurringCost, TechnologyPlan
from domain.shared import Money, RuleViolation
from domain.strategy import Strategy
from services.api.common import Ctx
from services.api.tactical_schemas import (
    InitiativeActionIn,
    InitiativeIn,
    InitiativePatch,
    MoneyIn,
    PlanIn,
    RecurringCostIn,
)
from services.auth import DECIDE_INITIATIVE, EDIT, Role
from services.commands.patching import converted, given
from services.errors import Invalid, NotFound
from services.store import retrying

log = logging.getLogger("techplan.plans")

Result = tuple[TechnologyPlan, int]


def create_plan(ctx: Ctx, client_id: UUID, data: PlanIn) -> Result:
    ctx.principal.require(*EDIT)
    store = ctx.c.store
    client = store.load(Client, client_id, ctx.principal)
    strategy = _strategy_of(ctx, client.id, data.strategy_id)
    plan = TechnologyPlan.create(
        id=uuid4(),
        tenant_id=client.tenant_id,
        client_id=client.id,
        title=data.title,
        strategy_id=strategy.id,
        by=ctx.decision(data.rationale),
    )
    return plan, store.save(plan)


def propose_initiative(
    ctx: Ctx, plan_id: UUID, data: InitiativeIn
) -> tuple[TechnologyPlan, int, UUID]:
    initiative_id = uuid4()

    def decide(plan: TechnologyPlan) -> None:
        plan.propose_initiative(
            initiative_id=initiative_id,
            title=data.title,
            category=data.category,
            goal_ids=data.goal_ids,
            target_quarter=_quarter(data.target_quarter),
            one_time_cost=_money(data.one_time_cost),
            recurring_cost=_recurring(data.recurring_cost),
            priority=data.priority,
            currency=_currency(ctx, plan),
            strategy_goal_ids=_goal_ids(ctx, plan),
            by=ctx.decision(data.rationale),
        )

    plan, position = _change(ctx, plan_id, decide)
    return plan, position, initiative_id


def update_initiative(
    ctx: Ctx, plan_id: UUID, initiative_id: UUID, data: InitiativePatch
) -> Result:
    def decide(plan: TechnologyPlan) -> None:
        plan.update_initiative(
            initiative_id,
            title=given(data.title),
            category=given(data.category),
            goal_ids=given(data.goal_ids),
            target_quarter=converted(data.target_quarter, _quarter),
            one_time_cost=converted(data.one_time_cost, _money),
            recurring_cost=converted(data.recurring_cost, _recurring),
            priority=given(data.priority),
            currency=_currency(ctx, plan),
            strategy_goal_ids=None if data.goal_ids is UNSET else _goal_ids(ctx, plan),
            by=ctx.decision(data.rationale),
        )

    return _change(ctx, plan_id, decide)


# ---------------------------------------------------------------- status moves


def approve_initiative(
    ctx: Ctx, plan_id: UUID, initiative_id: UUID, data: InitiativeActionIn
) -> Result:
    ctx.principal.require(*DECIDE_INITIATIVE)
    _no_quarter(data, "approve")
    read: dict[str, Strategy] = {}  # the strategy as the decision saw it

    def decide(plan: TechnologyPlan) -> None:
        strategy = ctx.c.store.load(Strategy, plan.strategy_id, ctx.principal)
        read["strategy"] = strategy
        plan.approve_initiative(
            initiative_id,
            strategy_status=strategy.status,
            active_goal_ids=strategy.active_goal_ids(),
            by=ctx.decision(data.rationale),
        )

    plan, position = _change(ctx, plan_id, decide, roles=DECIDE_INITIATIVE)
    _notice_concurrent_retirement(ctx, plan, initiative_id, read["strategy"], position)
    return plan, position


def defer_initiative(
    ctx: Ctx, plan_id: UUID, initiative_id: UUID, data: InitiativeActionIn
) -> Result:
    ctx.principal.require(*DECIDE_INITIATIVE)
    quarter = _quarter(data.target_quarter)
    return _change(
        ctx,
        plan_id,
        lambda plan: plan.defer_initiative(
            initiative_id, target_quarter=quarter, by=ctx.decision(data.rationale)
        ),
        roles=DECIDE_INITIATIVE,
    )


def start_initiative(
    ctx: Ctx, plan_id: UUID, initiative_id: UUID, data: InitiativeActionIn
) -> Result:
    ctx.principal.require(*EDIT)
    _no_quarter(data, "start")
    return _change(
        ctx, plan_id, lambda p: p.start_initiative(initiative_id, ctx.decision(data.rationale))
    )


def complete_initiative(
    ctx: Ctx, plan_id: UUID, initiative_id: UUID, data: InitiativeActionIn
) -> Result:
    ctx.principal.require(*EDIT)
    _no_quarter(data, "complete")
    return _change(
        ctx, plan_id, lambda p: p.complete_initiative(initiative_id, ctx.decision(data.rationale))
    )


def cancel_initiative(
    ctx: Ctx, plan_id: UUID, initiative_id: UUID, data: InitiativeActionIn
) -> Result:
    ctx.principal.require(*EDIT)
    _no_quarter(data, "cancel")
    return _change(
        ctx, plan_id, lambda p: p.cancel_initiative(initiative_id, ctx.decision(data.rationale))
    )


InitiativeAction = Callable[[Ctx, UUID, UUID, InitiativeActionIn], Result]
INITIATIVE_ACTIONS: dict[str, InitiativeAction] = {
    "approve": approve_initiative,
    "start": start_initiative,
    "complete": complete_initiative,
    "defer": defer_initiative,
    "cancel": cancel_initiative,
}


# ---------------------------------------------------------------- helpers


def _change(
    ctx: Ctx,
    plan_id: UUID,
    decide: Callable[[TechnologyPlan], None],
    *,
    roles: tuple[Role, ...] = EDIT,
) -> Result:
    ctx.principal.require(*roles)

    def attempt() -> Result:
        plan = ctx.c.store.load(TechnologyPlan, plan_id, ctx.principal, if_match=ctx.if_match)
        decide(plan)
        return plan, ctx.c.store.save(plan)

    return retrying(attempt, if_match=ctx.if_match)


def _strategy_of(ctx: Ctx, client_id: UUID, strategy_id: UUID) -> Strategy:
    """The client's strategy; another client's (or tenant's) answers like a missing one."""
    try:
        strategy = ctx.c.store.load(Strategy, strategy_id, ctx.principal)
    except NotFound:
        strategy = None
    if strategy is None or strategy.client_id != client_id:
        raise Invalid("not a strategy of this client", field="strategy_id")
    return strategy


def _goal_ids(ctx: Ctx, plan: TechnologyPlan) -> set[UUID]:
    """Every goal of the plan's strategy, retired ones too: approval checks which are live."""
    strategy = ctx.c.store.load(Strategy, plan.strategy_id, ctx.principal)
    return set(strategy.goals)


def _currency(ctx: Ctx, plan: TechnologyPlan) -> str:
    return ctx.c.store.load(Client, plan.client_id, ctx.principal).currency


def _quarter(text: str | None) -> FiscalQuarter | None:
    return None if text is None else FiscalQuarter.parse(text)


def _money(cost: MoneyIn | None) -> Money | None:
    if cost is None:
        return None
    return Money.from_dict(
        {"amount_minor": cost.amount_minor, "currency": cost.currency}, field="one_time_cost"
    )


def _recurring(cost: RecurringCostIn | None) -> RecurringCost | None:
    if cost is None:
        return None
    return RecurringCost.from_dict(
        {
            "amount_minor": cost.amount_minor,
            "currency": cost.currency,
            "per": cost.per.value,
            "quantity": cost.quantity,
        }
    )


def _no_quarter(data: InitiativeActionIn, action: str) -> None:
    if data.target_quarter is not None:
        raise RuleViolation(
            f"target_quarter is given when deferring, not to {action}", field="target_quarter"
        )


def _notice_concurrent_retirement(
    ctx: Ctx, plan: TechnologyPlan, initiative_id: UUID, read: Strategy, position: int
) -> None:
    """Make the accepted race (module docstring) observable: a goal the approval relied on
    was retired between our read of the strategy and our commit."""
    now = ctx.c.store.load(Strategy, read.id, ctx.principal)
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
