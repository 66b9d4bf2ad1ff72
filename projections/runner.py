"""Folding the notification log into read models, exactly once.

One transaction per batch holds: a transaction-level advisory lock on the projection (a
second worker skips instead of waiting), its tracking row (read FOR UPDATE), the events after
that position, every row they fold into, and the new position. Commit makes all of it visible
at once; a crash anywhere rolls all of it back. An event a fold cannot handle stops the
projection at that event: the batch is rolled back, the error is recorded with its position,
and the next run starts there again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import StoredEvent

from infra.db import Cursor, Database
from projections.base import Projection
from services.store import Store

log = logging.getLogger("techplan.projections")

TRACKING_DDL = (
    """CREATE TABLE IF NOT EXISTS projection_tracking (
        name text PRIMARY KEY,
        position bigint NOT NULL DEFAULT 0,
        version int NOT NULL DEFAULT 1,
        error text,
        error_position bigint,
        updated_at timestamptz NOT NULL DEFAULT now())""",
)


def all_projections() -> list[Projection]:
    from projections import (
        alignment,
        audit,
        budgets,
        clients,
        plans,
        portfolio,
        reviews,
        roadmap,
        strategies,
        webhooks,
    )

    return [
        clients.projection,
        strategies.projection,
        plans.projection,
        budgets.projection,
        audit.projection,
        roadmap.projection,
        alignment.projection,
        portfolio.projection,
        reviews.projection,
        webhooks.projection,
    ]


@dataclass
class BatchResult:
    name: str
    folded: int
    position: int
    locked_out: bool = False
    error: str | None = None


class Runner:
    def __init__(self, db: Database, store: Store, projections: Sequence[Projection]) -> None:
        self.db = db
        self.store = store
        self.projections = list(projections)
        self.by_name = {p.name: p for p in self.projections}

    def ensure_tracking(self, cur: Cursor) -> None:
        for p in self.projections:
            cur.execute(
                "INSERT INTO projection_tracking (name, version) VALUES (%s, %s)"
                " ON CONFLICT (name) DO NOTHING",
                (p.name, p.version),
            )

    def run_batch(self, projection: Projection, limit: int = 500) -> BatchResult:
        try:
            with self.db.projector_tx() as cur:
                # A worker that dies lets go of its lock with its connection; one that hangs
                # (stopped, partitioned) is cut off by the server, so no other worker waits
                # on it for ever.
                cur.execute("SET LOCAL idle_in_transaction_session_timeout = '60s'")
                cur.execute(
                    "SELECT pg_try_advisory_xact_lock(hashtext('techplan.projection'),"
                    " hashtext(%s)) AS got",
                    (projection.name,),
                )
                got = cur.fetchone()
                if not got or not got["got"]:
                    return BatchResult(projection.name, 0, -1, locked_out=True)
                cur.execute(
                    "SELECT position FROM projection_tracking WHERE name = %s FOR UPDATE",
                    (projection.name,),
                )
                row = cur.fetchone()
                start = row["position"] if row else 0
                rows = select_after(cur, self.events_table(), start, limit)
                position = fold_rows(self, cur, projection, rows, start)
                if rows:
                    cur.execute(
                        "UPDATE projection_tracking SET position = %s, error = NULL,"
                        " error_position = NULL, updated_at = now() WHERE name = %s",
                        (position, projection.name),
                    )
                return BatchResult(projection.name, len(rows), position)
        except FoldFailed as failed:
            message = f"{type(failed.cause).__name__}: {failed.cause}"
            log.error(
                "projection %s stopped at position %s: %s",
                projection.name,
                failed.position,
                message,
            )
            with self.db.tx() as cur:
                cur.execute(
                    "UPDATE projection_tracking SET error = %s, error_position = %s,"
                    " updated_at = now() WHERE name = %s",
                    (message, failed.position, projection.name),
                )
            return BatchResult(projection.name, 0, failed.position - 1, error=message)

    def catch_up(self, names: Iterable[str] | None = None, limit: int = 500) -> int:
        """Run batches until every named projection is at the head, stopped or locked out."""
        total = 0
        for name in names or self.by_name:
            projection = self.by_name[name]
            while True:
                result = self.run_batch(projection, limit)
                total += result.folded
                if result.folded < limit:
                    break
        return total

    def positions(self) -> dict[str, int]:
        with self.db.tx() as cur:
            cur.execute("SELECT name, position FROM projection_tracking")
            return {r["name"]: r["position"] for r in cur.fetchall()}

    def status(self) -> list[dict[str, Any]]:
        head = self.store.max_position()
        with self.db.tx() as cur:
            cur.execute("SELECT * FROM projection_tracking ORDER BY name")
            rows = cur.fetchall()
        return [
            {
                "name": r["name"],
                "position": r["position"],
                "lag": max(head - r["position"], 0),
                "error": r["error"],
                "error_position": r["error_position"],
            }
            for r in rows
            if r["name"] in self.by_name
        ]

    def events_table(self) -> str:
        recorder: Any = self.store.app.recorder
        return f"{recorder.datastore.schema}.{recorder.events_table_name}"


def select_after(cur: Cursor, events_table: str, position: int, limit: int) -> list[Any]:
    cur.execute(
        f"SELECT originator_id, originator_version, topic, state, notification_id"
        f" FROM {events_table} WHERE notification_id > %s ORDER BY notification_id LIMIT %s",
        (position, limit),
    )
    return cur.fetchall()


def fold_rows(
    runner: Runner, cur: Cursor, projection: Projection, rows: list[Any], position: int
) -> int:
    """Fold the rows in order; returns the new position. A failure names its position
    (a failure to flush the batch's buffered writes names the batch's first)."""
    projection.begin(cur)
    for r in rows:
        current = r["notification_id"]
        try:
            projection.fold(cur, runner.store.decode(_stored(r)), current)
        except Exception as exc:
            raise FoldFailed(current, exc) from exc
        position = current
    if rows:
        try:
            projection.flush(cur)
        except Exception as exc:
            raise FoldFailed(rows[0]["notification_id"], exc) from exc
    return position


class FoldFailed(Exception):
    def __init__(self, position: int, cause: Exception) -> None:
        super().__init__(str(cause))
        self.position = position
        self.cause = cause


def _stored(row: dict[str, Any]) -> StoredEvent:
    return StoredEvent(
        originator_id=row["originator_id"],
        originator_version=row["originator_version"],
        topic=row["topic"],
        state=bytes(row["state"]),
    )
