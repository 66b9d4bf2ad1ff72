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

from infra.db import Cursor, Database
from infra.eventstore import EventLog, RecordedEvent, UnreadableEvent
from projections.base import Projection, View

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
    """The read models that fold the log, one fold per table."""
    from projections import audit, budgets, clients, plans, reviews, strategies

    return [
        clients.projection,
        strategies.projection,
        plans.projection,
        budgets.projection,
        audit.projection,
        reviews.projection,
    ]


def all_views() -> list[View]:
    """The read models that query the projections' tables."""
    from projections import alignment, portfolio, roadmap

    return [roadmap.projection, alignment.projection, portfolio.projection]


@dataclass
class BatchResult:
    name: str
    folded: int
    position: int
    locked_out: bool = False
    error: str | None = None


class Runner:
    """Runs `projections` over `log`; `views` are as fresh as the projections they read."""

    def __init__(
        self,
        db: Database,
        log: EventLog,
        projections: Sequence[Projection],
        views: Sequence[View] = (),
    ) -> None:
        self.db = db
        self.log = log
        self.projections = list(projections)
        self.by_name = {p.name: p for p in self.projections}
        self.views = list(views)

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
                events = self.log.read_log(start, limit)
                position = fold_events(cur, projection, events, start)
                if events:
                    cur.execute(
                        "UPDATE projection_tracking SET position = %s, error = NULL,"
                        " error_position = NULL, updated_at = now() WHERE name = %s",
                        (position, projection.name),
                    )
                return BatchResult(projection.name, len(events), position)
        except (FoldFailed, UnreadableEvent) as failed:
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
        """Each projection's position, and each view's: its least fresh projection's."""
        with self.db.tx() as cur:
            cur.execute("SELECT name, position FROM projection_tracking")
            positions = {r["name"]: r["position"] for r in cur.fetchall()}
        return {**positions, **{v.name: v.position(positions) for v in self.views}}

    def status(self) -> list[dict[str, Any]]:
        head = self.log.max_position()
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


def fold_events(
    cur: Cursor, projection: Projection, events: Sequence[RecordedEvent], position: int
) -> int:
    """Fold the events in order; returns the new position. A failure names its position
    (a failure to flush the batch's buffered writes names the batch's first)."""
    projection.begin(cur)
    for recorded in events:
        try:
            projection.fold(cur, recorded.event, recorded.position)
        except Exception as exc:
            raise FoldFailed(recorded.position, exc) from exc
        position = recorded.position
    if events:
        try:
            projection.flush(cur)
        except Exception as exc:
            raise FoldFailed(events[0].position, exc) from exc
    return position


class FoldFailed(Exception):
    def __init__(self, position: int, cause: Exception) -> None:
        super().__init__(str(cause))
        self.position = position
        self.cause = cause
