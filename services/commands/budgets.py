"""Use cases on budgets: load, decide, save.

"One budget per client and fiscal year that is not closed" spans aggregates, so creating a
budget also records it as open on the Client aggregate, in the same atomic save; closing it
releases the year in the same way. Two concurrent creations both write the client at the same
version: optimistic concurrency lets one commit, the other is retried on the fresh client,
finds the year taken and answers 409.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID, uuid4

from domain.budget import Budget, LineKind
from domain.calendar import FiscalYear
from domain.category import Category
from domain.client import Client
from domain.plan import TechnologyPlan
from domain.shared import UNSET, TechplanAggregate, Unset
from services.auth import DECIDE_BUDGET, EDIT
from services.commands.context import Context, Pin, change, requires
from services.errors import Invalid, NotFound

Result = tuple[Budget, int]


@dataclass(frozen=True, kw_only=True)
class CreateBudget:
    client_id: UUID
    fiscal_year: FiscalYear
    plan_id: UUID | None = None
    title: str | None = None
    rationale: str | None = None


@dataclass(frozen=True, kw_only=True)
class AddLine:
    budget_id: UUID
    category: Category
    quarter: str  # Q1-Q4 of the budget's fiscal year
    amount_minor: int
    kind: LineKind
    initiative_id: UUID | None = None
    description: str | None = None
    rationale: str | None = None


@dataclass(frozen=True, kw_only=True)
class UpdateLine:
    """None leaves a field as it is; for the nullable ones UNSET does, and None clears."""

    budget_id: UUID
    line_id: UUID
    rationale: str
    category: Category | None = None
    quarter: str | None = None
    amount_minor: int | None = None
    kind: LineKind | None = None
    initiative_id: UUID | Unset | None = UNSET
    description: str | Unset | None = UNSET


@dataclass(frozen=True, kw_only=True)
class RecordActual:
    budget_id: UUID
    line_id: UUID
    amount_minor: int  # negative: a credit
    note: str | None = None
    rationale: str | None = None


@requires(EDIT)
def create_budget(ctx: Context, command: CreateBudget) -> Result:
    budget_id = uuid4()
    created: list[Budget] = []  # the budget of the attempt that committed

    def decide(client: Client) -> list[TechplanAggregate]:
        plan_id = None if command.plan_id is None else _plan_of(ctx, client.id, command.plan_id).id
        by = ctx.decision(command.rationale)
        budget = Budget.create(
            id=budget_id,
            tenant_id=client.tenant_id,
            client_id=client.id,
            fiscal_year=command.fiscal_year.year,
            currency=client.currency,
            plan_id=plan_id,
            title=command.title,
            by=by,
        )
        client.open_budget(budget.id, command.fiscal_year.year, by)
        created[:] = [budget]
        return [budget, client]

    _, position = change(ctx, Client, command.client_id, decide, pin=Pin.NOTHING)
    return created[0], position


# ---------------------------------------------------------------- lines and actuals


@requires(EDIT)
def add_line(ctx: Context, command: AddLine) -> tuple[Budget, int, UUID]:
    line_id = uuid4()

    def decide(budget: Budget) -> None:
        budget.add_line(
            line_id=line_id,
            category=command.category,
            quarter=command.quarter,
            amount_minor=command.amount_minor,
            kind=command.kind,
            initiative_id=command.initiative_id,
            description=command.description,
            plan_initiative_ids=_initiative_ids(ctx, budget, command.initiative_id),
            by=ctx.decision(command.rationale),
        )

    budget, position = change(ctx, Budget, command.budget_id, decide)
    return budget, position, line_id


@requires(EDIT)
def update_line(ctx: Context, command: UpdateLine) -> Result:
    named = None if isinstance(command.initiative_id, Unset) else command.initiative_id

    def decide(budget: Budget) -> None:
        budget.update_line(
            command.line_id,
            category=command.category,
            quarter=command.quarter,
            amount_minor=command.amount_minor,
            kind=command.kind,
            initiative_id=command.initiative_id,
            description=command.description,
            plan_initiative_ids=_initiative_ids(ctx, budget, named),
            by=ctx.decision(command.rationale),
        )

    return change(ctx, Budget, command.budget_id, decide)


@requires(EDIT)
def remove_line(ctx: Context, budget_id: UUID, line_id: UUID, rationale: str) -> Result:
    return change(ctx, Budget, budget_id, lambda b: b.remove_line(line_id, ctx.decision(rationale)))


@requires(EDIT)
def record_actual(ctx: Context, command: RecordActual) -> tuple[Budget, int, UUID]:
    actual_id = uuid4()
    budget, position = change(
        ctx,
        Budget,
        command.budget_id,
        lambda b: b.record_actual(
            actual_id=actual_id,
            line_id=command.line_id,
            amount_minor=command.amount_minor,
            note=command.note,
            by=ctx.decision(command.rationale),
        ),
    )
    return budget, position, actual_id


# ---------------------------------------------------------------- status


@requires(EDIT)
def submit(ctx: Context, budget_id: UUID, rationale: str) -> Result:
    return change(ctx, Budget, budget_id, lambda b: b.submit(ctx.decision(rationale)))


@requires(DECIDE_BUDGET)
def approve(ctx: Context, budget_id: UUID, rationale: str) -> Result:
    return change(ctx, Budget, budget_id, lambda b: b.approve(ctx.decision(rationale)))


@requires(DECIDE_BUDGET)
def reject(ctx: Context, budget_id: UUID, rationale: str) -> Result:
    return change(ctx, Budget, budget_id, lambda b: b.reject(ctx.decision(rationale)))


@requires(EDIT)
def reopen(ctx: Context, budget_id: UUID, rationale: str) -> Result:
    return change(ctx, Budget, budget_id, lambda b: b.reopen(ctx.decision(rationale)))


@requires(EDIT)
def close(ctx: Context, budget_id: UUID, rationale: str) -> Result:
    """Close the budget and release its fiscal year on the client, atomically."""

    def decide(budget: Budget) -> list[TechplanAggregate]:
        by = ctx.decision(rationale)
        budget.close(by)
        client = ctx.load(Client, budget.client_id)
        client.close_budget(budget.id, budget.fiscal_year, by)
        return [budget, client]

    # If-Match is checked on the budget as each attempt loads it, so a conflict on the client
    # (renamed meanwhile) is retried rather than reported as a stale If-Match.
    return change(ctx, Budget, budget_id, decide, pin=Pin.LOADED)


BUDGET_ACTIONS: dict[str, Callable[[Context, UUID, str], Result]] = {
    "submit": submit,
    "approve": approve,
    "reject": reject,
    "reopen": reopen,
    "close": close,
}


# ---------------------------------------------------------------- helpers


def _plan_of(ctx: Context, client_id: UUID, plan_id: UUID) -> TechnologyPlan:
    """The client's plan; another client's (or tenant's) answers like a missing one."""
    try:
        plan = ctx.load(TechnologyPlan, plan_id)
    except NotFound:
        plan = None
    if plan is None or plan.client_id != client_id:
        raise Invalid("not a plan of this client", field="plan_id")
    return plan


def _initiative_ids(ctx: Context, budget: Budget, initiative_id: UUID | None) -> set[UUID] | None:
    """The initiatives of the budget's plan, read only when a line names one."""
    if initiative_id is None or budget.plan_id is None:
        return None
    return ctx.load(TechnologyPlan, budget.plan_id).initiative_ids()
