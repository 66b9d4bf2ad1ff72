"""The audit trail: one row per event, whoever's aggregate it is, with the field-level
changes it made and its rationale searchable in full text.

Changes are the difference between the aggregate's view (the resource as GET shows it)
before and after the event, exactly as /history computes them, and /history answers its
pages from these rows. To fold an event the projection needs the aggregate as it was:
`audit_state` keeps each aggregate's latest snapshot, and an in-memory cache keeps recently
folded aggregates (and their views) so a batch rarely reads it. The cache is safe across
transactions, threads and workers because an entry is only used for the one version it
holds (an aggregate's state at a version never changes) and is taken out while a fold works
on it.

A row stores what the event changed, never the whole view (version 2 of the rows: version 1
also kept the view after each event, which made a 1,000-line budget's trail 20 MB; `migrate`
rebuilds it). Views share their items' shapes with the aggregate's frozen values, so
building one and diffing two costs little more than the changed items and the totals.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    StoredEvent,
    UUIDAsHex,
)

from domain.shared import TENANT_WIDE, TechplanAggregate, TechplanEvent
from infra.db import OWN_TENANT, Cursor
from infra.eventstore import ActorAsDict
from infra.history import changes
from projections.base import Projection
from projections.writes import bulk, insert_rows

# Each column, and its type in a binary COPY (a json column's value is its text, as text).
AUDIT_COLUMNS = {
    "position": "int8",
    "tenant_id": "uuid",
    "client_id": "uuid",
    "aggregate_type": "text",
    "aggregate_id": "uuid",
    "version": "int4",
    "type": "text",
    "actor_id": "text",
    "actor": "text",
    "occurred_at": "timestamptz",
    "rationale": "text",
    "correlation_id": "text",
    "changes": "text",
}
INSERT_AUDIT = (
    f"INSERT INTO audit_events ({', '.join(AUDIT_COLUMNS)})"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s::json, %s, %s, %s, %s::json)"
)
CACHE_SIZE = 5_000  # aggregates; a client's events come close together in the log


@dataclass
class Folded:
    """An aggregate after its last folded event, and its view then (never changed)."""

    aggregate: TechplanAggregate
    view: dict[str, Any]


@dataclass
class Batch:
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    states: dict[UUID, Folded] = field(default_factory=dict)


class AuditTrail(Projection):
    name = "audit"
    version = 2  # rows hold changes only (no view_after)
    tables = ("audit_events", "audit_state")
    ddl = (
        """CREATE TABLE IF NOT EXISTS audit_events (
            position bigint PRIMARY KEY,
            tenant_id uuid NOT NULL,
            client_id uuid NOT NULL,
            aggregate_type text NOT NULL,
            aggregate_id uuid NOT NULL,
            version int NOT NULL,
            type text NOT NULL,
            actor_id text NOT NULL,
            actor json NOT NULL,
            occurred_at timestamptz NOT NULL,
            rationale text,
            correlation_id text,
            changes json NOT NULL,
            rationale_search tsvector
                GENERATED ALWAYS AS (to_tsvector('english', coalesce(rationale, ''))) STORED,
            UNIQUE (aggregate_id, version))""",
        "CREATE INDEX IF NOT EXISTS audit_events_tenant ON audit_events (tenant_id, position)",
        "CREATE INDEX IF NOT EXISTS audit_events_client"
        " ON audit_events (tenant_id, client_id, position)",
        "CREATE INDEX IF NOT EXISTS audit_events_time ON audit_events (tenant_id, occurred_at)",
        "CREATE INDEX IF NOT EXISTS audit_events_search ON audit_events USING gin"
        " (rationale_search)",
        """CREATE TABLE IF NOT EXISTS audit_state (
            tenant_id uuid NOT NULL,
            aggregate_id uuid PRIMARY KEY,
            version int NOT NULL,
            topic text NOT NULL,
            state bytea NOT NULL)""",
    )

    def __init__(self) -> None:
        super().__init__()
        self._local = threading.local()
        self._cache: dict[UUID, Folded] = {}  # least recently folded first
        self._cache_lock = threading.Lock()
        transcoder = JSONTranscoder()
        for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO(), ActorAsDict()):
            transcoder.register(transcoding)
        self._mapper: Mapper[UUID] = Mapper(transcoder)

    # ------------------------------------------------------------ folding

    def begin(self, cur: Cursor) -> None:
        self._local.batch = Batch()

    def fold(self, cur: Cursor, event: TechplanEvent, position: int) -> None:
        batch: Batch = self._local.batch
        aggregate_id = event.originator_id
        previous = self._previous(cur, batch, aggregate_id, event.originator_version - 1)
        before = None if previous is None else previous.view
        aggregate: Any = event.mutate(None if previous is None else previous.aggregate)
        after = aggregate.view()
        changed = changes(before, after)
        batch.states[aggregate_id] = Folded(aggregate, after)
        batch.rows.append(
            (
                position,
                _uuid(event.tenant_id),
                _uuid(event.client_id),
                type(aggregate).aggregate_type,
                aggregate_id,
                event.originator_version,
                event.type_name(),
                event.actor.id,
                msgspec.json.encode(event.actor.as_dict()).decode(),
                event.timestamp,
                event.rationale,
                event.correlation_id,
                msgspec.json.encode(changed).decode(),
            )
        )

    def flush(self, cur: Cursor) -> None:
        batch: Batch = self._local.batch
        if bulk.get():  # a rebuild's fresh table, without row-level security yet
            insert_rows(
                cur, "audit_events", tuple(AUDIT_COLUMNS), batch.rows, tuple(AUDIT_COLUMNS.values())
            )
        else:  # PostgreSQL refuses COPY on tables under row-level security
            cur.executemany(INSERT_AUDIT, batch.rows)
        states = []
        for aggregate_id, folded in batch.states.items():
            # Stamped with the aggregate's own time, not the clock, so a rebuild writes the
            # very same state.
            aggregate = folded.aggregate
            snapshot = replace(aggregate.Snapshot.take(aggregate), timestamp=aggregate.modified_on)
            stored = self._mapper.to_stored_event(snapshot)
            states.append(
                (
                    folded.aggregate.tenant_id,
                    aggregate_id,
                    folded.aggregate.version,
                    stored.topic,
                    stored.state,
                )
            )
        cur.executemany(
            "INSERT INTO audit_state (tenant_id, aggregate_id, version, topic, state)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (aggregate_id) DO UPDATE"
            " SET version = excluded.version, topic = excluded.topic, state = excluded.state",
            states,
        )
        with self._cache_lock:
            self._cache.update(batch.states)
            excess = len(self._cache) - CACHE_SIZE
            if excess > 0:
                for stale in list(itertools.islice(self._cache, excess + CACHE_SIZE // 4)):
                    del self._cache[stale]
        self._local.batch = Batch()

    def _previous(
        self, cur: Cursor, batch: Batch, aggregate_id: UUID, version: int
    ) -> Folded | None:
        """The aggregate at `version` (None before its first event)."""
        if version == 0:
            return None
        found = batch.states.get(aggregate_id)
        if found is None:
            with self._cache_lock:  # taken out: ours alone while we fold on it
                found = self._cache.pop(aggregate_id, None)
        if found is not None and found.aggregate.version == version:
            return found
        cur.execute(
            "SELECT version, topic, state FROM audit_state WHERE aggregate_id = %s",
            (aggregate_id,),
        )
        row = cur.fetchone()
        if row is None or row["version"] != version:
            held = "none" if row is None else f"version {row['version']}"
            raise LookupError(
                f"audit state of {aggregate_id} holds {held}, the event follows version {version}"
            )
        snapshot: Any = self._mapper.to_domain_event(
            StoredEvent(
                originator_id=aggregate_id,
                originator_version=version,
                topic=row["topic"],
                state=bytes(row["state"]),
            )
        )
        aggregate = snapshot.mutate(None)
        return Folded(aggregate, aggregate.view())

    def truncate(self, cur: Cursor) -> None:
        super().truncate(cur)
        with self._cache_lock:
            self._cache.clear()


def _uuid(value: Any) -> UUID:
    """A UUID for a uuid column of the binary COPY: events stored before their ids were
    encoded as such hold them as text."""
    return value if type(value) is UUID else UUID(str(value))


projection = AuditTrail()


# ---------------------------------------------------------------- queries

ITEM_COLUMNS = (
    "position, client_id, aggregate_type, aggregate_id, version, type, occurred_at, actor,"
    " rationale, changes, correlation_id"
)


@dataclass(frozen=True)
class AuditFilter:
    client_ids: frozenset[UUID] | None = None  # None: every client of the tenant
    client_id: UUID | None = None
    aggregate_id: UUID | None = None
    aggregate_type: str | None = None
    actor_id: str | None = None
    type: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    q: str | None = None
    after_position: int | None = None  # positions after this one only
    # With client_ids or client_id: also the tenant-wide decisions (the standards library),
    # for keys that may read the library.
    tenant_wide: bool = False

    def where(self) -> tuple[str, list[Any]]:
        conditions: list[str] = [OWN_TENANT]
        values: list[Any] = []
        if self.client_id is not None:
            ids = [self.client_id, *([TENANT_WIDE] if self.tenant_wide else [])]
            conditions.append("client_id = ANY(%s::uuid[])")
            values.append(ids)
        for column, value in (
            ("aggregate_id", self.aggregate_id),
            ("aggregate_type", self.aggregate_type),
            ("actor_id", self.actor_id),
            ("type", self.type),
        ):
            if value is not None:
                conditions.append(f"{column} = %s")
                values.append(value)
        if self.client_ids is not None:
            conditions.append("client_id = ANY(%s::uuid[])")
            values.append([*self.client_ids, *([TENANT_WIDE] if self.tenant_wide else [])])
        if self.since is not None:
            conditions.append("occurred_at >= %s")
            values.append(self.since)
        if self.until is not None:
            conditions.append("occurred_at < %s")
            values.append(self.until)
        if self.after_position is not None:
            conditions.append("position > %s")
            values.append(self.after_position)
        if self.q:
            conditions.append("rationale_search @@ websearch_to_tsquery('english', %s)")
            values.append(self.q)
        return " AND ".join(conditions), values


def audit_item(row: dict[str, Any]) -> dict[str, Any]:
    """A history item, plus whose it is."""
    return {
        "position": row["position"],
        "client_id": None if row["client_id"] == TENANT_WIDE else str(row["client_id"]),
        "aggregate_type": row["aggregate_type"],
        "aggregate_id": str(row["aggregate_id"]),
        "version": row["version"],
        "type": row["type"],
        "occurred_at": row["occurred_at"],
        "actor": row["actor"],
        "rationale": row["rationale"],
        "changes": row["changes"],
        "correlation_id": row["correlation_id"],
    }


def search(
    cur: Cursor, where: AuditFilter, *, before: int | None, limit: int
) -> list[tuple[int, dict[str, Any]]]:
    """Newest first; `before` is the position the previous page ended at."""
    conditions, values = where.where()
    if before is not None:
        conditions += " AND position < %s"
        values.append(before)
    cur.execute(
        f"SELECT {ITEM_COLUMNS} FROM audit_events WHERE {conditions}"
        " ORDER BY position DESC LIMIT %s",
        (*values, limit),
    )
    return [(r["position"], audit_item(r)) for r in cur.fetchall()]


def decisions(
    cur: Cursor, where: AuditFilter, *, after: int | None = None, limit: int | None = None
) -> list[tuple[int, dict[str, Any]]]:
    """The items in the window, oldest first, reviews left out; a page of them after the
    position `after` when `limit` is given."""
    conditions, values = where.where()
    if after is not None:
        conditions += " AND position > %s"
        values.append(after)
    cur.execute(
        f"SELECT {ITEM_COLUMNS} FROM audit_events WHERE {conditions}"
        " AND aggregate_type <> 'review' ORDER BY position LIMIT %s",
        (*values, limit),
    )
    return [(r["position"], audit_item(r)) for r in cur.fetchall()]


def touched(cur: Cursor, where: AuditFilter) -> list[dict[str, Any]]:
    """Each aggregate changed in the window (reviews left out), in the order they first
    changed, with the versions before its first event there and after its last."""
    conditions, values = where.where()
    cur.execute(
        f"""SELECT aggregate_type, aggregate_id, min(version) - 1 AS before,
                   max(version) AS after
            FROM audit_events WHERE {conditions} AND aggregate_type <> 'review'
            GROUP BY aggregate_type, aggregate_id ORDER BY min(position)""",
        values,
    )
    return cur.fetchall()


def page_of_history(
    cur: Cursor, aggregate_id: UUID, *, after: int, limit: int
) -> list[dict[str, Any]]:
    """History items of one aggregate after version `after`, oldest first, as folded: the
    versions folded so far, without a gap (an aggregate parked here stops at its gap)."""
    cur.execute(
        "SELECT version, type, occurred_at, actor, rationale, changes, position,"
        " correlation_id FROM audit_events WHERE aggregate_id = %s AND version > %s"
        " ORDER BY version LIMIT %s",
        (aggregate_id, after, limit),
    )
    items = []
    for expected, row in enumerate(cur.fetchall(), start=after + 1):
        if row["version"] != expected:
            break
        items.append(dict(row))
    return items


def actors(cur: Cursor, client_id: UUID) -> list[dict[str, Any]]:
    """Who took the client's decisions (the portal's timeline filters by them)."""
    cur.execute(
        f"SELECT DISTINCT ON (actor_id) actor FROM audit_events WHERE {OWN_TENANT}"
        " AND client_id = %s"
        " ORDER BY actor_id, position DESC",
        (client_id,),
    )
    return sorted((r["actor"] for r in cur.fetchall()), key=lambda a: str(a.get("name")))
