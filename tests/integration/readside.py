"""Support for read-side tests: a database of their own (no projector of another test folds
into it), read models dumped for comparison, and waiting on conditions with a deadline."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from tests.conftest import ADMIN_URL, _url_for

# Not read models: what they fold is delivered elsewhere and a rebuild would deliver again.
NOT_READ_MODELS = {"webhooks"}


@contextmanager
def own_database() -> Iterator[str]:
    """A database owned by an ordinary role of its own, dropped afterwards."""
    role = db = f"techplan_rs_{secrets.token_hex(4)}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEROLE NOBYPASSRLS")
        admin.execute(f"CREATE DATABASE {db} OWNER {role}")
    try:
        yield _url_for(role, db)
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
            admin.execute(f"DROP ROLE IF EXISTS {role}")


@contextmanager
def own_container(settings: Any) -> Iterator[Any]:
    from services.bootstrap import bootstrap
    from services.schema import migrate

    with own_database() as url:
        c = bootstrap(settings.with_(database_url=url))
        try:
            migrate(c.db, c.store, c.runner)
            yield c
        finally:
            c.close()


def read_models(c: Any) -> list[str]:
    return [name for name in c.runner.by_name if name not in NOT_READ_MODELS]


def dump(c: Any, name: str) -> dict[str, list[str]]:
    """Every row of the projection's tables, of every tenant, in a stable order."""
    tables: dict[str, list[str]] = {}
    with c.db.projector_tx() as cur:
        for table in c.runner.by_name[name].tables:
            cur.execute(f"SELECT row_to_json(t)::text AS row FROM {table} t")
            tables[table] = sorted(r["row"] for r in cur.fetchall())
    return tables


def assert_equal_to_rebuild(c: Any, names: list[str] | None = None) -> None:
    """What was folded incrementally (through crashes, by several workers) is exactly what a
    rebuild from position 0 folds: nothing lost, nothing doubled."""
    from projections.rebuild import rebuild

    for name in names or read_models(c):
        folded = dump(c, name)
        rebuild(c.runner, name)
        rebuilt = dump(c, name)
        for table in folded:
            assert len(folded[table]) == len(rebuilt[table]), (name, table)
            assert folded[table] == rebuilt[table], (name, table)


def wait_until(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    pause = 0.01
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting until {what}")
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


def caught_up(c: Any) -> bool:
    head = c.store.max_position()
    status = c.runner.status()
    errors = [s for s in status if s["error"]]
    assert not errors, errors
    return all(s["position"] >= head for s in status)


def event_positions(c: Any) -> list[int]:
    positions: list[int] = []
    while batch := c.store.app.read_log(positions[-1] if positions else 0, 5000):
        positions += [r.position for r in batch]
    return positions


def audit_positions(c: Any) -> list[int]:
    with c.db.projector_tx() as cur:
        cur.execute("SELECT position FROM audit_events ORDER BY 1")
        return [r["position"] for r in cur.fetchall()]
