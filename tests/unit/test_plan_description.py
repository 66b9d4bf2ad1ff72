"""An initiative's description (its business case) and source, and the upcaster that lets
initiatives proposed before either existed load with both null."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from domain.plan.initiative import InitiativeSource
from domain.shared import StateConflict
from infra.eventstore import EventStore
from tests.unit.conftest import Replay
from tests.unit.test_plan import a_plan, by, propose


def test_a_proposal_carries_its_description_and_source(replay: Replay) -> None:
    plan = a_plan()
    source = InitiativeSource(assessment_id=uuid4(), standard_id=uuid4())
    iid = propose(plan, description="Ransomware cannot reach these copies.", source=source)
    [created, proposed] = plan.collect_events()
    assert proposed.description == "Ransomware cannot reach these copies."  # type: ignore[attr-defined]
    assert proposed.source == source.as_dict()  # type: ignore[attr-defined]
    view = plan.initiative(iid).as_dict()
    assert list(view)[:3] == ["id", "title", "description"]
    assert view["source"] == {
        "assessment_id": str(source.assessment_id),
        "standard_id": str(source.standard_id),
    }
    assert replay([created, proposed]).view() == plan.view()


def test_describing_is_its_own_event_and_null_clears(replay: Replay) -> None:
    plan = a_plan()
    iid = propose(plan)
    events = plan.collect_events()
    plan.update_initiative(iid, description="Business case v1", currency="EUR", by=by("CFO"))
    plan.update_initiative(iid, description="Business case v1", currency="EUR", by=by("same"))
    plan.update_initiative(iid, description=None, currency="EUR", by=by("moved to the QBR deck"))
    described = plan.collect_events()
    assert [e.type_name() for e in described] == ["plan.initiative_described"] * 2
    assert plan.initiative(iid).description is None
    assert replay([*events, *described]).view() == plan.view()


def test_a_done_initiative_cannot_be_described() -> None:
    plan = a_plan()
    iid = propose(plan)
    plan.cancel_initiative(iid, by("not now"))
    with pytest.raises(StateConflict):
        plan.update_initiative(iid, description="late", currency="EUR", by=by("x"))


def test_a_version_1_proposal_loads_with_neither(replay: Replay) -> None:
    """The upcaster: a stored event without `class_version` (version 1) and without the new
    fields loads with description and source null."""
    plan = a_plan()
    iid = propose(plan)
    created, proposed = plan.collect_events()
    store = EventStore({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    stored = [store.mapper.to_stored_event(e) for e in (created, proposed)]
    state: dict[str, Any] = json.loads(stored[1].state)
    assert state.pop("class_version") == 2
    del state["description"], state["source"]
    old = StoredEvent(
        stored[1].originator_id,
        stored[1].originator_version,
        stored[1].topic,
        json.dumps(state).encode(),
    )
    store.recorder.insert_events([stored[0], old])
    loaded: Any = store.repository.get(plan.id)
    initiative = loaded.initiative(iid)
    assert (initiative.description, initiative.source) == (None, None)
    assert loaded.view() == plan.view()
