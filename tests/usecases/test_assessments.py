"""The assessment workflow's use cases on the in-memory store: the library, an assessment,
answers, completion, and a finding proposed into a plan in one transaction."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.assessment import Assessment
from domain.category import Category
from domain.plan import TechnologyPlan
from domain.scoring import Result
from domain.shared import Money, Priority, Role, RuleViolation, StateConflict
from domain.standard import InitiativeTemplate, Severity, Standard
from services.commands import assessments, plans, standards, strategies
from services.errors import Forbidden, Invalid, NotFound, PreconditionFailed
from tests.usecases.conftest import Interleaved, LogLibrary, World

TEMPLATE = InitiativeTemplate(
    title="Immutable offsite backups",
    description="Copies ransomware cannot reach.",
    category=Category.BACKUP_DR,
    one_time_cost=Money(150_000, "USD"),
    recurring_cost=None,
    priority=Priority.HIGH,
)


def a_standard(world: World, **changes: Any) -> UUID:
    fields: dict[str, Any] = {
        "title": "Offsite immutable backups",
        "category": Category.BACKUP_DR,
        "weight": 8,
        "severity": Severity.CRITICAL,
        "initiative_template": TEMPLATE,
        **changes,
    }
    standard, _ = standards.create_standard(world.ctx(), standards.CreateStandard(**fields))
    return standard.id


def open_assessment(world: World, client: UUID, ids: list[UUID] | None = None) -> Assessment:
    command = assessments.CreateAssessment(client_id=client, title="Baseline", standard_ids=ids)
    assessment, _ = assessments.create_assessment(world.ctx(), command, LogLibrary(world.store))
    return assessment


def answer(world: World, assessment: UUID, standard: UUID, result: Result) -> Assessment:
    command = assessments.Answer(assessment_id=assessment, standard_id=standard, result=result)
    done, _ = assessments.answer(world.ctx(), command)
    return done


def scene(world: World) -> dict[str, UUID]:
    client = world.client()
    strategy = world.strategy(client)
    goal = world.goal(strategy)
    return {"client": client, "goal": goal, "plan": world.plan(client, strategy)}


def propose(world: World, assessment: UUID, standard: UUID, s: dict[str, UUID]) -> Any:
    command = assessments.ProposeFinding(
        assessment_id=assessment, standard_id=standard, plan_id=s["plan"], goal_ids=[s["goal"]]
    )
    return assessments.propose_finding(world.ctx(), command)


def test_an_assessment_checks_every_active_standard_by_default(world: World) -> None:
    client = world.client()
    kept, retired = a_standard(world), a_standard(world, title="Tape rotation")
    standards.retire_standard(world.ctx(), retired, "tapes are gone")
    other = World(world.store)  # another tenant's library is not ours
    a_standard(other)
    assessment = open_assessment(world, client)
    assert list(assessment.items) == [kept]


def test_a_named_standard_of_another_tenant_is_a_bad_field(world: World) -> None:
    client = world.client()
    theirs = a_standard(World(world.store))
    with pytest.raises(Invalid) as error:
        open_assessment(world, client, [theirs])
    assert error.value.field == "standard_ids"


def test_editing_the_library_later_changes_no_assessment(world: World) -> None:
    client = world.client()
    standard = a_standard(world)
    assessment = open_assessment(world, client)
    standards.update_standard(
        world.ctx(),
        standards.UpdateStandard(standard_id=standard, rationale="reword", weight=1),
    )
    again = world.store.load(Assessment, assessment.id, world.principal())
    assert again.item(standard).weight == 8


def test_roles_the_library_is_written_by_editors_and_hidden_from_clients(world: World) -> None:
    client = world.client()
    standard = a_standard(world)
    command = standards.CreateStandard(
        title="x", category=Category.OTHER, weight=1, severity=Severity.LOW
    )
    for role in (Role.VIEWER, Role.CLIENT):
        with pytest.raises(Forbidden):
            standards.create_standard(world.ctx(role, clients=[client]), command)
    # A key limited to some clients still reads the library; a client's key never does.
    editor = world.ctx(Role.EDITOR, clients=[client]).principal
    assert world.store.load(Standard, standard, editor).id == standard
    with pytest.raises(NotFound):
        world.store.load(Standard, standard, world.principal(Role.CLIENT, [client]))


def test_finding_to_initiative_in_one_save(world: World) -> None:
    s = scene(world)
    standard = a_standard(world)
    assessment = open_assessment(world, s["client"])
    answer(world, assessment.id, standard, Result.MISALIGNED)
    assessments.complete(world.ctx(), assessment.id, "walked through")
    head = world.store.max_position()
    plan, position, initiative_id = propose(world, assessment.id, standard, s)
    # Both events in one save: consecutive positions, the plan's first.
    log = world.store.app.read_log(head, 10)
    assert [r.event.type_name() for r in log] == [
        "plan.initiative_proposed",
        "assessment.finding_proposed",
    ]
    assert position == log[-1].position
    initiative = plan.initiative(initiative_id)
    assert (initiative.title, initiative.description, initiative.one_time_cost) == (
        TEMPLATE.title,
        TEMPLATE.description,
        TEMPLATE.one_time_cost,
    )
    assert initiative.source is not None and initiative.source.standard_id == standard
    item = world.store.load(Assessment, assessment.id, world.principal()).item(standard)
    assert item.initiative_id == initiative_id and item.plan_id == plan.id
    with pytest.raises(StateConflict):
        propose(world, assessment.id, standard, s)
    again = world.store.load(TechnologyPlan, s["plan"], world.principal())
    assert len(again.initiatives) == 1


def test_a_proposal_that_loses_the_race_is_refused_and_nothing_is_doubled(world: World) -> None:
    s = scene(world)
    standard = a_standard(world)
    assessment = open_assessment(world, s["client"])
    answer(world, assessment.id, standard, Result.MISALIGNED)
    racing = Interleaved(
        world.store, TechnologyPlan, lambda: propose(world, assessment.id, standard, s)
    )
    command = assessments.ProposeFinding(
        assessment_id=assessment.id, standard_id=standard, plan_id=s["plan"], goal_ids=[]
    )
    with pytest.raises(StateConflict):
        assessments.propose_finding(world.ctx(store=racing), command)
    assert racing.raced
    plan = world.store.load(TechnologyPlan, s["plan"], world.principal())
    assert len(plan.initiatives) == 1


def test_a_failed_proposal_writes_neither_event(world: World) -> None:
    s = scene(world)
    standard = a_standard(world)
    assessment = open_assessment(world, s["client"])
    answer(world, assessment.id, standard, Result.MISALIGNED)
    head = world.store.max_position()
    with pytest.raises(RuleViolation):  # a goal that is not the plan's strategy's
        assessments.propose_finding(
            world.ctx(),
            assessments.ProposeFinding(
                assessment_id=assessment.id,
                standard_id=standard,
                plan_id=s["plan"],
                goal_ids=[uuid4()],
            ),
        )
    assert world.store.max_position() == head


def test_another_clients_plan_is_a_bad_field_and_if_match_pins_the_assessment(
    world: World,
) -> None:
    s = scene(world)
    other = scene(world)
    standard = a_standard(world)
    assessment = open_assessment(world, s["client"])
    answer(world, assessment.id, standard, Result.MISALIGNED)
    with pytest.raises(Invalid) as error:
        propose(world, assessment.id, standard, {**s, "plan": other["plan"]})
    assert error.value.field == "plan_id"
    command = assessments.ProposeFinding(
        assessment_id=assessment.id, standard_id=standard, plan_id=s["plan"], goal_ids=[]
    )
    with pytest.raises(PreconditionFailed):
        assessments.propose_finding(world.ctx(if_match=1), command)
    _, _, _ = assessments.propose_finding(world.ctx(if_match=2), command)


def test_approval_still_needs_a_live_goal(world: World) -> None:
    s = scene(world)
    standard = a_standard(world)
    assessment = open_assessment(world, s["client"])
    answer(world, assessment.id, standard, Result.MISALIGNED)
    plan, _, initiative_id = propose(world, assessment.id, standard, s)
    strategy_id = plan.strategy_id
    strategies.adopt(world.ctx(), strategy_id, "agreed")
    move = plans.MoveInitiative(plan_id=plan.id, initiative_id=initiative_id, rationale="go")
    plans.approve_initiative(world.ctx(), move)  # serves the live goal
    # A finding proposed with no goal cannot be approved under the adopted strategy.
    second = a_standard(world, title="MFA")
    assessment2 = open_assessment(world, s["client"], [second])
    answer(world, assessment2.id, second, Result.MISALIGNED)
    command = assessments.ProposeFinding(
        assessment_id=assessment2.id, standard_id=second, plan_id=plan.id, goal_ids=[]
    )
    _, _, unaligned = assessments.propose_finding(world.ctx(), command)
    with pytest.raises(RuleViolation):
        plans.approve_initiative(
            world.ctx(),
            plans.MoveInitiative(plan_id=plan.id, initiative_id=unaligned, rationale="go"),
        )
