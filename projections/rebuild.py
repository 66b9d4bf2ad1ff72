"""Rebuild a projection from position 0 into fresh tables, then swap them in.

The fresh tables live in their own schema (`rebuild_<name>`): the folds use unqualified table
names, so `SET LOCAL search_path` points them at the fresh tables while the old ones keep
serving. The swap happens in one transaction holding the projection's advisory lock and its
tracking row: fold the last events, drop the old tables, move the new ones into `public`, and
set the tracking position, so readers see either the old tables or the new, never a mix.

Folds run in psycopg's pipeline mode here: their statements go out without waiting for each
answer, which is most of a rebuild's time. An event that cannot be folded is parked as the
live runner parks it (parking.py), into the rebuild's own `projection_parked`, which replaces
the projection's parked events at the swap: a rebuild never stops at a poison event.
"""

from __future__ import annotations

import sys
import time

import psycopg

from infra.db import Cursor
from projections.base import Projection
from projections.parking import PARKED_DDL
from projections.runner import Runner, fold_events


def _bar(done: int, total: int, started: float) -> None:
    width = 30
    filled = int(width * done / total) if total else width
    rate = done / max(time.monotonic() - started, 1e-6)
    sys.stderr.write(
        f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} events  {rate:,.0f}/s"
    )
    sys.stderr.flush()


class RebuildRunning(Exception):
    """Another process is rebuilding this projection."""


def rebuild(runner: Runner, name: str, *, progress: bool = False, batch: int = 2000) -> int:
    """Rebuild the runner's projection `name` from its log into its database."""
    # One rebuild per projection at a time, whichever process runs it: a session lock on a
    # connection of its own, released when the rebuild ends or its process dies.
    with psycopg.connect(runner.db.url, autocommit=True) as guard:
        got = guard.execute(
            "SELECT pg_try_advisory_lock(hashtext('techplan.rebuild'), hashtext(%s))", (name,)
        ).fetchone()
        if not got or not got[0]:
            raise RebuildRunning(f"a rebuild of {name} is already running")
        return _rebuild(runner, name, progress=progress, batch=batch)


def _rebuild(runner: Runner, name: str, *, progress: bool, batch: int) -> int:
    db, log, projection = runner.db, runner.log, runner.by_name[name]
    schema = f"rebuild_{name}"
    with db.tx() as cur:
        cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        cur.execute(f"CREATE SCHEMA {schema}")
        cur.execute("SELECT set_config('search_path', %s, true)", (f"{schema}, public",))
        for statement in (*projection.schema(), *PARKED_DDL):
            cur.execute(statement)

    head = log.max_position()
    started = time.monotonic()
    position = 0
    folded = 0
    while True:
        with db.projector_tx() as cur:
            cur.execute("SELECT set_config('search_path', %s, true)", (f"{schema}, public",))
            count, position, more = _fold_batch(runner, cur, projection, position, batch)
        folded += count
        if progress:
            _bar(min(position, head), max(head, position), started)
        if not more:
            break

    with db.projector_tx() as cur:
        cur.execute(
            "SELECT pg_advisory_xact_lock(hashtext('techplan.projection'), hashtext(%s))", (name,)
        )
        cur.execute("SELECT 1 FROM projection_tracking WHERE name = %s FOR UPDATE", (name,))
        cur.execute("SELECT set_config('search_path', %s, true)", (f"{schema}, public",))
        while True:
            count, position, more = _fold_batch(runner, cur, projection, position, batch)
            folded += count
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
    if progress:
        sys.stderr.write(f"\nrebuilt {name}: {folded} events folded, at position {position}\n")
    return folded


def _fold_batch(
    runner: Runner, cur: Cursor, projection: Projection, position: int, batch: int
) -> tuple[int, int, bool]:
    """Fold (and park) the events after `position`: how many, the new position, and whether
    more may follow."""
    events, unreadable = runner.read_batch(position, batch)
    fold_events(cur, projection, events, pipeline=True)
    count, position = len(events), events[-1].position if events else position
    if unreadable is not None:
        runner.park_unreadable(cur, projection, unreadable)
        return count + 1, unreadable.position, True
    return count, position, len(events) == batch
