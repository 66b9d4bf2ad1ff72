"""Rebuild projections from position 0 into fresh tables, then swap them in.

Each projection's fresh tables live in a schema of their own (`rebuild_<name>`): the folds use
unqualified table names, so `SET LOCAL search_path` points them at the fresh tables while the
old ones keep serving. Several projections are rebuilt together in one pass over the log:
each batch of events is read and decoded once and handed to every projection's fold in turn
(one transaction per batch, each projection in a savepoint of its own), so the log is not
decoded once per projection.

Each swap happens in a transaction of its own holding that projection's advisory lock and its
tracking row: fold the last events, drop the old tables, move the new ones into `public`, and
set the tracking position, so readers see either the old tables or the new, never a mix.

Folds buffer their writes and send them at each batch's end, one statement per row touched
(writes.py), by COPY while the fresh tables have no row-level security yet: their other
indexes and their row-level security come once they are full, before the swap (until then
only the rebuild knows of them). The rebuild's transactions do not wait for their commits to
reach the disk: a crash loses the rebuild, not consistency, and the next one starts afresh.
The next batch is read and decoded in a thread while one folds.

An event that cannot be folded is parked as the live runner parks it (parking.py), into the
rebuild's own `projection_parked`, which replaces the projection's parked events at the swap:
a rebuild never stops at a poison event, and a projection's poison event holds back no other
projection.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID

import psycopg

from infra.db import Cursor, rls
from infra.eventstore import RecordedEvent, UnreadableEvent
from projections import parking
from projections.base import Projection
from projections.parking import PARKED_DDL
from projections.runner import Runner, fold_events
from projections.shards import fold_sharded
from projections.writes import bulk


def _bar(done: int, total: int, started: float) -> None:
    width = 30
    filled = int(width * done / total) if total else width
    rate = done / max(time.monotonic() - started, 1e-6)
    sys.stderr.write(
        f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} events  {rate:,.0f}/s"
    )
    sys.stderr.flush()


# Events a rebuild's transaction folds. Larger batches write each aggregate's audit state,
# and each touched row, fewer times (5,000 rather than 2,000: 4-6% faster over 50,000 and
# 200,000 events); a poison event refolds its batch one event at a time.
BATCH = 5000


class RebuildRunning(Exception):
    """Another process is rebuilding this projection."""


def rebuild(runner: Runner, name: str, *, progress: bool = False, batch: int = BATCH) -> int:
    """Rebuild the runner's projection `name` from its log into its database; returns how
    many events it folded."""
    return rebuild_many(runner, [name], progress=progress, batch=batch)[name]


def rebuild_many(
    runner: Runner,
    names: Sequence[str],
    *,
    progress: bool = False,
    batch: int = BATCH,
    processes: int = 1,
    settings: Any = None,
) -> dict[str, int]:
    """Rebuild the runner's projections `names` together, in one pass over the log; returns
    how many events each folded. With `processes` > 1 the pass is split between that many
    processes by aggregate (shards.py), which build their pools from `settings`. Raises
    RebuildRunning, rebuilding none, when another process rebuilds any of them."""
    names = list(dict.fromkeys(names))
    if processes > 1 and settings is None:
        raise ValueError("a rebuild in several processes needs the settings to connect")
    # One rebuild per projection at a time, whichever process runs it: session locks on a
    # connection of its own, released when the rebuild ends or its process dies.
    with psycopg.connect(runner.db.url, autocommit=True) as guard:
        for name in names:
            got = guard.execute(
                "SELECT pg_try_advisory_lock(hashtext('techplan.rebuild'), hashtext(%s))",
                (name,),
            ).fetchone()
            if not got or not got[0]:
                raise RebuildRunning(f"a rebuild of {name} is already running")
        projections = [runner.by_name[n] for n in names]
        return _rebuild(runner, projections, progress, batch, processes, settings)


def _schema(projection: Projection) -> str:
    return f"rebuild_{projection.name}"


def _use(cur: Cursor, projection: Projection) -> None:
    cur.execute("SELECT set_config('search_path', %s, true)", (f"{_schema(projection)}, public",))


def _rebuild(
    runner: Runner,
    projections: list[Projection],
    progress: bool,
    batch: int,
    processes: int,
    settings: Any,
) -> dict[str, int]:
    db, log = runner.db, runner.log
    with db.tx() as cur:
        for projection in projections:
            schema = _schema(projection)
            cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cur.execute(f"CREATE SCHEMA {schema}")
            _use(cur, projection)
            for statement in (*_tables(projection), *PARKED_DDL):
                cur.execute(statement)

    head = log.max_position()
    started = time.monotonic()

    def bar(done: int) -> None:
        if progress:
            _bar(min(done, head), max(head, done), started)

    if processes > 1:
        names = [p.name for p in projections]
        folded = fold_sharded(settings, names, head, batch, processes, bar)
        position = head
        bar(position)
    else:
        folded, position = _fold_log(runner, projections, batch, bar)

    for projection in projections:
        with db.tx() as cur:
            _use(cur, projection)
            for statement in _finish(projection):
                cur.execute(statement)
    for projection in projections:
        folded[projection.name] += _swap(runner, projection, position, batch)
    if progress:
        sys.stderr.write("\n")
        for projection in projections:
            sys.stderr.write(
                f"rebuilt {projection.name}: {folded[projection.name]} events folded,"
                f" at position {runner.positions()[projection.name]}\n"
            )
    return folded


def _fold_log(
    runner: Runner, projections: list[Projection], batch: int, bar: Callable[[int], None]
) -> tuple[dict[str, int], int]:
    """Fold the whole log into the fresh tables in this process: how many events each
    projection folded, and the position reached."""
    position = 0
    folded = dict.fromkeys((p.name for p in projections), 0)
    parked: dict[str, set[UUID]] = {p.name: set() for p in projections}
    loading = bulk.set(True)  # no row-level security on the fresh tables yet: COPY
    # The next batch is read and decoded in a thread of its own while this one folds: it
    # takes the interpreter while the folds wait for PostgreSQL.
    with ThreadPoolExecutor(1, thread_name_prefix="techplan-rebuild-read") as reader:
        try:
            ahead = reader.submit(runner.read_batch, position, batch)
            while True:
                events, unreadable = ahead.result()
                position, more = _after(events, unreadable, position, batch)
                if more:
                    ahead = reader.submit(runner.read_batch, position, batch)
                counts = fold_batch(runner, projections, events, unreadable, parked)
                for name, count in counts.items():
                    folded[name] += count
                bar(position)
                if not more:
                    return folded, position
        finally:
            bulk.reset(loading)
            gc.unfreeze()


def fold_batch(
    runner: Runner,
    projections: list[Projection],
    events: Sequence[RecordedEvent],
    unreadable: UnreadableEvent | None,
    parked: dict[str, set[UUID]],
) -> dict[str, int]:
    """Fold one batch into every projection's fresh tables, in one transaction that does not
    wait for the disk (a crash loses the rebuild, nothing else): how many events each."""
    folded = {}
    with runner.db.projector_tx() as cur:
        cur.execute("SET LOCAL synchronous_commit = off")
        for projection in projections:
            _use(cur, projection)
            folded[projection.name] = _fold(
                runner, cur, projection, events, unreadable, parked[projection.name]
            )
    # What the batch left alive (the audit trail's cached aggregates and views, hundreds of
    # thousands of objects) is kept out of the garbage collector's passes until the pass
    # ends (unfreeze): each full collection walked all of it, a fifth of a rebuild's CPU,
    # and found almost nothing (they are freed by their counts, as ever).
    gc.freeze()
    return folded


def _deferred(statement: str) -> bool:
    return statement.lstrip().upper().startswith(("CREATE INDEX", "CREATE UNIQUE INDEX"))


def _tables(projection: Projection) -> list[str]:
    """The projection's tables with their keys, which its folds look rows up by."""
    return [s for s in projection.ddl if not _deferred(s)]


def _finish(projection: Projection) -> list[str]:
    """What the fresh tables get once they are full: their other indexes (built at once, far
    cheaper than kept up row by row) and their row-level security, before they are swapped
    in. Until then only the rebuild knows of them."""
    indexes = [s for s in projection.ddl if _deferred(s)]
    return [*indexes, *(s for t in projection.tables for s in rls(t))]


def _swap(runner: Runner, projection: Projection, position: int, batch: int) -> int:
    """Fold the events written since `position` and swap the fresh tables in, in one
    transaction holding the projection's lock; returns how many events it folded."""
    name, schema = projection.name, _schema(projection)
    folded = 0
    with runner.db.projector_tx() as cur:
        cur.execute(
            "SELECT pg_advisory_xact_lock(hashtext('techplan.projection'), hashtext(%s))", (name,)
        )
        cur.execute("SELECT 1 FROM projection_tracking WHERE name = %s FOR UPDATE", (name,))
        _use(cur, projection)
        while True:
            events, unreadable = runner.read_batch(position, batch)
            folded += _fold(runner, cur, projection, events, unreadable)
            position, more = _after(events, unreadable, position, batch)
            if not more:
                break
        cur.execute("SELECT set_config('search_path', 'public', true)")
        cur.execute("DELETE FROM public.projection_parked WHERE projection = %s", (name,))
        cur.execute(
            f"INSERT INTO public.projection_parked SELECT * FROM {schema}.projection_parked"
        )
        for table in projection.tables:
            cur.execute(f"DROP TABLE IF EXISTS public.{table} CASCADE")
            cur.execute(f"ALTER TABLE {schema}.{table} SET SCHEMA public")
        cur.execute(f"DROP SCHEMA {schema} CASCADE")
        cur.execute(
            "UPDATE projection_tracking SET position = %s, error = NULL, error_position = NULL,"
            " version = %s, updated_at = now() WHERE name = %s",
            (position, projection.version, name),
        )
    return folded


def _fold(
    runner: Runner,
    cur: Cursor,
    projection: Projection,
    events: Sequence[RecordedEvent],
    unreadable: UnreadableEvent | None,
    parked: set[UUID] | None = None,
) -> int:
    """Fold (and park) one batch into the projection's fresh tables: how many events.
    `parked`, when given, holds the aggregates parked there so far (the rebuild parks all
    of them itself), and gains those this batch parks."""
    if fold_events(cur, projection, events, parked=parked) and parked is not None:
        parked |= parking.parked_among(
            cur, projection.name, {r.event.originator_id for r in events}
        )
    if unreadable is None:
        return len(events)
    runner.park_unreadable(cur, projection, unreadable)
    if parked is not None and unreadable.originator_id is not None:
        parked.add(unreadable.originator_id)
    return len(events) + 1


def _after(
    events: Sequence[RecordedEvent], unreadable: UnreadableEvent | None, position: int, batch: int
) -> tuple[int, bool]:
    """The position after a batch, and whether more may follow."""
    if unreadable is not None:
        return unreadable.position, True
    return (events[-1].position if events else position), len(events) == batch
