"""Technology plans: how an initiative's status moves, and the rules on approving and
deferring it. Given these events, when this command, then these events or this error."""

from __future__ import annotations

from typing import Any

import pytest

from domain.calendar import FiscalQuarter
from domain.plan import InitiativeStatus
from domain.shared import RuleViolation, StateConflict
from tests.unit.test_plan import (
    GOAL,
    OTHER_GOAL,
    P,
    Q,
    Step,
    approve,
    by,
    cancel,
    complete,
    defer,
    given_initiative,
    start,
    then,
)

# ---------------------------------------------------------------- status moves

ALLOWED: list[tuple[tuple[Step, ...], Step, type[Any], str]] = [
    ((), approve, P.InitiativeApproved, "approved"),
    ((approve,), start, P.InitiativeStarted, "in_progress"),
    ((approve, start), complete, P.InitiativeCompleted, "done"),
    ((), defer, P.InitiativeDeferred, "proposed"),
    ((approve,), defer, P.InitiativeDeferred, "proposed"),
    ((), cancel, P.InitiativeCancelled, "cancelled"),
    ((approve,), cancel, P.InitiativeCancelled, "cancelled"),
    ((approve, start), cancel, P.InitiativeCancelled, "cancelled"),
]


@pytest.mark.parametrize(("steps", "action", "event_class", "status"), ALLOWED)
def test_allowed_moves(
    steps: tuple[Step, ...], action: Step, event_class: type[Any], status: str
) -> None:
    plan, iid = given_initiative(*steps)
    action(plan, iid)
    [event] = then(plan)
    assert type(event) is event_class
    assert event.initiative_id == iid
    assert event.rationale == "because"
    assert plan.initiative(iid).status is InitiativeStatus(status)


DONE, CANCELLED, IN_PROGRESS = (approve, start, complete), (cancel,), (approve, start)
REFUSED: list[tuple[tuple[Step, ...], Step]] = [
    ((), start),
    ((), complete),
    ((approve,), approve),
    ((approve,), complete),
    (IN_PROGRESS, approve),
    (IN_PROGRESS, start),
    (IN_PROGRESS, defer),
    *[(DONE, action) for action in (approve, start, complete, defer, cancel)],
    *[(CANCELLED, action) for action in (approve, start, complete, defer, cancel)],
]


@pytest.mark.parametrize(("steps", "action"), REFUSED)
def test_any_other_move_is_a_conflict(steps: tuple[Step, ...], action: Step) -> None:
    plan, iid = given_initiative(*steps)
    with pytest.raises(StateConflict):
        action(plan, iid)
    assert then(plan) == []


def test_a_move_needs_a_rationale() -> None:
    plan, iid = given_initiative()
    with pytest.raises(RuleViolation) as error:
        plan.cancel_initiative(iid, by(None))
    assert error.value.field == "rationale"


# ---------------------------------------------------------------- approval follows the strategy


def test_approval_is_refused_when_the_initiative_serves_no_active_goal() -> None:
    plan, iid = given_initiative(goal_ids=[OTHER_GOAL])
    with pytest.raises(RuleViolation) as error:
        plan.approve_initiative(iid, strategy_status="active", active_goal_ids={str(GOAL)}, by=by())
    assert error.value.message == "initiative serves no active goal of the adopted strategy"
    assert error.value.kind == "invalid"
    assert then(plan) == []


def test_an_initiative_serving_no_goal_is_refused_under_an_active_strategy() -> None:
    plan, iid = given_initiative(goal_ids=[])
    with pytest.raises(RuleViolation):
        plan.approve_initiative(iid, strategy_status="active", active_goal_ids=set(), by=by())


@pytest.mark.parametrize("status", ["draft", "superseded", "archived"])
def test_without_an_active_strategy_approval_needs_no_goal(status: str) -> None:
    plan, iid = given_initiative(goal_ids=[])
    plan.approve_initiative(iid, strategy_status=status, active_goal_ids=set(), by=by())
    assert [type(e) for e in then(plan)] == [P.InitiativeApproved]


def test_one_active_goal_among_several_is_enough() -> None:
    plan, iid = given_initiative(goal_ids=[OTHER_GOAL, GOAL])
    plan.approve_initiative(iid, strategy_status="active", active_goal_ids=[GOAL], by=by())
    assert [type(e) for e in then(plan)] == [P.InitiativeApproved]


# ---------------------------------------------------------------- deferring


def test_deferring_moves_to_a_later_quarter_and_back_to_proposed() -> None:
    plan, iid = given_initiative(approve)
    plan.defer_initiative(iid, target_quarter=Q("FY2027-Q3"), by=by("budget freeze"))
    [event] = then(plan)
    assert isinstance(event, P.InitiativeDeferred)
    assert event.type_name() == "plan.initiative_deferred"
    assert event.target_quarter == "FY2027-Q3"
    assert plan.initiative(iid).status is InitiativeStatus.PROPOSED
    assert plan.initiative(iid).target_quarter == FiscalQuarter(2027, 3)


@pytest.mark.parametrize("quarter", ["FY2027-Q2", "FY2027-Q1", "FY2026-Q4"])
def test_deferring_to_the_same_or_an_earlier_quarter_is_refused(quarter: str) -> None:
    plan, iid = given_initiative()
    with pytest.raises(RuleViolation) as error:
        plan.defer_initiative(iid, target_quarter=Q(quarter), by=by())
    assert error.value.field == "target_quarter"


def test_an_unscheduled_initiative_may_be_deferred_to_any_quarter() -> None:
    plan, iid = given_initiative(target_quarter=None)
    plan.defer_initiative(iid, target_quarter=Q("FY2020-Q1"), by=by())
    assert plan.initiative(iid).target_quarter == FiscalQuarter(2020, 1)


def test_deferring_needs_a_quarter() -> None:
    plan, iid = given_initiative()
    with pytest.raises(RuleViolation) as error:
        plan.defer_initiative(iid, target_quarter=None, by=by())
    assert error.value.field == "target_quarter"
