"""Events stored by earlier versions of Techplan keep loading into the same views.

`tests/fixtures/stored_events.jsonl` holds every event type as the PostgreSQL store holds it
(topic and JSON state), and `stored_views.json` the view of each aggregate after each of its
versions, as the code that wrote them computed it. A change to an event class, a topic or an
aggregate's state that breaks stored data fails here. Never regenerate the fixture to make
this pass: add an upcaster instead (OPERATIONS.md says how). Fields that views gained
since are listed, with the value old data reads as, in `tests/fixtures/added_fields.py`: the
comparison tolerates those and nothing else.

Event types added after the fixture was made are in `stored_events_2.jsonl` (with their views
in `stored_views_2.json`), written the same way by the code that introduced them, and held to
the same rule from then on.
"""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from domain.catalogue import event_classes
from infra.eventstore import EventStore
from tests.fixtures.added_fields import with_added_fields

FIXTURES = Path(__file__).parent.parent / "fixtures"
ROWS = [
    json.loads(line)
    for name in ("stored_events.jsonl", "stored_events_2.jsonl")
    for line in (FIXTURES / name).read_text().splitlines()
]
FIRST_VIEWS = json.loads((FIXTURES / "stored_views.json").read_text())
VIEWS = {**FIRST_VIEWS, **json.loads((FIXTURES / "stored_views_2.json").read_text())}


@pytest.fixture(scope="module")
def store() -> EventStore:
    app = EventStore({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.recorder.insert_events(
        [
            StoredEvent(
                originator_id=UUID(row["originator_id"]),
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=row["state"].encode("utf-8"),
            )
            for row in ROWS
        ]
    )
    return app


def test_the_fixture_holds_every_event_type(store: EventStore) -> None:
    names = {
        store.mapper.to_domain_event(
            StoredEvent(
                originator_id=UUID(r["originator_id"]),
                originator_version=r["originator_version"],
                topic=r["topic"],
                state=r["state"].encode("utf-8"),
            )
        ).type_name()  # type: ignore[attr-defined]
        for r in ROWS
    }
    assert names >= set(event_classes()), set(event_classes()) - names


@pytest.mark.parametrize("aggregate_id", sorted(VIEWS))
def test_every_version_loads_into_the_stored_view(store: EventStore, aggregate_id: str) -> None:
    expected = VIEWS[aggregate_id]
    for version, view in expected["versions"].items():
        aggregate = store.repository.get(UUID(aggregate_id), version=int(version))
        assert aggregate.aggregate_type == expected["type"]
        # Byte for byte, key order included: history diffs and audit rows depend on it.
        # Only the first fixture predates the added fields; the second was written with them.
        now = with_added_fields(expected["type"], view) if aggregate_id in FIRST_VIEWS else view
        assert json.dumps(aggregate.view()) == json.dumps(now), (aggregate_id, version)


def test_only_the_listed_fields_are_tolerated() -> None:
    """The tolerance inserts exactly the listed fields: a view missing one, or with another
    added, still fails."""
    [plan_id] = [i for i, v in FIRST_VIEWS.items() if v["type"] == "plan"][:1]
    stored = next(v for v in FIRST_VIEWS[plan_id]["versions"].values() if v["initiatives"])
    now = with_added_fields("plan", stored)
    initiative = now["initiatives"][0]
    assert list(initiative)[:3] == ["id", "title", "description"]
    assert initiative["description"] is None and initiative["source"] is None
    assert set(initiative) - set(stored["initiatives"][0]) == {"description", "source"}
    assert with_added_fields("budget", {"lines": []}) == {"lines": []}
