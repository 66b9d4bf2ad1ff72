"""Folding the notification log into read models, exactly once.

One transaction per batch holds: a transaction-level advisory lock on the projection (a
second worker skips instead of waiting), its tracking row (read FOR UPDATE), the events after
that position, every row they fold into, and the new position. Commit makes all of it visible
at once; a crash anywhere rolls all of it back, and a failure of the connection or the
server is recorded with its position and the next run starts there again.

An event a fold cannot handle holds back only its own aggregate in that projection: it is
parked, with every later event of that aggregate, and the projection goes on (parking.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from infra.db import Cursor, Database
from infra.eventstore import EventLog, RecordedEvent, UnreadableEvent
from projections import parking
from projections.base import Projection, View
from projections.parking import FoldFailed
from projections.together import fold_round

log = logging.getLogger("techplan.projections")

TRACKING_DDL = (
    """CREATE TABLE IF NOT EXISTS projection_tracking (
        name text PRIMARY KEY,
        position bigint NOT NULL DEFAULT 0,
        version int NOT NULL DEFAULT 1,
        error text,
        error_position bigint,
        updated_at timestamptz NOT NULL DEFAULT now())""",
    *parking.PARKED_DDL,
)


def all_projections() -> list[Projection]:
    """The read models that fold the log, one fold per table."""
    from projections import (
        assessments,
        audit,
        budgets,
        clients,
        plans,
        reviews,
        standards,
        strategies,
    )

    return [
        clients.projection,
        strategies.projection,
        plans.projection,
        budgets.projection,
        audit.projection,
        reviews.projection,
        standards.projection,
        assessments.projection,
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
    parked: int = 0
    partial: bool = False  # ended early at an event that does not decode: more may follow


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
        # Projections whose parked events this process has tried again: each process does
        # once, on its first catch-up, so a fix deployed with a restart folds them.
        self.retried: set[str] = set()
        self.locked_out: set[str] = set()  # by another worker, in the last catch-up

    def ensure_tracking(self, cur: Cursor) -> None:
        for p in self.projections:
            cur.execute(
                "INSERT INTO projection_tracking (name, version) VALUES (%s, %s)"
                " ON CONFLICT (name) DO NOTHING",
                (p.name, p.version),
            )

    def run_batch(
        self, projection: Projection, limit: int = 500, reads: Reads | None = None
    ) -> BatchResult:
        """Fold the projection's next batch; `reads` shares batches read (and decoded) by
        the other projections at the same position."""
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
                if reads is None:
                    events, unreadable = self.read_batch(start, limit)
                else:
                    events, unreadable = reads.read(start, limit)
                parked = fold_events(cur, projection, events)
                position = events[-1].position if events else start
                if unreadable is not None:
                    parked += self.park_unreadable(cur, projection, unreadable)
                    position = unreadable.position
                if position != start:
                    cur.execute(
                        "UPDATE projection_tracking SET position = %s, error = NULL,"
                        " error_position = NULL, updated_at = now() WHERE name = %s",
                        (position, projection.name),
                    )
                folded = len(events) + (unreadable is not None)
                return BatchResult(
                    projection.name,
                    folded,
                    position,
                    parked=parked,
                    partial=unreadable is not None,
                )
        except FoldFailed as failed:
            message = parking.describe(failed.cause)
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

    def read_batch(
        self, start: int, limit: int
    ) -> tuple[list[RecordedEvent], UnreadableEvent | None]:
        """The batch's events; an event that does not decode ends the batch, and is given
        back to be parked."""
        try:
            return self.log.read_log(start, limit), None
        except UnreadableEvent as bad:
            before = bad.position - 1
            events = self.log.read_log(start, limit, upto=before) if before > start else []
            return events, bad

    def park_unreadable(self, cur: Cursor, projection: Projection, bad: UnreadableEvent) -> int:
        if bad.originator_id is None:  # nobody's: nothing to hold back
            raise FoldFailed(bad.position, bad)
        message = parking.describe(bad.cause)
        log.error(
            "projection %s parked aggregate %s at position %s: %s",
            projection.name,
            bad.originator_id,
            bad.position,
            message,
        )
        parking.park_at(cur, projection.name, bad.position, None, bad.originator_id, message)
        return 1

    def retry(self, name: str) -> dict[str, int]:
        """Fold the projection's parked events again (waiting for its lock)."""
        projection = self.by_name[name]
        with self.db.projector_tx() as cur:
            cur.execute(
                "SELECT pg_advisory_xact_lock(hashtext('techplan.projection'), hashtext(%s))",
                (name,),
            )
            result = parking.retry(cur, self.log, projection)
        self.retried.add(name)
        return result

    def _retry_once(self, projection: Projection) -> None:
        """This process's first look at the projection: its parked events, once."""
        with self.db.projector_tx() as cur:
            cur.execute(
                "SELECT pg_try_advisory_xact_lock(hashtext('techplan.projection'),"
                " hashtext(%s)) AS got",
                (projection.name,),
            )
            got = cur.fetchone()
            if not got or not got["got"]:
                return  # another process folds it now; look again next time
            parking.retry(cur, self.log, projection)
        self.retried.add(projection.name)

    def catch_up(self, names: Iterable[str] | None = None, limit: int = 500) -> int:
        """Run batches until every named projection is at the head, stopped or locked out.

        Each round folds every projection's next batch in one transaction (together.py), the
        batch read and decoded once for those at the same position (most of the time, all of
        them); `locked_out` names those another worker was folding."""
        total = 0
        pending = list(names or self.by_name)
        for name in pending:
            if name not in self.retried:
                try:
                    self._retry_once(self.by_name[name])
                except FoldFailed as failed:
                    log.error("projection %s: parked events not retried: %s", name, failed)
        self.locked_out = set()
        while pending:
            together = fold_round(self, pending, limit)
            if together is not None:
                total += together.folded
                self.locked_out.update(together.locked_out)
                pending = together.behind
                continue
            reads = Reads(self)  # projection by projection, each failure recorded as its own
            behind = []
            for name in pending:
                result = self.run_batch(self.by_name[name], limit, reads)
                total += result.folded
                if result.locked_out:
                    self.locked_out.add(name)
                if result.folded >= limit or result.partial:
                    behind.append(name)
            pending = behind
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
            parked = parking.summary(cur)
        nothing = {"events": 0, "aggregates": 0, "heads": []}
        return [
            {
                "name": r["name"],
                "position": r["position"],
                "lag": max(head - r["position"], 0),
                "error": r["error"],
                "error_position": r["error_position"],
                "parked": parked.get(r["name"], nothing),
            }
            for r in rows
            if r["name"] in self.by_name
        ]


class Reads:
    """Batches of the log read (and decoded) once for one round of a catch-up, by start
    position: the log is append-only, so a batch read a moment ago is still true (a later
    read may only find more events after it)."""

    def __init__(self, runner: Runner) -> None:
        self.runner = runner
        self.batches: dict[tuple[int, int], tuple[list[RecordedEvent], UnreadableEvent | None]] = {}

    def read(self, start: int, limit: int) -> tuple[list[RecordedEvent], UnreadableEvent | None]:
        found = self.batches.get((start, limit))
        if found is None:
            found = self.batches[(start, limit)] = self.runner.read_batch(start, limit)
        return found


def fold_events(
    cur: Cursor,
    projection: Projection,
    events: Sequence[RecordedEvent],
    *,
    parked: set[UUID] | None = None,
) -> int:
    """Fold the events in order, parking what cannot be folded; returns how many were parked.
    A failure that is not an event's raises FoldFailed naming the batch's first position.
    `parked`: the aggregates known to be parked in the projection (else they are read)."""
    return parking.fold_parking(cur, projection, events, parked=parked)
