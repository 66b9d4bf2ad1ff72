"""`python -m bench --scale`: grow a copy of the bench's store to the issue's large store
around the reads' tenant, then fold it, so the read figures can run on the same tenant in
both stores (bench/run.py measures the small one again just before the large one).

The bulk loader (bench/bulkload.py) adds tenants, clients' stories and events until the
store holds `tenants` tenants, `clients` clients and at least `events` events; then every
projection is rebuilt from position 0 as `techplan projections rebuild` does (all together in
one pass where the rebuild offers it, one after another otherwise), and VACUUM ANALYZE leaves
the tables as autovacuum would in a store that grew over months.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from uuid import UUID

import psycopg
from psycopg import sql

from bench.bulkload import bulk_load
from bench.readside import ADMIN_URL, as_admin, say
from projections import rebuild as rebuilding
from projections.runner import Runner
from services.bootstrap import Container, bootstrap
from services.settings import Settings


@contextmanager
def copy_of(url: str) -> Iterator[str]:
    """A copy of the database at `url` (nobody may be connected to it meanwhile), owned by
    the same role, dropped afterwards."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    source, role = info["dbname"], info["user"]
    name = f"{source}_large"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(
            sql.SQL("CREATE DATABASE {} OWNER {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(role), sql.Identifier(source)
            )
        )
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def counts(c: Container) -> tuple[int, int, int]:
    """Tenants, clients (folded) and events in the store."""
    with c.db.tx() as cur:
        cur.execute("SELECT count(*) AS n FROM tenants")
        row = cur.fetchone()
        tenants = row["n"] if row else 0
    with c.db.projector_tx() as cur:
        cur.execute("SELECT count(*) AS n FROM clients_view")
        row = cur.fetchone()
        clients = row["n"] if row else 0
    return tenants, clients, c.store.max_position()


def rebuild_all(runner: Runner) -> str:
    """Every projection rebuilt; says how."""
    names = list(runner.by_name)
    together: Any = getattr(rebuilding, "rebuild_many", None)
    if together is not None:
        together(runner, names, progress=True)
        return f"all {len(names)} projections rebuilt together (`rebuild_many`)"
    for name in names:
        say(f"  rebuilding {name} ...")
        rebuilding.rebuild(runner, name, progress=True)
    return f"{len(names)} projections rebuilt one after another (`rebuild`)"


def vacuum(url: str) -> None:
    with psycopg.connect(as_admin(url), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


def size(url: str) -> str:
    with psycopg.connect(as_admin(url)) as conn:
        row = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        found = row.fetchone()
        return str(found[0]) if found else "?"


def grow(
    settings: Settings, *, bench_tenant: UUID, tenants: int, clients: int, events: int
) -> dict[str, str]:
    """Grow and fold the store `settings` names; returns its description for RESULTS.md."""
    c = bootstrap(settings)
    try:
        had_tenants, had_clients, head = counts(c)
        say(
            f"growing the store from {had_tenants} tenants, {had_clients} clients,"
            f" {head:,} events to {tenants:,}, {clients:,}, {events:,} ..."
        )
        loaded = bulk_load(
            c,
            tenants=max(tenants - had_tenants, 1),
            clients=max(clients - had_clients, 1),
            events=max(events - head, 1),
            progress=True,
        )
        say("\n" + loaded.describe()["bulk loader"])
        started = time.perf_counter()
        how = rebuild_all(c.runner)
        folding = time.perf_counter() - started
        total = c.store.max_position()
        say(f"folded: {how}, {folding:.0f} s, {total / folding:,.0f} events/s")
        started = time.perf_counter()
        assert c.db.url is not None
        vacuum(c.db.url)
        vacuumed = time.perf_counter() - started
        final_tenants, final_clients, final_events = counts(c)
        return {
            "store": f"{final_tenants:,} tenants, {final_clients:,} clients,"
            f" {final_events:,} events, database {size(c.db.url)}; the reads' tenant"
            f" ({bench_tenant}) is the small store's, unchanged, its events at the log's start",
            **loaded.describe(),
            "fold": f"{how} over {total:,} events in {folding:.0f} s"
            f" ({total / folding:,.0f} events/s); then VACUUM ANALYZE in {vacuumed:.0f} s",
            "stories": f"{min(loaded.rounds)}-{max(loaded.rounds)} rounds of 10 decisions a"
            " client, one client per tenant in turn (tenants' events interleave);"
            " no webhook deliveries in the new tenants",
        }
    finally:
        c.close()
