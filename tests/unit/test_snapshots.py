"""Snapshots keep their stored shape through typed aggregate state.

`data/v1_snapshots.jsonl` holds a snapshot of every aggregate at every version of the stored
events fixture, as Techplan wrote them before its state was typed (eventsourcing's own
`Snapshot`, lists of dicts and strings). A database holding those must load the same views,
and the snapshots taken now must hold exactly the same state, so that old and new snapshots
are read by one path (`upcast_v1_v2`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from domain.budget import Actual, Budget, BudgetLine
from domain.goals import Goal, Principle
from domain.plan import TechnologyPlan
from domain.plan.initiative import Initiative
from domain.shared import TechplanSnapshot
from domain.strategy import Strategy
from infra.eventstore import EventStore
from tests.fixtures.added_fields import with_added_fields

HERE = Path(__file__).parent
FIXTURES = HERE.parent / "fixtures"
EVENTS = [json.loads(line) for line in (FIXTURES / "stored_events.jsonl").read_text().splitlines()]
V1_SNAPSHOTS = [
    json.loads(line) for line in (HERE / "data" / "v1_snapshots.jsonl").read_text().splitlines()
]
VIEWS = json.loads((FIXTURES / "stored_views.json").read_text())


def stored(row: dict[str, Any]) -> StoredEvent:
    return StoredEvent(
        originator_id=UUID(row["originator_id"]),
        originator_version=row["originator_version"],
        topic=row["topic"],
        state=row["state"].encode("utf-8"),
    )


def a_store(snapshots: list[dict[str, Any]]) -> EventStore:
    store = EventStore({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    store.recorder.insert_events([stored(row) for row in EVENTS])
    assert store.snapshots is not None
    store.snapshots.recorder.insert_events([stored(row) for row in snapshots])
    return store


def test_the_old_snapshots_are_eventsourcings_own_of_every_version() -> None:
    assert {r["topic"] for r in V1_SNAPSHOTS} == {"eventsourcing.domain:Snapshot"}
    versions = {(r["originator_id"], r["originator_version"]) for r in V1_SNAPSHOTS}
    assert versions == {(r["originator_id"], r["originator_version"]) for r in EVENTS}


@pytest.mark.parametrize("aggregate_id", sorted(VIEWS))
def test_a_database_of_old_snapshots_loads_every_version(aggregate_id: str) -> None:
    store = a_store(V1_SNAPSHOTS)
    for version, view in VIEWS[aggregate_id]["versions"].items():
        # The newest snapshot at or below `version` is the one taken at `version`.
        aggregate = store.repository.get(UUID(aggregate_id), version=int(version))
        now = with_added_fields(VIEWS[aggregate_id]["type"], view)
        assert json.dumps(aggregate.view()) == json.dumps(now), (aggregate_id, version)
        assert vars(aggregate) == vars(replayed(aggregate_id, int(version)))


@pytest.mark.parametrize("aggregate_id", sorted(VIEWS))
def test_snapshots_taken_now_hold_the_old_state_and_load_the_same(aggregate_id: str) -> None:
    old = {
        r["originator_version"]: a_store([]).mapper.to_domain_event(stored(r))
        for r in V1_SNAPSHOTS
        if r["originator_id"] == aggregate_id
    }
    store = a_store([])
    for version, view in VIEWS[aggregate_id]["versions"].items():
        store.take_snapshot(UUID(aggregate_id), version=int(version))
        [new] = store.snapshots.get(UUID(aggregate_id), desc=True, limit=1)  # type: ignore[union-attr]
        assert isinstance(new, TechplanSnapshot)
        kind = VIEWS[aggregate_id]["type"]
        assert new.state == with_added_fields(kind, old[int(version)].state)  # type: ignore[attr-defined]
        aggregate = store.repository.get(UUID(aggregate_id), version=int(version))
        now = with_added_fields(kind, view)
        assert json.dumps(aggregate.view()) == json.dumps(now), (aggregate_id, version)
        assert vars(aggregate) == vars(replayed(aggregate_id, int(version)))


def test_loaded_state_is_typed() -> None:
    store = a_store(V1_SNAPSHOTS)
    found: dict[type, int] = {}
    for aggregate_id in VIEWS:
        aggregate = store.repository.get(UUID(aggregate_id))
        items: list[tuple[dict[Any, Any], type]] = []
        if isinstance(aggregate, TechnologyPlan):
            items = [(aggregate.initiatives, Initiative)]
        elif isinstance(aggregate, Strategy):
            items = [(aggregate.goals, Goal), (aggregate.principles, Principle)]
        elif isinstance(aggregate, Budget):
            items = [(aggregate.lines, BudgetLine), (aggregate.actuals, Actual)]
        for by_id, item_type in items:
            assert all(type(k) is UUID and type(v) is item_type for k, v in by_id.items())
            assert all(k == v.id for k, v in by_id.items())
            found[item_type] = found.get(item_type, 0) + len(by_id)
    assert all(found.get(t) for t in (Initiative, Goal, Principle, BudgetLine, Actual)), found


def replayed(aggregate_id: str, version: int) -> Any:
    """The aggregate folded from its events alone: a store without snapshots."""
    return a_store([]).repository.get(UUID(aggregate_id), version=version)
