"""`migrate` upgrades a database of the previous layout: the read models' copy tables are
dropped, and a projection whose version went up is rebuilt."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bench.workload import Workload
from services.schema import RETIRED_PROJECTIONS, RETIRED_TABLES, migrate
from tests.integration.readside import dump, own_container


@pytest.fixture
def c(settings: Any) -> Iterator[Any]:
    with own_container(settings) as container:
        yield container


def test_migrate_upgrades_the_copy_tables_layout(c: Any) -> None:
    Workload(c.store, tenants=2).write(300, rounds=1)
    c.runner.catch_up()
    folded = dump(c, "strategies")
    assert folded["strategy_goals_view"]
    with c.db.tx() as cur:  # as the previous layout left it
        for table in RETIRED_TABLES:
            cur.execute(f"CREATE TABLE {table} (tenant_id uuid, id uuid PRIMARY KEY)")
        for name in RETIRED_PROJECTIONS:
            cur.execute("INSERT INTO projection_tracking (name, position) VALUES (%s, 1)", (name,))
        cur.execute("DROP TABLE strategy_goals_view")
        cur.execute("UPDATE projection_tracking SET version = 1 WHERE name = 'strategies'")

    migrate(c.db, c.store, c.runner)
    migrate(c.db, c.store, c.runner)  # idempotent

    with c.db.tx() as cur:
        cur.execute(
            "SELECT to_regclass(t) AS found FROM unnest(%s::text[]) AS t", (list(RETIRED_TABLES),)
        )
        assert [r["found"] for r in cur.fetchall()] == [None] * len(RETIRED_TABLES)
        cur.execute("SELECT name, version FROM projection_tracking ORDER BY name")
        tracked = {r["name"]: r["version"] for r in cur.fetchall()}
    assert set(tracked) == set(c.runner.by_name)
    assert tracked["strategies"] == c.runner.by_name["strategies"].version == 2
    assert dump(c, "strategies") == folded
    assert c.runner.positions()["portfolio"] == c.store.max_position()
