"""The bench's bulk loader (bench/bulkload.py) writes what the application would have written:
its events load as aggregates, fold into every read model under their tenants, take
snapshots where saves take them, and the next ordinary save gets the next position."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bench.bulkload import bulk_load
from bench.workload import Workload
from tests.integration.readside import assert_equal_to_rebuild, own_container


@pytest.fixture
def c(settings: Any) -> Iterator[Any]:
    with own_container(settings) as container:
        yield container


def test_bulk_loaded_events_load_and_fold(c: Any) -> None:
    before = Workload(c.store, seed=3, tenants=1)  # an ordinary save first: the head is not 0
    for _ in before.client_story(rounds=1):
        pass
    head = c.store.max_position()
    assert head == before.saved

    # 150 events a story: 12 rounds, so each plan passes version 100 (a snapshot).
    loaded = bulk_load(c, tenants=2, clients=3, events=450)
    assert loaded.events >= 450
    assert c.store.max_position() == head + loaded.events
    assert loaded.snapshots >= 3

    c.runner.catch_up()
    with c.db.projector_tx() as cur:
        cur.execute("SELECT tenant_id, count(*) AS n FROM clients_view GROUP BY tenant_id")
        clients = {r["tenant_id"]: r["n"] for r in cur.fetchall()}
        cur.execute("SELECT count(*) AS n FROM audit_events WHERE position > %s", (head,))
        audited = cur.fetchone()["n"]
        cur.execute("SELECT id, version FROM plans_view")
        plans = {r["id"]: r["version"] for r in cur.fetchall()}
        cur.execute("SELECT id FROM tenants WHERE name LIKE 'Scale MSP %'")
        tenants = [r["id"] for r in cur.fetchall()]
    assert sorted(clients.values()) == [1, 1, 2]  # three stories, one tenant each in turn
    assert set(tenants) <= set(clients)
    assert audited == loaded.events  # every event folded, none parked
    assert len(plans) == 4
    for plan_id, version in plans.items():
        plan = c.store.app.repository.get(plan_id)
        assert plan.version == version
    with c.db.tenant_tx(tenants[0]) as cur:  # row-level security keys on the events' tenant
        cur.execute("SELECT count(*) AS n FROM clients_view")
        assert cur.fetchone()["n"] == clients[tenants[0]]
    with c.db.tx() as cur:
        cur.execute("SELECT count(*) AS n FROM techplan_snapshots")
        assert cur.fetchone()["n"] == loaded.snapshots

    after = Workload(c.store, seed=5, tenants=1)
    positions = list(after.client_story(rounds=1))
    assert positions[0] > head + loaded.events
    assert c.store.max_position() == head + loaded.events + after.saved
    c.runner.catch_up()
    assert_equal_to_rebuild(c, ["clients", "plans", "audit"])
