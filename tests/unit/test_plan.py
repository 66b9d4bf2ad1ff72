"""Technology plans: given these events, when this command, then these events or this error."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.calendar import FiscalQuarter
from domain.plan import Period, RecurringCost, TechnologyPlan
from domain.shared import (
    Actor,
    Decision,
    ItemNotFound,
    Money,
    RuleViolation,
    StateConflict,
)

P = TechnologyPlan
VERA = Actor("u1", "Vera", "editor")
GOAL, OTHER_GOAL = uuid4(), uuid4()
Q = FiscalQuarter.parse


def by(rationale: str | None = "because", minute: int = 0) -> Decision:
    return Decision(VERA, datetime(2027, 1, 4, 9, minute, tzinfo=UTC), "req-1", rationale)


def a_plan() -> TechnologyPlan:
    plan = TechnologyPlan.create(
        id=uuid4(),
        tenant_id=uuid4(),
        client_id=uuid4(),
        title="FY2027 plan",
        strategy_id=uuid4(),
        by=by(None),
    )
    return plan


def propose(plan: TechnologyPlan, **changes: Any) -> UUID:
    iid = uuid4()
    fields: dict[str, Any] = {
        "title": "Replace firewalls",
        "category": "security",
        "goal_ids": [GOAL],
        "target_quarter": Q("FY2027-Q2"),
        "one_time_cost": Money(1_200_000, "EUR"),
        "recurring_cost": RecurringCost(5_000, "EUR", Period.MONTH, 3),
        "priority": "high",
        "currency": "EUR",
        "by": by(None),
    }
    fields.update(changes)
    plan.propose_initiative(initiative_id=iid, **fields)
    return iid


Step = Callable[[TechnologyPlan, UUID], None]


def approve(plan: TechnologyPlan, iid: UUID) -> None:
    plan.approve_initiative(iid, strategy_status="active", active_goal_ids={str(GOAL)}, by=by())


def start(plan: TechnologyPlan, iid: UUID) -> None:
    plan.start_initiative(iid, by())


def complete(plan: TechnologyPlan, iid: UUID) -> None:
    plan.complete_initiative(iid, by())


def defer(plan: TechnologyPlan, iid: UUID) -> None:
    plan.defer_initiative(iid, target_quarter=Q("FY2028-Q1"), by=by())


def cancel(plan: TechnologyPlan, iid: UUID) -> None:
    plan.cancel_initiative(iid, by())


def given_initiative(*steps: Step, **fields: Any) -> tuple[TechnologyPlan, UUID]:
    """A plan with one initiative that went through `steps`; its events are already saved."""
    plan = a_plan()
    iid = propose(plan, **fields)
    for step in steps:
        step(plan, iid)
    plan.collect_events()
    return plan, iid


def then(plan: TechnologyPlan) -> list[Any]:
    return list(plan.collect_events())


# ---------------------------------------------------------------- creating and proposing


def test_a_new_plan_follows_a_strategy_and_has_no_initiatives(replay: Any) -> None:
    plan = a_plan()
    [created] = then(plan)
    assert isinstance(created, P.Created)
    assert created.type_name() == "plan.created"
    assert plan.view() == {
        "id": str(plan.id),
        "client_id": str(plan.client_id),
        "strategy_id": str(plan.strategy_id),
        "title": "FY2027 plan",
        "initiatives": [],
        "version": 1,
    }
    assert replay([created]).view() == plan.view()


def test_proposing_an_initiative_needs_no_rationale(replay: Any) -> None:
    plan = a_plan()
    created = then(plan)
    iid = propose(plan)
    [event] = then(plan)
    assert isinstance(event, P.InitiativeProposed)
    assert event.type_name() == "plan.initiative_proposed"
    assert (event.initiative_id, event.goal_ids, event.target_quarter) == (
        iid,
        [str(GOAL)],
        "FY2027-Q2",
    )
    assert event.rationale is None
    assert plan.view()["initiatives"] == [
        {
            "id": str(iid),
            "title": "Replace firewalls",
            "description": None,
            "category": "security",
            "goal_ids": [str(GOAL)],
            "target_quarter": "FY2027-Q2",
            "one_time_cost": {"amount_minor": 1_200_000, "currency": "EUR"},
            "recurring_cost": {
                "amount_minor": 5_000,
                "currency": "EUR",
                "per": "month",
                "quantity": 3,
            },
            "priority": "high",
            "status": "proposed",
            "source": None,
        }
    ]
    assert replay([*created, event]).view() == plan.view()


def test_an_unscheduled_initiative_without_costs() -> None:
    plan, iid = given_initiative(target_quarter=None, one_time_cost=None, recurring_cost=None)
    initiative = plan.initiative(iid)
    assert initiative.target_quarter is None
    assert initiative.one_time_cost is None
    assert initiative.recurring_cost is None
    assert plan.view()["initiatives"][0]["target_quarter"] is None
    assert plan.view()["initiatives"][0]["one_time_cost"] is None
    assert plan.view()["initiatives"][0]["recurring_cost"] is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"one_time_cost": Money(100, "USD")}, "one_time_cost.currency"),
        ({"one_time_cost": Money(-1, "EUR")}, "one_time_cost.amount_minor"),
        ({"recurring_cost": RecurringCost(100, "USD", Period.YEAR)}, "recurring_cost.currency"),
        ({"recurring_cost": RecurringCost(-5, "EUR", Period.YEAR)}, "recurring_cost.amount_minor"),
        ({"recurring_cost": RecurringCost(5, "EUR", Period.YEAR, 0)}, "recurring_cost.quantity"),
        ({"category": "furniture"}, "category"),
        ({"priority": "urgent"}, "priority"),
        ({"goal_ids": ["not-a-uuid"]}, "goal_ids"),
        ({"goal_ids": [OTHER_GOAL], "strategy_goal_ids": {str(GOAL)}}, "goal_ids"),
    ],
)
def test_a_bad_proposal_is_refused_naming_the_field(fields: dict[str, Any], field: str) -> None:
    plan = a_plan()
    plan.collect_events()
    with pytest.raises(RuleViolation) as error:
        propose(plan, **fields)
    assert error.value.field == field
    assert then(plan) == []


def test_proposing_twice_with_one_id_is_a_conflict() -> None:
    plan, iid = given_initiative()
    with pytest.raises(StateConflict):
        plan.propose_initiative(
            initiative_id=iid,
            title="Again",
            category="other",
            goal_ids=[],
            target_quarter=None,
            one_time_cost=None,
            recurring_cost=None,
            priority="low",
            currency="EUR",
            by=by(None),
        )


# ---------------------------------------------------------------- changing an initiative


def test_each_kind_of_change_is_its_own_decision(replay: Any) -> None:
    plan = a_plan()
    iid = propose(plan)
    plan.update_initiative(
        iid,
        title="Replace both firewalls",
        category="network",
        goal_ids=[GOAL, OTHER_GOAL, GOAL],
        target_quarter=Q("FY2027-Q3"),
        one_time_cost=Money(1_500_000, "EUR"),
        priority="critical",
        currency="EUR",
        by=by("vendor quote came in higher", minute=5),
    )
    events = then(plan)
    assert [type(e) for e in events[2:]] == [
        P.InitiativeRetitled,
        P.InitiativeRecategorized,
        P.InitiativeRealigned,
        P.InitiativeRescheduled,
        P.InitiativeReestimated,
        P.InitiativeReprioritized,
    ]
    assert [e.type_name() for e in events[2:]] == [
        "plan.initiative_retitled",
        "plan.initiative_recategorized",
        "plan.initiative_realigned",
        "plan.initiative_rescheduled",
        "plan.initiative_reestimated",
        "plan.initiative_reprioritized",
    ]
    assert all(e.rationale == "vendor quote came in higher" for e in events[2:])
    realigned, rescheduled, reestimated = events[4], events[5], events[6]
    assert realigned.goal_ids == [str(GOAL), str(OTHER_GOAL)]
    assert rescheduled.target_quarter == "FY2027-Q3"
    assert reestimated.one_time_cost == {"amount_minor": 1_500_000, "currency": "EUR"}
    assert reestimated.recurring_cost == {
        "amount_minor": 5_000,
        "currency": "EUR",
        "per": "month",
        "quantity": 3,
    }
    assert plan.initiative(iid).one_time_cost == Money(1_500_000, "EUR")
    assert plan.initiative(iid).recurring_cost == RecurringCost(5_000, "EUR", Period.MONTH, 3)
    assert replay(events).view() == plan.view()
    assert plan.version == 8


def test_a_change_to_what_it_already_is_records_nothing() -> None:
    plan, iid = given_initiative()
    plan.update_initiative(
        iid,
        title="Replace firewalls",
        target_quarter=Q("FY2027-Q2"),
        one_time_cost=Money(1_200_000, "EUR"),
        priority="high",
        currency="EUR",
        by=by(),
    )
    assert then(plan) == []


def test_null_unschedules_and_drops_a_cost() -> None:
    plan, iid = given_initiative()
    plan.update_initiative(
        iid, target_quarter=None, recurring_cost=None, currency="EUR", by=by("on hold")
    )
    rescheduled, reestimated = then(plan)
    assert isinstance(rescheduled, P.InitiativeRescheduled)
    assert rescheduled.target_quarter is None
    assert isinstance(reestimated, P.InitiativeReestimated)
    assert reestimated.recurring_cost is None
    assert reestimated.one_time_cost == {"amount_minor": 1_200_000, "currency": "EUR"}


def test_a_bad_field_leaves_no_half_update() -> None:
    plan, iid = given_initiative()
    with pytest.raises(RuleViolation) as error:
        plan.update_initiative(
            iid, title="New title", one_time_cost=Money(5, "USD"), currency="EUR", by=by()
        )
    assert error.value.field == "one_time_cost.currency"
    assert then(plan) == []


def test_a_change_needs_a_rationale() -> None:
    plan, iid = given_initiative()
    for rationale in (None, "", "   "):
        with pytest.raises(RuleViolation) as error:
            plan.update_initiative(iid, title="x", currency="EUR", by=by(rationale))
        assert error.value.field == "rationale"


def test_an_unknown_initiative_is_not_found() -> None:
    plan, _ = given_initiative()
    with pytest.raises(ItemNotFound):
        plan.update_initiative(uuid4(), title="x", currency="EUR", by=by())
    with pytest.raises(ItemNotFound):
        plan.start_initiative(uuid4(), by())


@pytest.mark.parametrize("steps", [(approve, start, complete), (cancel,)])
def test_a_done_or_cancelled_initiative_cannot_change(steps: tuple[Step, ...]) -> None:
    plan, iid = given_initiative(*steps)
    with pytest.raises(StateConflict):
        plan.update_initiative(iid, title="x", currency="EUR", by=by())
