"""A catch-up folds every projection's batch in one transaction (projections/together.py); what
that round cannot take rolls it back, and the projections fold one by one instead, so one
projection's failure or an event that does not decode holds back no other projection."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from bench.workload import Workload
from projections import together
from tests.integration.readside import assert_equal_to_rebuild, own_container


@pytest.fixture
def c(settings: Any) -> Iterator[Any]:
    with own_container(settings) as container:
        yield container


def status(c: Any) -> dict[str, dict[str, Any]]:
    return {s["name"]: s for s in c.runner.status()}


def test_a_round_folds_every_projection_in_one_transaction(c: Any) -> None:
    Workload(c.store, seed=3, tenants=2).write(600, rounds=2)
    head = c.store.max_position()
    done = together.fold_round(c.runner, list(c.runner.by_name), limit=1000)
    assert done is not None
    assert done.locked_out == [] and done.behind == []
    assert done.folded == head * len(c.runner.by_name)
    assert {name: s["position"] for name, s in status(c).items()} == {
        name: head for name in c.runner.by_name
    }
    assert_equal_to_rebuild(c)


def test_a_failure_that_is_not_an_events_holds_back_only_its_projection(
    c: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    Workload(c.store, seed=4, tenants=2).write(300, rounds=2)
    head = c.store.max_position()
    trail = c.runner.by_name["audit"]
    real_flush = type(trail).flush

    def connection_lost(self: Any, cur: Any) -> None:
        raise ConnectionError("the audit trail's connection dropped")

    monkeypatch.setattr(type(trail), "flush", connection_lost)
    c.runner.catch_up()
    seen = status(c)
    assert seen["audit"]["position"] == 0
    assert "connection dropped" in (seen["audit"]["error"] or "")
    assert {n: s["position"] for n, s in seen.items() if n != "audit"} == {
        n: head for n in c.runner.by_name if n != "audit"
    }

    monkeypatch.setattr(type(trail), "flush", real_flush)
    c.runner.catch_up()
    assert {s["position"] for s in status(c).values()} == {head}
    assert_equal_to_rebuild(c)


def test_an_event_that_does_not_decode_is_parked_and_the_rest_fold(c: Any) -> None:
    workload = Workload(c.store, seed=5, tenants=1)
    workload.write(100, rounds=1)
    stranger = uuid4()
    c.store.app.recorder.insert_events(
        [StoredEvent(stranger, 1, "nowhere:Unknown", b'{"timestamp": "2026-12-06"}')]
    )
    workload.write(100, rounds=1)
    head = c.store.max_position()
    c.runner.catch_up()
    for name, s in status(c).items():
        assert s["position"] == head, name
        assert s["parked"]["aggregates"] == 1, name
        assert s["parked"]["heads"][0]["aggregate_id"] == str(stranger), name


def test_a_round_locks_only_the_projections_it_names(
    c: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    Workload(c.store, seed=6, tenants=1).write(50, rounds=1)
    clients = c.runner.by_name["clients"]
    real = clients.folds["client.created"]
    held: list[int] = []

    def counting(cur: Any, e: Any, position: int) -> None:
        cur.execute(
            "SELECT count(*) AS n FROM pg_locks"
            " WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        )
        held.append(cur.fetchone()["n"])
        real(cur, e, position)

    monkeypatch.setitem(clients.folds, "client.created", counting)
    named = [n for n in c.runner.by_name if n != "audit"]
    done = together.fold_round(c.runner, named, limit=1000)
    assert done is not None and done.folded > 0
    assert held and set(held) == {len(named)}  # theirs, not the audit trail's
    assert status(c)["clients"]["position"] == c.store.max_position()
    assert status(c)["audit"]["position"] == 0
