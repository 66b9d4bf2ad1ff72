"""Rebuild a projection from position 0 into fresh tables, then swap them in.

The fresh tables live in their own schema (`rebuild_<name>`): the folds use unqualified table
names, so `SET LOCAL search_path` points them at the fresh tables while the old ones keep
serving. The swap happens in one transaction holding the projection's advisory lock and its
tracking row: fold the last events, drop the old tables, move the new ones into `public`, and
set the tracking position, so readers see either the old tables or the new, never a mix.

Folds run in psycopg's pipeline mode here: their statements go out without waiting for each
answer, which is most of a rebuild's time. (A rebuild that fails just fails; the live runner
keeps one answer per statement, so a failing fold names its own event.)
"""

from __future__ import annotations

import sys
import time

import psycopg

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
        for statement in projection.schema():
            cur.execute(statement)

    head = log.max_position()
    started = time.monotonic()
    position = 0
    folded = 0
    while True:
        events = log.read_log(position, batch)
        with db.projector_tx() as cur:
            cur.execute("SELECT set_config('search_path', %s, true)", (f"{schema}, public",))
            with cur.connection.pipeline():
                position = fold_events(cur, projection, events, position)
        folded += len(events)
        if progress:
            _bar(min(position, head), max(head, position), started)
        if len(events) < batch:
            break

    with db.projector_tx() as cur:
        cur.execute(
            "SELECT pg_advisory_xact_lock(hashtext('techplan.projection'), hashtext(%s))", (name,)
        )
        cur.execute("SELECT 1 FROM projection_tracking WHERE name = %s FOR UPDATE", (name,))
        cur.execute("SELECT set_config('search_path', %s, true)", (f"{schema}, public",))
        while True:
            events = log.read_log(position, batch)
            with cur.connection.pipeline():
                position = fold_events(cur, projection, events, position)
            folded += len(events)
            if len(events) < batch:
                break
        cur.execute("SELECT set_config('search_path', 'public', true)")
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
