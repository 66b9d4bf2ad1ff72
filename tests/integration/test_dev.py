"""`techplan dev`'s setup: embedded PostgreSQL and Redis, an ordinary role, the demo once."""

from __future__ import annotations

import stat
import time
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest

from services.settings import Settings


@pytest.fixture
def embedded(tmp_path: Path) -> Any:
    from services.dev import prepare

    started = time.monotonic()
    settings, cleanup = prepare(Settings(data_dir=tmp_path / "data"))
    assert time.monotonic() - started < 20
    try:
        yield settings
    finally:
        cleanup()


def test_embedded_services_run_as_an_ordinary_role(embedded: Settings) -> None:
    import redis

    url = embedded.require_database()
    assert url.startswith("postgresql://techplan@/techplan?host=")
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT r.rolsuper, r.rolbypassrls, r.rolcreaterole, pg_get_userbyid(d.datdba)"
            " FROM pg_roles r, pg_database d"
            " WHERE r.rolname = current_user AND d.datname = current_database()"
        ).fetchone()
    assert row == (False, False, False, "techplan")
    env = embedded.eventsourcing_env()
    assert (env["POSTGRES_USER"], env["POSTGRES_DBNAME"]) == ("techplan", "techplan")
    assert env["POSTGRES_HOST"].startswith("/")

    assert embedded.require_redis().startswith("unix://")
    client = redis.Redis.from_url(embedded.require_redis())
    try:
        assert client.ping()
    finally:
        client.close()


def test_demo_is_loaded_once_and_its_key_kept(embedded: Settings) -> None:
    from services.auth import authenticate
    from services.bootstrap import bootstrap
    from services.dev import KEY_FILE, ensure_demo
    from services.schema import migrate

    c = bootstrap(embedded)
    try:
        migrate(c.db, c.store, c.runner)
        first = ensure_demo(c, embedded.data_dir)
        key_file = embedded.data_dir / KEY_FILE
        assert first["first"] is True
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert key_file.read_text().strip() == first["api_key"]

        second = ensure_demo(c, embedded.data_dir)
        assert second == {**first, "first": False}
        with c.db.tx() as cur:
            cur.execute("SELECT count(*) AS n FROM tenants")
            assert cur.fetchone() == {"n": 1}

        key_file.unlink()  # a lost key file: a new admin key for the same tenant
        third = ensure_demo(c, embedded.data_dir)
        assert third["tenant_id"] == first["tenant_id"]
        assert third["api_key"] != first["api_key"]
        principal = authenticate(c.db, f"Bearer {key_file.read_text().strip()}")
        assert principal.tenant_id == UUID(first["tenant_id"])
    finally:
        c.close()


def test_load_demo_tells_its_story_through_real_events(container: Any) -> None:
    from domain.client import Client
    from domain.strategy import Strategy
    from services.auth import authenticate
    from services.demo import load_demo

    demo = load_demo(container)
    principal = authenticate(container.db, f"Bearer {demo['api_key']}")
    ids = {name: UUID(value) for name, value in demo["ids"].items()}
    store = container.store

    law = store.load(Client, ids["law"], principal)
    assert (law.currency, law.fiscal_year_start_month) == ("EUR", 7)
    assert law.active_strategy_id == ids["law.strategy2"]
    assert store.load(Strategy, ids["law.strategy"], principal).status == "superseded"

    dental = store.load(Strategy, ids["dental.strategy"], principal)
    assert dental.status == "active"
    goals = {g.title: g for g in dental.goals.values()}
    assert goals["Immutable backups with tested restores"].priority == "critical"
    assert goals["Self-service patient portal"].status == "retired"
    events = [r.event for r in store.recorded_events(dental.id)]
    reprioritized = [e for e in events if isinstance(e, Strategy.GoalReprioritized)]
    assert "Ransomware incident at a peer practice" in (reprioritized[0].rationale or "")
    assert all(e.actor.id == str(principal.key_id) for e in events)

    if "dental.plan" in ids:  # plans and budgets join the demo once their commands exist
        from domain.plan import TechnologyPlan

        plan = store.load(TechnologyPlan, ids["dental.plan"], principal)
        events = [r.event for r in store.recorded_events(plan.id)]
        approved = [e for e in events if isinstance(e, TechnologyPlan.InitiativeApproved)]
        by_client = [e for e in approved if e.actor.role == "client"]
        assert by_client and by_client[0].rationale
    if "dental.budget" in ids:
        from domain.budget import Budget

        budget = store.load(Budget, ids["dental.budget"], principal)
        assert budget.status == "approved"
        events = [r.event for r in store.recorded_events(budget.id)]
        assert any(isinstance(e, Budget.Rejected) for e in events)
        assert any(isinstance(e, Budget.LineReestimated) and e.rationale for e in events)

    # Backdated decisions, in order: timestamps grow with the notification log.
    aggregates = ["dental", "law", "mfg", "pm", "law.strategy", "law.strategy2"]
    aggregates += ["dental.strategy", "mfg.strategy", "pm.strategy"]
    aggregates += [key for key in ("dental.plan", "mfg.plan", "dental.budget") if key in ids]
    recorded = [r for key in aggregates for r in store.recorded_events(ids[key])]
    by_position = sorted(recorded, key=lambda r: r.position)
    stamps = [r.occurred_at for r in by_position]
    assert stamps == sorted(stamps)
    assert stamps[0] < stamps[-1]
