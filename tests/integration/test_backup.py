"""Backups that restore: a `pg_dump` taken while commands commit, restored into a fresh
database owned by another ordinary role, runs Techplan and answers as the source did at the
dump's position."""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from litestar.testing import TestClient

from domain.client import Client
from domain.shared import Actor, Decision
from services.demo import load_demo
from services.tenancy.export import events_table
from tests.integration.readside import own_container, own_database
from tests.integration.test_tenant_data import reads

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
# The application's role owns its tables under FORCE ROW LEVEL SECURITY, so it dumps them as
# the projector reads them: with row security on and the setting that lets it see every
# tenant (deploy/OPERATIONS.md, "Backups").
DUMP_ENV = {"PGOPTIONS": "-c techplan.projector=on"}


@pytest.fixture
def source(settings: Any) -> Iterator[Any]:
    with own_container(settings) as c:
        yield c


class Writer(threading.Thread):
    """Renames one client of a busy tenant over and over until told to stop."""

    def __init__(self, c: Any) -> None:
        super().__init__(daemon=True)
        self.c = c
        self.stop = threading.Event()
        self.saved = 0
        actor = Actor("writer", "Busy writer", "admin")
        self.by = lambda n: Decision(actor, NOW + timedelta(seconds=n), f"w{n}", "renamed")
        self.client = Client.create(
            id=uuid4(),
            tenant_id=uuid4(),
            name="Busy 0",
            fiscal_year_start_month=1,
            currency="USD",
            by=self.by(0),
        )
        c.store.save(self.client)

    def run(self) -> None:
        while not self.stop.is_set():
            self.saved += 1
            self.client.update(name=f"Busy {self.saved}", by=self.by(self.saved))
            self.c.store.save(self.client)


def dump_while_writing(c: Any, path: str) -> int:
    writer = Writer(c)
    writer.start()
    try:
        deadline = datetime.now(UTC) + timedelta(seconds=10)
        while writer.saved < 20 and datetime.now(UTC) < deadline:
            writer.stop.wait(0.01)
        done = subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--enable-row-security",
                f"--file={path}",
                c.settings.database_url,
            ],
            capture_output=True,
            text=True,
            env={**os.environ, **DUMP_ENV},
        )
        assert done.returncode == 0, done.stderr
    finally:
        writer.stop.set()
        writer.join(timeout=10)
    assert writer.saved >= 20
    return writer.saved


def restore(path: str, url: str) -> None:
    done = subprocess.run(
        ["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", f"--dbname={url}", path],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_a_dump_under_writes_restores_into_a_working_techplan(
    source: Any, settings: Any, tmp_path: Any
) -> None:
    from services.bootstrap import bootstrap
    from services.schema import migrate

    demo = load_demo(source, now=NOW)
    source.runner.catch_up()
    saved = dump_while_writing(source, str(tmp_path / "techplan.dump"))
    source.runner.catch_up()

    with own_database() as url:
        restore(str(tmp_path / "techplan.dump"), url)
        c = bootstrap(settings.with_(database_url=url))
        try:
            migrate(c.db, c.store, c.runner)
            c.runner.catch_up()
            head = c.store.max_position()
            assert 0 < head < source.store.max_position()
            assert all(p["position"] == head for p in c.runner.status())
            # The quiet tenant: every read as at the source.
            assert reads(c, demo["api_key"]) == reads(source, demo["api_key"])
            # The busy one: as the source was at the dump's position, not later.
            restored = _busy_client(c)
            assert restored.version <= saved
            at_source = source.store.app.repository.get(restored.id, version=restored.version)
            assert restored.view() == at_source.view()
            # And it takes commands: the next position follows the dump's.
            restored.update(name="after restore", by=_by())
            assert c.store.save(restored) > head
            with TestClient(_app(c)) as http:
                assert http.get("/health/ready").status_code == 200
        finally:
            c.close()


def _busy_client(c: Any) -> Any:
    with c.db.tx() as cur:
        cur.execute(
            f"SELECT originator_id FROM {events_table(c.store.app)}"
            " WHERE originator_version = 1 ORDER BY notification_id DESC LIMIT 1"
        )
        row = cur.fetchone()
    return c.store.app.repository.get(UUID(str(row["originator_id"])))


def _by() -> Decision:
    return Decision(Actor("t", "t", "admin"), datetime.now(UTC), "t", "after restore")


def _app(c: Any) -> Any:
    from services.app import create_app
    from services.redis import RedisHook

    return create_app(c, lifespan_hooks=[RedisHook()])


def test_read_models_rebuilt_from_a_restored_event_store_alone_answer_the_same(
    source: Any, settings: Any, tmp_path: Any
) -> None:
    """Only the source data is dumped (events, snapshots, tenants, keys): `migrate` makes
    empty read models and the projections fold them again from position 0."""
    from services.bootstrap import bootstrap
    from services.schema import migrate

    demo = load_demo(source, now=NOW)
    source.runner.catch_up()
    path = str(tmp_path / "events.dump")
    recorder: Any = source.store.app.recorder
    tables = [recorder.events_table_name, "tenants", "api_keys"]
    if source.store.app.snapshots is not None:
        tables.append(source.store.app.snapshots.recorder.events_table_name)
    done = subprocess.run(
        ["pg_dump", "--format=custom", f"--file={path}", source.settings.database_url]
        + [f"--table={t}" for t in tables],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    with own_database() as url:
        restore(path, url)
        c = bootstrap(settings.with_(database_url=url))
        try:
            migrate(c.db, c.store, c.runner)
            assert all(p["position"] == 0 for p in c.runner.status())
            assert c.runner.catch_up() > 0
            assert reads(c, demo["api_key"]) == reads(source, demo["api_key"])
        finally:
            c.close()
