"""The event log reads the same on both persistences: PostgreSQL, and the in-memory one that
use-case tests run on (one test, run against each by changing `env`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest

from domain.client import Client
from domain.shared import Actor, Decision
from domain.strategy import Strategy
from infra.eventstore import EventStore


def by() -> Decision:
    return Decision(Actor("k1", "Vera", "editor"), datetime.now(UTC), "req-1", "why")


@pytest.fixture(params=["popo", "postgres"])
def store(request: pytest.FixtureRequest, settings: Any, container: Any) -> Iterator[EventStore]:
    if request.param == "popo":
        app = EventStore({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    else:  # the session's database, its tables made by `migrate`
        app = EventStore(settings.eventsourcing_env())
    yield app
    app.close()


def test_read_log_and_an_aggregates_positions(store: EventStore) -> None:
    start = store.max_position()
    client = Client.create(
        id=uuid4(), tenant_id=uuid4(), name="Contoso", fiscal_year_start_month=1,
        currency="EUR", by=by(),
    )  # fmt: skip
    strategy = Strategy.create(
        id=uuid4(), tenant_id=client.tenant_id, client_id=client.id, title="IT", vision=None,
        by=by(),
    )  # fmt: skip
    store.save(client, strategy)
    client.update(name="Contoso Ltd", by=by())
    store.save(client)
    head = store.max_position()
    assert head == start + 3

    logged = store.read_log(start, 10)
    assert [r.position for r in logged] == [start + 1, start + 2, start + 3]
    assert [r.event.type_name() for r in logged] == [
        "client.created",
        "strategy.created",
        "client.renamed",
    ]
    assert [r.position for r in store.read_log(start, 2)] == [start + 1, start + 2]
    assert [r.position for r in store.read_log(start + 1, 10, upto=start + 2)] == [start + 2]
    assert store.read_log(head, 10) == []

    mine = store.aggregate_events(client.id)
    assert [(r.version, r.position) for r in mine] == [(1, start + 1), (2, start + 3)]
    assert mine[1].event.name == "Contoso Ltd"  # type: ignore[attr-defined]
    assert store.aggregate_events(uuid4()) == []
