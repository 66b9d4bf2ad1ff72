"""The bulk loader: a large store of real events, fast, without HTTP.

Each client's story is told by the domain's own commands (bench/workload.py: a strategy and
goals, a plan whose initiatives move through their statuses, a budget, reviews, standards, an
assessment), and each save's new events are turned into stored events by the application's
own mapper (`EventStore.mapper`: its transcoder, and its cipher and compressor when
configured), so the rows are exactly those `Store.save` writes. Instead of one insert per
save, they go in with COPY, tens of thousands of rows per transaction, under the table lock
the library's recorder takes, with the positions the recorder would have given them (the
log's head onwards; the position sequence moved past them). Snapshots are taken where the
application takes them (every `snapshot_interval` versions), after the events are in.

Tenants are created as `techplan tenants create` creates them (a row and an admin key); an
event's tenant is in its own state, as with every save, and the projections' folds put it
on each read-model row, where row-level security keys on it. Nothing here folds: run the
projections (the worker, `techplan projections rebuild`, or `Runner.catch_up`) afterwards.

    uv run python -m bench.bulkload --database-url URL [--tenants 1000] [--clients 20000]
        [--events 2000000]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from psycopg import sql

from bench.readside import connect
from bench.workload import Workload
from domain.shared import TechplanAggregate
from infra.eventstore import EventStore
from services.auth import create_tenant
from services.bootstrap import Container, bootstrap
from services.settings import Settings
from services.store import Store

BATCH = 50_000  # events per COPY transaction


class Collector(Store):
    """Stands in for the store in `Workload`: a save keeps the aggregates' new events in
    their stored form, and positions count on from the log's head."""

    def __init__(self, app: EventStore, head: int) -> None:
        super().__init__(app)
        self.position = head
        self.pending: list[StoredEvent] = []
        self.snapshots: list[tuple[UUID, int]] = []  # where the application would take one
        self.interval = min(type(app).snapshotting_intervals.values(), default=0)

    def save(self, *aggregates: TechplanAggregate) -> int:
        for aggregate in aggregates:
            for event in aggregate.collect_events():
                self.pending.append(self.app.mapper.to_stored_event(event))
                self.position += 1
                version = event.originator_version
                if self.interval and version % self.interval == 0:
                    self.snapshots.append((event.originator_id, version))
        return self.position

    def max_position(self) -> int:
        return self.position


@dataclass
class Loaded:
    tenants: int = 0
    clients: int = 0
    events: int = 0
    snapshots: int = 0
    story_seconds: float = 0.0  # telling the stories: the domain's commands and the mapper
    copy_seconds: float = 0.0  # COPY into the events table
    seconds: float = 0.0  # all of it, tenants and snapshots included
    rounds: list[int] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0

    def describe(self) -> dict[str, str]:
        return {
            "bulk loader": f"{self.events:,} events of {self.clients:,} clients' stories in"
            f" {self.tenants:,} new tenants in {self.seconds:.0f} s ({self.rate:,.0f} events/s:"
            f" stories {self.events / max(self.story_seconds, 1e-9):,.0f}/s,"
            f" COPY {self.events / max(self.copy_seconds, 1e-9):,.0f} rows/s)",
        }


def events_table(app: EventStore) -> sql.Composed:
    recorder = app.recorder
    datastore = recorder.datastore  # type: ignore[attr-defined]
    return sql.SQL("{}.{}").format(
        sql.Identifier(datastore.schema),
        sql.Identifier(recorder.events_table_name),  # type: ignore[attr-defined]
    )


def copy_events(url: str, app: EventStore, rows: Sequence[StoredEvent], first: int) -> None:
    """COPY `rows` at positions `first`, `first + 1`, ... in one transaction, under the lock
    the recorder's inserts take, so nothing else gets a position in between."""
    table = events_table(app)
    with connect(url) as conn, conn.cursor() as cur:
        cur.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(table))
        cur.execute(sql.SQL("SELECT coalesce(max(notification_id), 0) FROM {}").format(table))
        head = cur.fetchone()
        if head is None or head[0] != first - 1:
            raise RuntimeError(f"the log moved while loading: head {head}, expected {first - 1}")
        statement = sql.SQL(
            "COPY {} (originator_id, originator_version, topic, state, notification_id)"
            " FROM STDIN (FORMAT BINARY)"
        ).format(table)
        with cur.copy(statement) as copy:
            copy.set_types(["uuid", "int8", "text", "bytea", "int8"])
            for n, e in enumerate(rows, start=first):
                copy.write_row((e.originator_id, e.originator_version, e.topic, e.state, n))
        # The next save's position comes after these (and after any the sequence gave out).
        cur.execute(
            "SELECT pg_get_serial_sequence(%s, 'notification_id')", (table.as_string(conn),)
        )
        found = cur.fetchone()
        assert found is not None and found[0]
        sequence = sql.SQL(found[0])  # PostgreSQL's own quoted name
        cur.execute(sql.SQL("SELECT last_value FROM {}").format(sequence))
        last = cur.fetchone()
        top = max(first + len(rows) - 1, last[0] if last else 0)
        cur.execute("SELECT setval(%s::regclass, %s)", (found[0], top))
        channel = getattr(app.recorder, "channel_name", None)
        if channel:  # a running worker wakes up, as after any save
            cur.execute(sql.SQL("NOTIFY {}").format(sql.Identifier(channel)))


def bulk_load(
    c: Container,
    *,
    tenants: int,
    clients: int,
    events: int,
    seed: int = 29,
    batch: int = BATCH,
    progress: bool = False,
) -> Loaded:
    """Create `tenants` tenants and tell `clients` clients' stories among them (one each in
    turn, so the tenants' events interleave in the log as they would live), with as many
    rounds of decisions per story as it takes to write at least `events` events."""
    started = time.perf_counter()
    loaded = Loaded(tenants=tenants, clients=clients)
    ids = [UUID(create_tenant(c.db, f"Scale MSP {n}")["id"]) for n in range(tenants)]
    app = c.store.app
    collector = Collector(app, c.store.max_position())
    workload = Workload(collector, seed=seed, tenants=1)
    base = 34.0  # events of a story besides its rounds (10 each): learnt as it goes
    for n in range(clients):
        needed = (events - loaded.events - len(collector.pending)) / (clients - n)
        rounds = max(1, min(20, math.ceil((needed - base) / 10)))
        workload.tenants = [ids[n % tenants]]
        told = time.perf_counter()
        before = collector.position
        for _ in workload.client_story(rounds):
            pass
        loaded.story_seconds += time.perf_counter() - told
        base += ((collector.position - before - 10 * rounds) - base) / (n + 1)
        loaded.rounds.append(rounds)
        if len(collector.pending) >= batch or n == clients - 1:
            _flush(c, app, collector, loaded)
            if progress:
                say_progress(loaded, n + 1, clients, started)
    for aggregate_id, version in collector.snapshots:
        app.take_snapshot(aggregate_id, version=version)
    loaded.snapshots = len(collector.snapshots)
    loaded.seconds = time.perf_counter() - started
    return loaded


def _flush(c: Container, app: EventStore, collector: Collector, loaded: Loaded) -> None:
    rows, collector.pending = collector.pending, []
    copied = time.perf_counter()
    assert c.db.url is not None
    copy_events(c.db.url, app, rows, collector.position - len(rows) + 1)
    loaded.copy_seconds += time.perf_counter() - copied
    loaded.events += len(rows)


def say_progress(loaded: Loaded, done: int, clients: int, started: float) -> None:
    elapsed = time.perf_counter() - started
    sys.stderr.write(
        f"\r{done:,}/{clients:,} clients, {loaded.events:,} events,"
        f" {loaded.events / max(elapsed, 1e-9):,.0f} events/s   "
    )
    sys.stderr.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.bulkload", description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True, help="a migrated Techplan database")
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=20_000)
    parser.add_argument("--events", type=int, default=2_000_000)
    args = parser.parse_args(argv)
    c = bootstrap(Settings(database_url=args.database_url))
    try:
        loaded = bulk_load(
            c, tenants=args.tenants, clients=args.clients, events=args.events, progress=True
        )
    finally:
        c.close()
    print("\n" + loaded.describe()["bulk loader"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
