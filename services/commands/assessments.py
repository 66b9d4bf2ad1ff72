"""Use cases on assessments: open one for a client, answer, complete, and turn a finding into
an initiative.

From finding to initiative in one transaction. Proposing a finding changes two aggregates:
the plan gains an initiative (`plan.initiative_proposed`, with `source` naming the assessment
and the standard) and the assessment's item points at it (`assessment.finding_proposed`).
Both live in the one event store, which saves several aggregates atomically (one PostgreSQL
transaction, each aggregate version-checked), so we save them together rather than run a
process that follows the log and completes the second step later. There is therefore no
state between the two: a crash before the commit leaves neither event, after it both, and the
client may simply retry. A process manager would buy nothing here (no other service, no slow
step) and would add a window in which the initiative exists but the item does not know it,
which is exactly what lets a finding be proposed twice. Proposing twice is refused by the
assessment (`Assessment.finding`: 409 once the item has an initiative); two proposals racing
both read the item without one, the second save fails on the assessment's version, is
retried on fresh state, and then meets the 409.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID, uuid4

from domain import limits
from domain.assessment import Assessment
from domain.calendar import FiscalQuarter
from domain.client import Client
from domain.plan import TechnologyPlan
from domain.plan.initiative import InitiativeSource
from domain.scoring import Result
from domain.shared import TechplanAggregate, check_room
from domain.standard import Standard
from domain.strategy import Strategy
from services.auth import EDIT
from services.commands.context import Context, Pin, change, requires
from services.errors import Invalid, NotFound


class Library(Protocol):
    """Where the active standards of a tenant are listed (an assessment opened without
    `standard_ids` checks all of them)."""

    def active_standard_ids(self, tenant_id: UUID) -> list[UUID]: ...


@dataclass(frozen=True, kw_only=True)
class CreateAssessment:
    client_id: UUID
    title: str
    standard_ids: list[UUID] | None = None  # None: every active standard
    rationale: str | None = None


@dataclass(frozen=True, kw_only=True)
class Answer:
    assessment_id: UUID
    standard_id: UUID
    result: Result
    note: str | None = None
    rationale: str | None = None


@dataclass(frozen=True, kw_only=True)
class ProposeFinding:
    assessment_id: UUID
    standard_id: UUID
    plan_id: UUID
    goal_ids: list[UUID]
    target_quarter: FiscalQuarter | None = None
    rationale: str | None = None


@requires(EDIT)
def create_assessment(
    ctx: Context, command: CreateAssessment, library: Library
) -> tuple[Assessment, int]:
    client = ctx.load(Client, command.client_id)
    ids = (
        library.active_standard_ids(client.tenant_id)
        if command.standard_ids is None
        else list(dict.fromkeys(command.standard_ids))
    )
    # Refused before loading thousands of standards.
    check_room(
        len(ids) - 1,
        limits.STANDARDS_PER_ASSESSMENT,
        "standards in an assessment",
        field="standard_ids",
    )
    assessment = Assessment.create(
        id=uuid4(),
        tenant_id=client.tenant_id,
        client_id=client.id,
        title=command.title,
        standards=[_standard(ctx, i) for i in ids],
        by=ctx.decision(command.rationale),
    )
    return assessment, ctx.store.save(assessment)


@requires(EDIT)
def answer(ctx: Context, command: Answer) -> tuple[Assessment, int]:
    return change(
        ctx,
        Assessment,
        command.assessment_id,
        lambda assessment: assessment.answer(
            command.standard_id,
            result=command.result,
            note=command.note,
            by=ctx.decision(command.rationale),
        ),
    )


@requires(EDIT)
def complete(ctx: Context, assessment_id: UUID, rationale: str) -> tuple[Assessment, int]:
    return change(ctx, Assessment, assessment_id, lambda a: a.complete(ctx.decision(rationale)))


@requires(EDIT)
def propose_finding(ctx: Context, command: ProposeFinding) -> tuple[TechnologyPlan, int, UUID]:
    """The finding's template proposed as an initiative of the plan, and the item pointing at
    it, saved in one transaction (module docstring). If-Match names the assessment."""
    initiative_id = uuid4()
    changed: dict[str, TechnologyPlan] = {}

    def decide(assessment: Assessment) -> Sequence[TechplanAggregate]:
        template = assessment.finding(command.standard_id)  # 422, 409 before anything else
        plan = _plan_of(ctx, assessment.client_id, command.plan_id)
        decision = ctx.decision(command.rationale)
        plan.propose_initiative(
            initiative_id=initiative_id,
            title=template.title,
            description=template.description,
            category=template.category,
            goal_ids=command.goal_ids,
            target_quarter=command.target_quarter,
            one_time_cost=template.one_time_cost,
            recurring_cost=template.recurring_cost,
            priority=template.priority,
            currency=ctx.load(Client, plan.client_id).currency,
            source=InitiativeSource(assessment_id=assessment.id, standard_id=command.standard_id),
            strategy_goal_ids=set(ctx.load(Strategy, plan.strategy_id).goals),
            by=decision,
        )
        assessment.propose_finding(
            command.standard_id, plan_id=plan.id, initiative_id=initiative_id, by=decision
        )
        changed["plan"] = plan
        return [plan, assessment]  # the initiative first: the item then points at it

    _, position = change(ctx, Assessment, command.assessment_id, decide, pin=Pin.LOADED)
    return changed["plan"], position, initiative_id


def _standard(ctx: Context, standard_id: UUID) -> Standard:
    """A standard of the tenant named in a body: one that does not exist is a bad field."""
    try:
        return ctx.load(Standard, standard_id)
    except NotFound:
        raise Invalid(f"no standard {standard_id}", field="standard_ids") from None


def _plan_of(ctx: Context, client_id: UUID, plan_id: UUID) -> TechnologyPlan:
    """The client's plan; another client's (or tenant's) answers like a missing one."""
    try:
        plan = ctx.load(TechnologyPlan, plan_id)
    except NotFound:
        plan = None
    if plan is None or plan.client_id != client_id:
        raise Invalid("not a plan of the assessed client", field="plan_id")
    return plan
