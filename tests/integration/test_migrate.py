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


def test_migrate_turns_limited_admin_keys_into_editor_keys(c: Any) -> None:
    """A database from before issue 9 may hold admin keys limited to clients: they become
    editor keys with the same clients, and the tenant's webhooks made since such a key existed
    are disabled for review; the database then refuses limited admin keys."""
    from datetime import UTC, datetime, timedelta
    from uuid import uuid4

    import psycopg

    from services.auth import LIMITED_ADMIN_WEBHOOK, authenticate, create_tenant

    tenant = create_tenant(c.db, "Legacy MSP")
    calm = create_tenant(c.db, "Calm MSP")
    client_id, day = uuid4(), datetime(2026, 6, 1, tzinfo=UTC)
    with c.db.tx() as cur:  # as the previous layout allowed
        cur.execute("ALTER TABLE api_keys DROP CONSTRAINT api_keys_admin_unlimited")
        cur.execute(
            "INSERT INTO api_keys (id, tenant_id, name, role, client_ids, key_hash, key_prefix,"
            " created_at) VALUES (%s, %s, 'limited', 'admin', %s, 'h-limited', 'tpk_x', %s)",
            (uuid4(), tenant["id"], [client_id], day),
        )
    hooks = {}
    with c.db.projector_tx() as cur:
        for name, tenant_id, made in (
            ("before", tenant["id"], day - timedelta(days=1)),
            ("after", tenant["id"], day + timedelta(days=1)),
            ("other tenant", calm["id"], day + timedelta(days=1)),
        ):
            hooks[name] = uuid4()
            cur.execute(
                "INSERT INTO webhook_subscriptions (tenant_id, id, url, event_types, status,"
                " secret, created_position, active_from_position, created_at)"
                " VALUES (%s, %s, 'https://example.com/h', '{*}', 'enabled', 's', 0, 0, %s)",
                (tenant_id, hooks[name], made),
            )

    migrate(c.db, c.store, c.runner)
    migrate(c.db, c.store, c.runner)  # idempotent

    with c.db.tx() as cur:
        cur.execute("SELECT role, client_ids FROM api_keys WHERE key_hash = 'h-limited'")
        assert cur.fetchone() == {"role": "editor", "client_ids": [client_id]}
    with c.db.projector_tx() as cur:
        cur.execute(
            "SELECT id, status, disabled_reason FROM webhook_subscriptions WHERE id = ANY(%s)",
            (list(hooks.values()),),
        )
        found = {r["id"]: (r["status"], r["disabled_reason"]) for r in cur.fetchall()}
    assert found == {
        hooks["before"]: ("enabled", None),
        hooks["after"]: ("disabled", LIMITED_ADMIN_WEBHOOK),
        hooks["other tenant"]: ("enabled", None),
    }
    full = authenticate(c.db, f"Bearer {tenant['api_key']['key']}")
    assert full.client_ids is None  # the tenant's own admin key is untouched
    with pytest.raises(psycopg.errors.CheckViolation), c.db.tx() as cur:
        cur.execute("UPDATE api_keys SET role = 'admin' WHERE key_hash = 'h-limited'")
