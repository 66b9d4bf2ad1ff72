"""Blast radius: an event a projection cannot fold holds back only its own aggregate.

A batch is folded in one savepoint, fast. If a fold fails, the savepoint is rolled back and
the batch is folded again one event at a time, each in its own savepoint: an event that fails
is *parked* (`projection_parked`: the projection, the event's position, its tenant and
aggregate, the error), and so is every later event of that aggregate for that projection,
behind it and in order (with no error of its own). Everything else folds, and the
projection's position moves on, so every other aggregate and tenant stays fresh.

Parked events are folded again, in position order, by `retry` (`techplan projections retry
NAME`, and each process's first catch-up, i.e. after a fix and a restart); an aggregate whose
first parked event still fails stays parked, with the new error.

A failure of the connection or the server (not of the event) is not the event's fault: it
rolls the whole batch back and the next run starts there again, as before.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

import psycopg

from infra import tracing
from infra.db import Cursor
from infra.eventstore import EventLog, RecordedEvent, UnreadableEvent
from infra.tracing import folding
from projections.base import Projection
from projections.writes import bulk

log = logging.getLogger("techplan.projections")

PARKED_DDL = (
    """CREATE TABLE IF NOT EXISTS projection_parked (
        projection text NOT NULL,
        position bigint NOT NULL,
        tenant_id uuid,
        aggregate_id uuid NOT NULL,
        error text,
        parked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (projection, position))""",
    "CREATE INDEX IF NOT EXISTS projection_parked_aggregate"
    " ON projection_parked (projection, aggregate_id, position)",
)


class FoldFailed(Exception):
    """A failure that is not the event's: the batch is rolled back and tried again later."""

    def __init__(self, position: int, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.position = position
        self.cause = cause


def transient(exc: BaseException) -> bool:
    """The connection or the server failed, not the fold: nothing to park."""
    cause = exc.cause if isinstance(exc, FoldFailed) else exc
    return isinstance(cause, (OSError, psycopg.OperationalError, psycopg.InterfaceError))


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def fold_parking(
    cur: Cursor,
    projection: Projection,
    events: Sequence[RecordedEvent],
    *,
    parked: set[UUID] | None = None,
) -> int:
    """Fold `events` in order, parking what cannot be folded; returns how many were parked.
    Raises FoldFailed for a failure that is not an event's. `parked`: the aggregates known
    to be parked in the projection (else they are read); left as it is."""
    if not events:
        return 0
    if parked is None:
        parked = parked_among(cur, projection.name, {r.event.originator_id for r in events})
    else:
        parked = set(parked)  # _fold_each adds to it
    try:
        with cur.connection.transaction():
            behind = _fold_fast(cur, projection, events, parked)
            try:
                projection.flush(cur)
            except Exception as exc:
                raise FoldFailed(events[0].position, exc) from exc
            for recorded in behind:
                park(cur, projection.name, recorded, None)
            return len(behind)
    except Exception as exc:
        if isinstance(exc, FoldFailed) and transient(exc):
            raise
        if transient(exc):
            raise FoldFailed(events[0].position, exc) from exc
    return _fold_each(cur, projection, events, parked)


def parked_among(cur: Cursor, name: str, aggregate_ids: Iterable[UUID]) -> set[UUID]:
    cur.execute(
        "SELECT DISTINCT aggregate_id FROM projection_parked"
        " WHERE projection = %s AND aggregate_id = ANY(%s)",
        (name, list(aggregate_ids)),
    )
    return {r["aggregate_id"] for r in cur.fetchall()}


def _fold_fast(
    cur: Cursor, projection: Projection, events: Sequence[RecordedEvent], parked: set[UUID]
) -> list[RecordedEvent]:
    """Fold the events of aggregates not parked (the projection buffers what it can); returns
    those of parked aggregates, to park behind them.

    A rebuild (writes.bulk) with tracing off folds without a log context per event (a
    rebuild's CPU went 7% on them): no fold logs, and a batch with an event that fails is
    folded again one event at a time (_fold_each), in each event's context."""
    projection.begin(cur)
    behind = []
    if parked:
        behind = [r for r in events if r.event.originator_id in parked]
        events = [r for r in events if r.event.originator_id not in parked]
    if bulk.get() and not tracing.enabled():
        fold = projection.fold
        for recorded in projection.handled(events):
            try:
                fold(cur, recorded.event, recorded.position)
            except Exception as exc:
                raise FoldFailed(recorded.position, exc) from exc
        return behind
    for recorded in projection.handled(events):
        try:
            with folding(cur, projection.name, recorded.event, recorded.position):
                projection.fold(cur, recorded.event, recorded.position)
        except Exception as exc:
            raise FoldFailed(recorded.position, exc) from exc
    return behind


def _fold_each(
    cur: Cursor, projection: Projection, events: Sequence[RecordedEvent], parked: set[UUID]
) -> int:
    count = 0
    for recorded in events:
        aggregate_id = recorded.event.originator_id
        if aggregate_id not in parked:
            if not projection.handles(recorded.event):
                continue
            error = fold_one(cur, projection, recorded)
            if error is None:
                continue
            parked.add(aggregate_id)
            log.error(
                "projection %s parked aggregate %s of tenant %s at position %s: %s",
                projection.name,
                aggregate_id,
                getattr(recorded.event, "tenant_id", None),
                recorded.position,
                error,
            )
            park(cur, projection.name, recorded, error)
        else:
            park(cur, projection.name, recorded, None)
        count += 1
    return count


def fold_one(cur: Cursor, projection: Projection, recorded: RecordedEvent) -> str | None:
    """Fold one event in a savepoint of its own: None, or the error that rolled it back."""
    try:
        with cur.connection.transaction():
            projection.begin(cur)
            with folding(cur, projection.name, recorded.event, recorded.position):
                projection.fold(cur, recorded.event, recorded.position)
            projection.flush(cur)
    except Exception as exc:
        if transient(exc):
            raise FoldFailed(recorded.position, exc) from exc
        return describe(exc)
    return None


def park(cur: Cursor, name: str, recorded: RecordedEvent, error: str | None) -> None:
    park_at(
        cur,
        name,
        recorded.position,
        getattr(recorded.event, "tenant_id", None),
        recorded.event.originator_id,
        error,
    )


def park_at(
    cur: Cursor,
    name: str,
    position: int,
    tenant_id: UUID | None,
    aggregate_id: UUID,
    error: str | None,
) -> None:
    cur.execute(
        "INSERT INTO projection_parked (projection, position, tenant_id, aggregate_id, error)"
        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (projection, position)"
        " DO UPDATE SET error = coalesce(excluded.error, projection_parked.error)",
        (name, position, tenant_id, aggregate_id, error),
    )


def retry(cur: Cursor, log_: EventLog, projection: Projection) -> dict[str, int]:
    """Fold the projection's parked events again, each aggregate's in position order, and
    stop an aggregate at its first event that still fails. The caller holds the
    projection's lock, so no batch folds meanwhile (a parked event is always behind the
    projection's position, so what comes after it folds after it)."""
    cur.execute(
        "SELECT position, aggregate_id FROM projection_parked WHERE projection = %s"
        " ORDER BY position",
        (projection.name,),
    )
    rows = cur.fetchall()
    stuck: set[UUID] = set()
    folded = still = 0
    for row in rows:
        position, aggregate_id = row["position"], row["aggregate_id"]
        if aggregate_id in stuck:
            still += 1
            continue
        error: str | None
        try:
            found = log_.read_log(position - 1, 1, upto=position)
        except UnreadableEvent as bad:
            found, error = [], describe(bad.cause)
        else:
            if not found or found[0].position != position:  # gone: its tenant was purged
                _unpark(cur, projection.name, position)
                continue
            error = fold_one(cur, projection, found[0])
        if error is None:
            _unpark(cur, projection.name, position)
            folded += 1
            continue
        stuck.add(aggregate_id)
        still += 1
        cur.execute(
            "UPDATE projection_parked SET error = %s WHERE projection = %s AND position = %s",
            (error, projection.name, position),
        )
        log.error(
            "projection %s: aggregate %s still parked at position %s: %s",
            projection.name,
            aggregate_id,
            position,
            error,
        )
    if folded:
        log.info("projection %s: %s parked events folded", projection.name, folded)
    return {"folded": folded, "parked": still}


def _unpark(cur: Cursor, name: str, position: int) -> None:
    cur.execute(
        "DELETE FROM projection_parked WHERE projection = %s AND position = %s", (name, position)
    )


def summary(cur: Cursor) -> dict[str, dict[str, Any]]:
    """Per projection: parked events, aggregates, and each aggregate's first parked event
    (oldest first, at most 20) with its error."""
    cur.execute(
        "SELECT projection, count(*) AS events, count(DISTINCT aggregate_id) AS aggregates"
        " FROM projection_parked GROUP BY projection"
    )
    found: dict[str, dict[str, Any]] = {
        r["projection"]: {"events": r["events"], "aggregates": r["aggregates"], "heads": []}
        for r in cur.fetchall()
    }
    cur.execute(
        "SELECT * FROM (SELECT DISTINCT ON (projection, aggregate_id) projection, position,"
        " tenant_id, aggregate_id, error, parked_at FROM projection_parked"
        " ORDER BY projection, aggregate_id, position) AS heads"
        " ORDER BY projection, position"
    )
    for r in cur.fetchall():
        # A row parked between the two statements: counted on the next look, not a KeyError.
        heads = found.setdefault(r["projection"], {"events": 0, "aggregates": 0, "heads": []})[
            "heads"
        ]
        if len(heads) < 20:
            heads.append(
                {
                    "position": r["position"],
                    "tenant_id": None if r["tenant_id"] is None else str(r["tenant_id"]),
                    "aggregate_id": str(r["aggregate_id"]),
                    "error": r["error"],
                    "parked_at": r["parked_at"],
                }
            )
    return found
