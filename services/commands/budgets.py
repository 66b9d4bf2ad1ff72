"""Use cases on budgets: load, decide, save.

"One budget per client and fiscal year that is not closed" spans aggregates, so creating a
budget also records it as open on the Client aggregate, in the same atomic save; closing it
releases the year in the same way. Two concurrent creations both write the client at the same
version: optimistic concurrency lets one commit, the other is retried on the fresh client,
finds the year taken and answers 409.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID, uuid4

from domain.budget import Budget
from domain.calendar import FiscalYear
from domain.client import Client
from domain.plan import TechnologyPlan
from services.api.common import Ctx
from services.api.schemas import DecisionIn
from services.api.tactical_schemas import ActualIn, BudgetIn, LineIn, LinePatch
from services.auth import DECIDE_BUDGET, EDIT, Role
from services.commands.patching import given, nullable
from services.errors import Invalid, NotFound
from services.store import retrying

Result = tuple[Budget, int]


def create_budget(ctx: Ctx, client_id: UUID, data: BudgetIn) -> Result:
    ctx.principal.require(*EDIT)
    year = _fiscal_year(data.fiscal_year)
    budget_id = uuid4()

    def attempt() -> Result:
        store = ctx.c.store
        client = store.load(Client, client_id, ctx.principal)
        plan_id = None if data.plan_id is None else _plan_of(ctx, client.id, data.plan_id).id
        by = ctx.decision(data.rationale)
        budget = Budget.create(
            id=budget_id,
            tenant_id=client.tenant_id,
            client_id=client.id,
            fiscal_year=year.year,
            currency=client.currency,
            plan_id=plan_id,
            title=data.title,
            by=by,
        )
        client.open_budget(budget.id, year.year, by)
        return budget, store.save(budget, client)

    return retrying(attempt, if_match=None)


# ---------------------------------------------------------------- lines and actuals


def add_line(ctx: Ctx, budget_id: UUID, data: LineIn) -> tuple[Budget, int, UUID]:
    line_id = uuid4()

    def decide(budget: Budget) -> None:
        budget.add_line(
            line_id=line_id,
            category=data.category,
            quarter=data.quarter,
            amount_minor=data.amount_minor,
            kind=data.kind,
            initiative_id=data.initiative_id,
            description=data.description,
            plan_initiative_ids=_initiative_ids(ctx, budget, data.initiative_id),
            by=ctx.decision(data.rationale),
        )

    budget, position = _change(ctx, budget_id, decide)
    return budget, position, line_id


def update_line(ctx: Ctx, budget_id: UUID, line_id: UUID, data: LinePatch) -> Result:
    def decide(budget: Budget) -> None:
        budget.update_line(
            line_id,
            category=given(data.category),
            quarter=given(data.quarter),
            amount_minor=given(data.amount_minor),
            kind=given(data.kind),
            initiative_id=nullable(data.initiative_id),
            description=nullable(data.description),
            plan_initiative_ids=_initiative_ids(ctx, budget, given(data.initiative_id)),
            by=ctx.decision(data.rationale),
        )

    return _change(ctx, budget_id, decide)


def remove_line(ctx: Ctx, budget_id: UUID, line_id: UUID, data: DecisionIn) -> Result:
    return _change(ctx, budget_id, lambda b: b.remove_line(line_id, ctx.decision(data.rationale)))


def record_actual(ctx: Ctx, budget_id: UUID, data: ActualIn) -> tuple[Budget, int, UUID]:
    actual_id = uuid4()
    budget, position = _change(
        ctx,
        budget_id,
        lambda b: b.record_actual(
            actual_id=actual_id,
            line_id=data.line_id,
            amount_minor=data.amount_minor,
            note=data.note,
            by=ctx.decision(data.rationale),
        ),
    )
    return budget, position, actual_id


# ---------------------------------------------------------------- status


def submit(ctx: Ctx, budget_id: UUID, data: DecisionIn) -> Result:
    return _change(ctx, budget_id, lambda b: b.submit(ctx.decision(data.rationale)))


def approve(ctx: Ctx, budget_id: UUID, data: DecisionIn) -> Result:
    return _change(
        ctx, budget_id, lambda b: b.approve(ctx.decision(data.rationale)), roles=DECIDE_BUDGET
    )


def reject(ctx: Ctx, budget_id: UUID, data: DecisionIn) -> Result:
    return _change(
        ctx, budget_id, lambda b: b.reject(ctx.decision(data.rationale)), roles=DECIDE_BUDGET
    )


def reopen(ctx: Ctx, budget_id: UUID, data: DecisionIn) -> Result:
    return _change(ctx, budget_id, lambda b: b.reopen(ctx.decision(data.rationale)))


def close(ctx: Ctx, budget_id: UUID, data: DecisionIn) -> Result:
    """Close the budget and release its fiscal year on the client, atomically."""
    ctx.principal.require(*EDIT)

    def attempt() -> Result:
        store = ctx.c.store
        budget = store.load(Budget, budget_id, ctx.principal, if_match=ctx.if_match)
        by = ctx.decision(data.rationale)
        budget.close(by)
        client = store.load(Client, budget.client_id, ctx.principal)
        client.close_budget(budget.id, budget.fiscal_year, by)
        return budget, store.save(budget, client)

    # Each attempt checks If-Match on the budget as it loads it, so a conflict on the client
    # (renamed meanwhile) is retried rather than reported as a stale If-Match.
    return retrying(attempt, if_match=None)


BudgetAction = Callable[[Ctx, UUID, DecisionIn], Result]
BUDGET_ACTIONS: dict[str, BudgetAction] = {
    "submit": submit,
    "approve": approve,
    "reject": reject,
    "reopen": reopen,
    "close": close,
}


# ---------------------------------------------------------------- helpers


def _change(
    ctx: Ctx,
    budget_id: UUID,
    decide: Callable[[Budget], None],
    *,
    roles: tuple[Role, ...] = EDIT,
) -> Result:
    ctx.principal.require(*roles)

    def attempt() -> Result:
        budget = ctx.c.store.load(Budget, budget_id, ctx.principal, if_match=ctx.if_match)
        decide(budget)
        return budget, ctx.c.store.save(budget)

    return retrying(attempt, if_match=ctx.if_match)


def _fiscal_year(value: int | str) -> FiscalYear:
    if isinstance(value, str):
        return FiscalYear.parse(value)
    return FiscalYear(value)


def _plan_of(ctx: Ctx, client_id: UUID, plan_id: UUID) -> TechnologyPlan:
    """The client's plan; another client's (or tenant's) answers like a missing one."""
    try:
        plan = ctx.c.store.load(TechnologyPlan, plan_id, ctx.principal)
    except NotFound:
        plan = None
    if plan is None or plan.client_id != client_id:
        raise Invalid("not a plan of this client", field="plan_id")
    return plan


def _initiative_ids(ctx: Ctx, budget: Budget, initiative_id: UUID | None) -> set[UUID] | None:
    """The initiatives of the budget's plan, read only when a line names one."""
    if initiative_id is None or budget.plan_id is None:
        return None
    return ctx.c.store.load(TechnologyPlan, budget.plan_id, ctx.principal).initiative_ids()
