"""The event store on the real PostgreSQL: configured from settings only, events carry their
metadata, the application is not a superuser and read models are under row-level security."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.postgres import PostgresApplicationRecorder

from domain.client import Client
from domain.shared import Actor, Decision
from infra.eventstore import EventStore
from services.auth import Principal
from services.errors import NotFound
from services.settings import Settings
from tests.integration.readside import wait_until


def test_store_ignores_ambient_environment(
    settings: Settings, container: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POSTGRES_DBNAME", "no_such_database")
    monkeypatch.setenv("TECHPLAN_POSTGRES_DBNAME", "no_such_database")
    monkeypatch.setenv("PERSISTENCE_MODULE", "eventsourcing.popo")
    app = EventStore(settings.eventsourcing_env())
    try:
        assert isinstance(app.recorder, PostgresApplicationRecorder)  # not popo
        kwargs = app.recorder.datastore.pool.kwargs
        assert isinstance(kwargs, dict) and kwargs["dbname"] != "no_such_database"
        app.recorder.max_notification_id()
    finally:
        app.close()


def test_the_application_role_is_ordinary(container: Any) -> None:
    with container.db.tx() as cur:
        cur.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        row = cur.fetchone()
    assert row == {"rolsuper": False, "rolbypassrls": False}


def test_events_record_tenant_actor_time_correlation_and_rationale(container: Any) -> None:
    from datetime import UTC, datetime

    tenant = uuid4()
    actor = Actor("k1", "Vera", "editor")
    at = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
    client = Client.create(
        id=uuid4(),
        tenant_id=tenant,
        name="Acme",
        fiscal_year_start_month=1,
        currency="USD",
        by=Decision(actor, at, "corr-1"),
    )
    client.update(name="Acme Corp", by=Decision(actor, at, "corr-2", "rebrand"))
    position = container.store.save(client)
    recorded = container.store.recorded_events(client.id)
    assert [r.position for r in recorded][-1] == position
    renamed = recorded[-1].event
    assert (renamed.tenant_id, renamed.client_id, renamed.actor) == (tenant, client.id, actor)
    assert (renamed.timestamp, renamed.correlation_id, renamed.rationale) == (
        at,
        "corr-2",
        "rebrand",
    )


def test_loads_check_the_tenant(container: Any) -> None:
    from datetime import UTC, datetime

    tenant = uuid4()
    client = Client.create(
        id=uuid4(),
        tenant_id=tenant,
        name="Acme",
        fiscal_year_start_month=1,
        currency="USD",
        by=Decision(Actor("k", "n", "admin"), datetime.now(UTC)),
    )
    container.store.save(client)
    from domain.shared import Role

    mine = Principal(uuid4(), tenant, "me", Role.ADMIN, None)
    theirs = Principal(uuid4(), uuid4(), "them", Role.ADMIN, None)
    scoped = Principal(uuid4(), tenant, "contact", Role.CLIENT, frozenset({uuid4()}))
    assert container.store.load(Client, client.id, mine).name == "Acme"
    for principal in (theirs, scoped):
        with pytest.raises(NotFound):
            container.store.load(Client, client.id, principal)


def test_read_models_are_invisible_without_the_tenant_setting(container: Any) -> None:
    from datetime import UTC, datetime

    tenant = uuid4()
    client = Client.create(
        id=uuid4(),
        tenant_id=tenant,
        name="Hidden",
        fiscal_year_start_month=1,
        currency="USD",
        by=Decision(Actor("k", "n", "admin"), datetime.now(UTC)),
    )
    position = container.store.save(client)

    def folded() -> bool:
        container.runner.catch_up(["clients"])  # or the session's projector folds it
        return container.runner.positions()["clients"] >= position

    wait_until(folded, timeout=20, what="the clients projection folded the client")
    with container.db.tx() as cur:
        cur.execute("SELECT count(*) AS n FROM clients_view")
        assert cur.fetchone()["n"] == 0
    with container.db.tenant_tx(uuid4()) as cur:
        cur.execute("SELECT count(*) AS n FROM clients_view")
        assert cur.fetchone()["n"] == 0
    with container.db.tenant_tx(tenant) as cur:
        cur.execute("SELECT name FROM clients_view")
        assert [r["name"] for r in cur.fetchall()] == ["Hidden"]
