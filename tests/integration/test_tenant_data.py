"""A tenant's data leaves whole and is then gone: export, import into another database, purge.

Each side is a database of its own; reads are compared over HTTP, as a portal sees them, with
the same API key on both sides (keys travel as hashes)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from litestar.testing import TestClient

from services.demo import load_demo
from services.errors import Conflict, Invalid
from services.tenancy.export import export_lines
from services.tenancy.purge import purge_tenant
from services.tenancy.restore import import_tenant
from tests.integration.readside import own_container

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def source(settings: Any) -> Iterator[Any]:
    with own_container(settings) as c:
        yield c


@pytest.fixture
def target(settings: Any) -> Iterator[Any]:
    with own_container(settings) as c:
        yield c


def caught_up(c: Any) -> None:
    c.runner.catch_up()


def reads(c: Any, key: str) -> dict[str, Any]:
    """Every read a portal makes of the tenant's data, positions left out."""
    from services.app import create_app

    answers: dict[str, Any] = {}
    with TestClient(create_app(c), raise_server_exceptions=True) as http:

        def get(path: str) -> Any:
            r = http.get(path, headers={"Authorization": f"Bearer {key}"})
            assert r.status_code == 200, (path, r.text)
            answers[path] = _without_positions(r.json())
            return r.json()

        clients = get("/v1/clients?limit=500")["items"]
        get("/v1/portfolio?limit=500")
        get("/v1/audit?limit=500")
        for client in clients:
            cid = client["id"]
            get(f"/v1/clients/{cid}")
            get(f"/v1/clients/{cid}/history?limit=500")
            get(f"/v1/clients/{cid}/alignment")
            get(f"/v1/clients/{cid}/roadmap")
            get(f"/v1/clients/{cid}/changes?since=2020-01-01T00:00:00Z")
            for kind in ("strategies", "plans", "budgets", "reviews"):
                for item in get(f"/v1/clients/{cid}/{kind}?limit=500")["items"]:
                    get(f"/v1/{kind}/{item['id']}")
                    get(f"/v1/{kind}/{item['id']}/history?limit=500")
    return answers


def _without_positions(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_positions(v) for k, v in value.items() if not k.endswith("position")}
    if isinstance(value, list):
        return [_without_positions(v) for v in value]
    return value


def exported(c: Any, tenant_id: str) -> list[str]:
    return list(export_lines(c.db, c.store.app, UUID(tenant_id)))


def test_an_imported_tenant_answers_every_read_as_at_the_source(
    source: Any, target: Any, settings: Any
) -> None:
    demo = load_demo(source, now=NOW)
    load_demo(source, now=NOW)  # another tenant that must not travel
    caught_up(source)
    lines = exported(source, demo["tenant_id"])
    records = [json.loads(line) for line in lines]
    assert records[0]["kind"] == "header" and records[0]["version"] == 1
    end = records[-1]
    assert end["kind"] == "end" and end["api_keys"] >= 1 and end["webhooks"] == 0
    assert not any("key" in r and r["kind"] == "api_key" for r in records)
    positions = [r["position"] for r in records if r["kind"] == "event"]
    assert positions == sorted(positions) and len(positions) == records[-1]["events"]

    result = import_tenant(
        target.db, target.store.app, lambda: iter(lines), secret_key=settings.secret_key
    )
    assert result == {"id": demo["tenant_id"], "name": "Demo MSP", "events": len(positions)}
    caught_up(target)
    before, after = reads(source, demo["api_key"]), reads(target, demo["api_key"])
    assert after.keys() == before.keys() and len(after) > 40
    for path in before:
        assert after[path] == before[path], path


def test_importing_a_tenant_that_exists_is_refused(source: Any, target: Any) -> None:
    demo = load_demo(source, now=NOW)
    lines = exported(source, demo["tenant_id"])
    import_tenant(target.db, target.store.app, lambda: iter(lines), secret_key=None)
    with pytest.raises(Conflict):
        import_tenant(target.db, target.store.app, lambda: iter(lines), secret_key=None)


def test_a_damaged_export_writes_nothing(source: Any, target: Any) -> None:
    demo = load_demo(source, now=NOW)
    lines = exported(source, demo["tenant_id"])
    for damaged in (lines[:-1], lines[:1] + lines[2:], ["{}", *lines[1:]], [*lines, "oops"]):
        with pytest.raises(Invalid):
            import_tenant(target.db, target.store.app, lambda d=damaged: iter(d), secret_key=None)
    with target.db.tx() as cur:
        cur.execute("SELECT count(*) AS n FROM tenants")
        assert cur.fetchone()["n"] == 0
    assert (target.store.app.recorder.max_notification_id() or 0) == 0


def test_purge_removes_the_tenant_and_nothing_of_another(source: Any) -> None:
    gone = load_demo(source, now=NOW)
    kept = load_demo(source, now=NOW)
    caught_up(source)
    before = reads(source, kept["api_key"])
    with pytest.raises(Invalid):
        purge_tenant(source.db, source.store.app, UUID(gone["tenant_id"]), confirm="x", by="t")

    result = purge_tenant(
        source.db,
        source.store.app,
        UUID(gone["tenant_id"]),
        confirm=gone["tenant_id"],
        by="operator",
    )
    purged = result["purged"]
    assert purged["events"] > 50 and purged["read_rows"] > 50 and purged["keys"] >= 1
    caught_up(source)
    assert reads(source, kept["api_key"]) == before
    assert exported(source, kept["tenant_id"])[-1] == exported(source, kept["tenant_id"])[-1]
    with source.db.projector_tx() as cur:
        cur.execute("SELECT count(*) AS n FROM api_keys WHERE tenant_id = %s", (gone["tenant_id"],))
        assert cur.fetchone()["n"] == 0
        for table in set(_tenant_tables(cur)) - {"tenant_purges"}:
            cur.execute(
                f"SELECT count(*) AS n FROM {table} WHERE tenant_id = %s", (gone["tenant_id"],)
            )
            assert cur.fetchone()["n"] == 0, table
        cur.execute(
            "SELECT purged_by, counts FROM tenant_purges WHERE tenant_id = %s", (gone["tenant_id"],)
        )
        assert cur.fetchone() == {"purged_by": "operator", "counts": purged}
    from services.app import create_app

    with TestClient(create_app(source)) as http:
        r = http.get("/v1/clients", headers={"Authorization": f"Bearer {gone['api_key']}"})
        assert r.status_code == 401


def _tenant_tables(cur: Any) -> list[str]:
    cur.execute(
        "SELECT table_name FROM information_schema.columns WHERE column_name = 'tenant_id'"
        " AND table_schema = current_schema()"
    )
    return [r["table_name"] for r in cur.fetchall()]


def test_an_old_export_with_a_limited_admin_key_imports_it_as_an_editor_key(
    source: Any, target: Any
) -> None:
    demo = load_demo(source, now=NOW)
    records = [json.loads(line) for line in exported(source, demo["tenant_id"])]
    limited = next(r for r in records if r["kind"] == "api_key" and r["client_ids"])
    limited["role"] = "admin"  # as exports from before issue 9 could hold
    lines = [json.dumps(r) for r in records]
    import_tenant(target.db, target.store.app, lambda: iter(lines), secret_key=None)
    with target.db.tx() as cur:
        cur.execute("SELECT role, client_ids FROM api_keys WHERE id = %s", (limited["id"],))
        row = cur.fetchone()
    assert row["role"] == "editor"
    assert [str(c) for c in row["client_ids"]] == limited["client_ids"]
