"""Rebuilding every projection together, in one pass over the log (each batch decoded once and
handed to every projection), swaps in exactly the tables the live runner folded: the same
rows, the same indexes, the same row-level security; a poison event holds back only its own
projection's aggregate."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from bench.workload import Workload
from projections import reviews
from projections.rebuild import rebuild_many
from tests.integration.readside import dump, own_container, read_models
from tests.integration.test_readside_projections import techplan

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def c(settings: Any) -> Iterator[Any]:
    with own_container(settings) as container:
        yield container


def every_event_type(c: Any) -> None:
    """The stored-event fixture: every event type the domain has, as the store holds it."""
    rows = [
        json.loads(line)
        for name in ("stored_events.jsonl", "stored_events_2.jsonl")
        for line in (FIXTURES / name).read_text().splitlines()
    ]
    c.store.app.recorder.insert_events(
        [
            StoredEvent(
                UUID(r["originator_id"]), r["originator_version"], r["topic"], r["state"].encode()
            )
            for r in rows
        ]
    )


def a_realistic_log(c: Any) -> None:
    Workload(c.store, seed=5, tenants=3).write(1500, rounds=3)
    every_event_type(c)
    Workload(c.store, seed=6, tenants=2).write(1500, rounds=4)


def catalogue(c: Any) -> dict[str, Any]:
    """The read models' indexes and policies, and whether row-level security is forced."""
    with c.db.tx() as cur:
        cur.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
            " ORDER BY 1, 2"
        )
        indexes = [tuple(r.values()) for r in cur.fetchall()]
        cur.execute(
            "SELECT tablename, policyname, qual FROM pg_policies WHERE schemaname = 'public'"
            " ORDER BY 1, 2"
        )
        policies = [tuple(r.values()) for r in cur.fetchall()]
        cur.execute(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class"
            " WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1"
        )
        security = [tuple(r.values()) for r in cur.fetchall()]
        cur.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rebuild_%'")
        leftovers = [r["nspname"] for r in cur.fetchall()]
    return {"indexes": indexes, "policies": policies, "rls": security, "schemas": leftovers}


def test_all_projections_rebuilt_together_are_the_live_ones(c: Any) -> None:
    a_realistic_log(c)
    head = c.store.max_position()
    c.runner.catch_up(limit=97)  # the live runner, in small batches
    live = {name: dump(c, name) for name in read_models(c)}
    assert live["audit"]["audit_events"] and live["budgets"]["budget_lines_view"]
    before = catalogue(c)

    # one batch, batches that split every aggregate's story, and the pass split between
    # two processes by aggregate
    for batch, processes in ((2000, 1), (61, 1), (500, 2)):
        folded = rebuild_many(
            c.runner,
            list(c.runner.by_name),
            batch=batch,
            processes=processes,
            settings=c.settings,
        )
        assert folded == dict.fromkeys(c.runner.by_name, head)
        for name, tables in live.items():
            rebuilt = dump(c, name)
            for table, rows in tables.items():
                assert len(rebuilt[table]) == len(rows), (batch, table)
                assert rebuilt[table] == rows, (batch, table)
        assert catalogue(c) == before
        status = c.runner.status()
        assert all(s["position"] == head and s["parked"]["events"] == 0 for s in status)
    for name in read_models(c):  # still invisible without the tenant
        for table in c.runner.by_name[name].tables:
            with c.db.tx() as cur:
                cur.execute(f"SELECT count(*) AS n FROM {table}")
                assert cur.fetchone()["n"] == 0, table


def test_a_poison_event_parks_in_its_own_projection_only(
    c: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    Workload(c.store, seed=8).write(600, rounds=1)
    c.runner.catch_up()
    live = {name: dump(c, name) for name in read_models(c)}

    def broken(cur: Any, e: Any, position: int) -> None:
        raise ValueError("cannot fold this review")

    monkeypatch.setitem(reviews.projection.folds, "review.created", broken)
    rebuild_many(c.runner, list(c.runner.by_name))
    status = {s["name"]: s for s in c.runner.status()}
    assert status["reviews"]["parked"]["aggregates"] > 0
    assert status["reviews"]["position"] == c.store.max_position()
    assert dump(c, "reviews") == {"reviews_view": []}
    for name in read_models(c):
        if name != "reviews":
            assert status[name]["parked"]["events"] == 0
            assert dump(c, name) == live[name], name


def parked_rows(c: Any) -> list[tuple[Any, ...]]:
    with c.db.tx() as cur:
        cur.execute(
            "SELECT projection, position, tenant_id, aggregate_id, error FROM projection_parked"
            " ORDER BY projection, position"
        )
        return [tuple(r.values()) for r in cur.fetchall()]


def test_an_event_that_does_not_decode_parks_its_aggregate_alike(c: Any) -> None:
    Workload(c.store, seed=10).write(400, rounds=1)
    plan = next(
        r.event for r in c.store.app.read_log(0, 1000) if r.event.type_name() == "plan.created"
    )
    last = len(c.store.app.aggregate_events(plan.originator_id))
    c.store.app.recorder.insert_events(
        [StoredEvent(plan.originator_id, last + 1, "domain.gone:Gone", b"{}")]
    )
    Workload(c.store, seed=11).write(400, rounds=1)
    c.runner.catch_up(limit=97)
    live = {name: dump(c, name) for name in read_models(c)}
    parked = parked_rows(c)
    assert {row[0] for row in parked} == set(c.runner.by_name)
    assert {row[3] for row in parked} == {plan.originator_id}
    for processes in (1, 2):
        rebuild_many(c.runner, list(c.runner.by_name), processes=processes, settings=c.settings)
        assert parked_rows(c) == parked, processes
        assert {name: dump(c, name) for name in read_models(c)} == live, processes


def test_the_cli_rebuilds_all_or_some(c: Any) -> None:
    Workload(c.store, seed=9).write(300, rounds=1)
    c.runner.catch_up()
    before = {name: dump(c, name) for name in read_models(c)}
    out = techplan(c, "projections", "rebuild", "--all")
    assert out.returncode == 0, out.stderr
    assert "[##############################]" in out.stderr
    for name in c.runner.by_name:
        assert f"rebuilt {name}: " in out.stderr
    some = techplan(c, "projections", "rebuild", "plans", "budgets", "--processes", "2")
    assert some.returncode == 0, some.stderr
    assert "rebuilt plans: " in some.stderr and "rebuilt budgets: " in some.stderr
    assert "rebuilt audit: " not in some.stderr
    assert {name: dump(c, name) for name in read_models(c)} == before
    nothing = techplan(c, "projections", "rebuild")
    assert nothing.returncode == 2 and "--all" in nothing.stderr
    unknown = techplan(c, "projections", "rebuild", "plans", f"nope{uuid4().hex[:4]}")
    assert unknown.returncode == 2 and "no projection 'nope" in unknown.stderr
