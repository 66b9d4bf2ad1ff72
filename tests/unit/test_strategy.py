"""Strategies and clients: given these events, when this command, then these events or this
error."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest

from domain.client import Client
from domain.shared import Actor, Decision, ItemNotFound, Priority, RuleViolation, StateConflict
from domain.strategy import Strategy

VERA = Actor("u1", "Vera", "editor")


def by(rationale: str | None = "because") -> Decision:
    return Decision(VERA, datetime(2027, 1, 4, 9, 0, tzinfo=UTC), "req-1", rationale)


def given_strategy(*steps: Any) -> Strategy:
    s = Strategy.create(
        id=uuid4(), tenant_id=uuid4(), client_id=uuid4(), title="IT 2027", vision=None, by=by(None)
    )
    for step in steps:
        step(s)
    s.collect_events()
    return s


def types(aggregate: Any) -> list[str]:
    return [e.type_name() for e in aggregate.collect_events()]


def test_creation_records_who_when_and_whose() -> None:
    tenant, client = uuid4(), uuid4()
    s = Strategy.create(
        id=uuid4(), tenant_id=tenant, client_id=client, title="T", vision="V", by=by(None)
    )
    [created] = s.collect_events()
    assert created.type_name() == "strategy.created"
    assert (created.tenant_id, created.client_id, created.actor) == (tenant, client, VERA)
    assert created.correlation_id == "req-1" and created.timestamp == by().at


def test_add_goal_then_reprioritize_is_two_decisions() -> None:
    goal = uuid4()
    s = given_strategy()
    s.add_goal(
        goal_id=goal, title="Backups", description=None, priority=Priority.MEDIUM, by=by(None)
    )
    s.update_goal(goal, priority=Priority.CRITICAL, by=by("ransomware"))
    events = s.collect_events()
    assert [e.type_name() for e in events] == ["strategy.goal_added", "strategy.goal_reprioritized"]
    assert events[1].rationale == "ransomware" and events[1].priority == "critical"


def test_a_change_that_changes_nothing_records_nothing() -> None:
    goal = uuid4()
    s = given_strategy(
        lambda s: s.add_goal(
            goal_id=goal, title="B", description=None, priority=Priority.LOW, by=by()
        )
    )
    s.update_goal(goal, title="B", priority=Priority.LOW, by=by())
    assert types(s) == []


def test_decisions_need_a_rationale() -> None:
    goal = uuid4()
    s = given_strategy(
        lambda s: s.add_goal(
            goal_id=goal, title="B", description=None, priority=Priority.LOW, by=by()
        )
    )
    for command in (
        lambda: s.update_goal(goal, priority=Priority.HIGH, by=by(None)),
        lambda: s.retire_goal(goal, by=by("  ")),
        lambda: s.adopt(by(None)),
        lambda: s.archive(by("")),
    ):
        with pytest.raises(RuleViolation) as error:
            command()
        assert error.value.field == "rationale"
    assert types(s) == []


def test_unknown_goal_is_not_found() -> None:
    with pytest.raises(ItemNotFound):
        given_strategy().retire_goal(uuid4(), by())


@pytest.mark.parametrize("end", ["superseded", "archived"])
@pytest.mark.parametrize("command", ["add_goal", "add_principle", "archive", "adopt"])
def test_superseded_and_archived_strategies_are_read_only(end: str, command: str) -> None:
    s = given_strategy(lambda s: s.adopt(by()))
    if end == "superseded":
        s.supersede(uuid4(), by())
    else:
        s.archive(by())
    commands = {
        "add_goal": lambda: s.add_goal(
            goal_id=uuid4(), title="x", description=None, priority=Priority.LOW, by=by()
        ),
        "add_principle": lambda: s.add_principle(principle_id=uuid4(), statement="x", by=by()),
        "archive": lambda: s.archive(by()),
        "adopt": lambda: s.adopt(by()),
    }
    with pytest.raises(StateConflict):
        commands[command]()


def test_only_a_draft_is_adopted_and_only_the_active_is_superseded() -> None:
    with pytest.raises(StateConflict):
        given_strategy(lambda s: s.adopt(by())).adopt(by())
    with pytest.raises(StateConflict):
        given_strategy().supersede(uuid4(), by())


def test_client_activation_names_the_strategy_it_replaces() -> None:
    client = Client.create(
        id=uuid4(),
        tenant_id=uuid4(),
        name="Contoso",
        fiscal_year_start_month=7,
        currency="EUR",
        by=by(None),
    )
    first, second = uuid4(), uuid4()
    assert client.activate_strategy(first, by()) is None
    assert client.activate_strategy(second, by()) == first
    with pytest.raises(StateConflict):
        client.activate_strategy(second, by())
    assert types(client) == [
        "client.created",
        "client.strategy_activated",
        "client.strategy_activated",
    ]


def test_one_open_budget_per_fiscal_year() -> None:
    client = Client.create(
        id=uuid4(),
        tenant_id=uuid4(),
        name="Contoso",
        fiscal_year_start_month=1,
        currency="USD",
        by=by(None),
    )
    budget = uuid4()
    client.open_budget(budget, 2027, by())
    with pytest.raises(StateConflict):
        client.open_budget(uuid4(), 2027, by())
    client.close_budget(budget, 2027, by())
    client.open_budget(uuid4(), 2027, by())


def test_client_fiscal_month_is_checked() -> None:
    with pytest.raises(RuleViolation):
        Client.create(
            id=uuid4(),
            tenant_id=uuid4(),
            name="X",
            fiscal_year_start_month=13,
            currency="USD",
            by=by(),
        )
