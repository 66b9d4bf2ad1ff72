"""The aggregate cache hands out copies made by `TechplanAggregate.__deepcopy__`, which copies
containers and shares values: sound only while every value in an aggregate's state is
immutable. These tests hold every aggregate of a realistic story to that."""

from __future__ import annotations

import copy
import dataclasses
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID, uuid4

from bench.workload import Workload
from domain.plan import TechnologyPlan
from domain.shared import Actor, Decision, Money, Priority, TechplanAggregate
from infra.eventstore import EventStore
from services.store import Store

IMMUTABLE = (str, int, float, bool, bytes, UUID, datetime, date, Enum, type(None))


def immutable(value: Any) -> bool:
    if isinstance(value, tuple | frozenset):
        return all(immutable(v) for v in value)
    if dataclasses.is_dataclass(value):
        params: Any = getattr(value, "__dataclass_params__", None)
        return bool(params and params.frozen) and all(
            immutable(getattr(value, f.name)) for f in dataclasses.fields(value)
        )
    return isinstance(value, IMMUTABLE)


def values(state: Any) -> list[Any]:
    if isinstance(state, dict):
        return [v for pair in state.items() for item in pair for v in values(item)]
    if isinstance(state, list | set):
        return [v for item in state for v in values(item)]
    return [state]


def story() -> list[TechplanAggregate]:
    store = Store(EventStore({"PERSISTENCE_MODULE": "eventsourcing.popo"}))
    workload = Workload(store, seed=5, tenants=1)
    for _ in workload.client_story(rounds=4):
        pass
    ids = {r.event.originator_id for r in store.app.read_log(0, 10_000)}
    return [store.app.repository.get(i) for i in ids]


def test_every_value_in_every_aggregate_is_immutable() -> None:
    aggregates = story()
    assert {a.aggregate_type for a in aggregates} == {
        "client", "strategy", "plan", "budget", "review", "standard", "assessment"
    }  # fmt: skip
    for aggregate in aggregates:
        for name, state in vars(aggregate).items():
            if name == "_pending_events":
                continue
            mutable = [v for v in values(state) if not immutable(v)]
            assert not mutable, (aggregate.aggregate_type, name, mutable[:3])


def test_a_copy_changes_apart_from_its_original() -> None:
    plan = next(a for a in story() if isinstance(a, TechnologyPlan))
    before = plan.view()
    clone = copy.deepcopy(plan)
    assert clone.view() == before and clone is not plan
    assert clone.initiatives is not plan.initiatives
    by = Decision(Actor("k", "K", "editor"), datetime.now().astimezone(), "c", "why")
    clone.propose_initiative(
        initiative_id=uuid4(),
        title="Only in the copy",
        category="software",
        goal_ids=[],
        target_quarter=None,
        one_time_cost=Money(100, "EUR"),
        recurring_cost=None,
        priority=Priority.LOW,
        currency="EUR",
        by=by,
    )
    assert plan.view() == before
    assert clone.version == plan.version + 1
    assert len(clone.initiatives) == len(plan.initiatives) + 1
    assert plan.pending_events == [] and len(clone.pending_events) == 1
