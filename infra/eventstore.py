"""The event store: one eventsourcing Application shared by all tenants (pooled model).

Configured only from the mapping it is given (never the ambient environment): PostgreSQL in
production, `{"PERSISTENCE_MODULE": "eventsourcing.popo"}` in memory for use-case tests.

It is also the one reader of its notification log (`EventLog`): projections, the webhook
fan-out and replays read positions and decoded events through `read_log`, on either
persistence, and nothing else of the project writes SQL against the library's tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Protocol
from uuid import UUID

from eventsourcing.application import Application, Cache, LRUCache
from eventsourcing.persistence import JSONTranscoder, StoredEvent, Transcoding, UUIDAsHex
from eventsourcing.popo import POPOApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresRecorder
from eventsourcing.utils import Environment, get_topic
from psycopg.sql import SQL, Identifier

from domain.catalogue import AGGREGATES
from domain.shared import Actor, TechplanEvent
from infra.db import Availability, confirm_commit

SEEN = 50_000  # values each decoding transcoding remembers


class ActorAsDict(Transcoding):
    type = Actor
    name = "actor"

    def __init__(self) -> None:
        self._seen: dict[tuple[tuple[str, str], ...], Actor] = {}

    def encode(self, obj: Actor) -> dict[str, str]:
        return obj.as_dict()

    def decode(self, data: dict[str, str]) -> Actor:
        # The same few actors over and over: the same (frozen) object for each.
        key = tuple(data.items())
        found = self._seen.get(key)
        if found is None:
            if len(self._seen) >= SEEN:
                self._seen.clear()
            found = self._seen[key] = Actor(**data)
        return found


class RememberingUUIDAsHex(UUIDAsHex):
    """The library's UUID transcoding, which remembers the UUIDs it decoded: a log names the
    same tenants, clients and items over and over, and parsing one is most of decoding it
    (a UUID is immutable, so one object serves every event that names it)."""

    def __init__(self) -> None:
        self._seen: dict[str, UUID] = {}

    def decode(self, data: str) -> UUID:
        found = self._seen.get(data)
        if found is None:
            if len(self._seen) >= SEEN:
                self._seen.clear()
            found = self._seen[data] = UUID(data)
        return found


@dataclass(frozen=True)
class RecordedEvent:
    """A stored event, decoded, with its position in the notification log."""

    event: TechplanEvent
    position: int

    @property
    def version(self) -> int:
        return self.event.originator_version

    @property
    def occurred_at(self) -> datetime:
        return self.event.timestamp


class UnreadableEvent(Exception):
    """A stored event that does not decode (an unknown topic, a missing upcaster)."""

    def __init__(self, position: int, cause: Exception, originator_id: UUID | None = None) -> None:
        super().__init__(f"the event at position {position} does not decode: {cause}")
        self.position = position
        self.cause = cause
        self.originator_id = originator_id  # whose event it is: only that aggregate waits


class EventLog(Protocol):
    """The notification log in position order: gap-free, since the recorder commits in
    position order (see DESIGN.md)."""

    def read_log(self, after: int, limit: int, *, upto: int | None = None) -> list[RecordedEvent]:
        """At most `limit` events with positions above `after` (and at most `upto`)."""
        ...

    def max_position(self) -> int:
        """The newest position, 0 for an empty log."""
        ...

    def read_positions(self, positions: list[int]) -> list[RecordedEvent]:
        """The events at these positions, in position order."""
        ...

    def state_at(self, aggregate_id: UUID, version: int) -> Any:
        """The aggregate as its event `version` left it."""
        ...


class TechplanRecorder(PostgresApplicationRecorder):
    """The library's recorder, plus the request's commit check (infra/db.py) inside the
    transaction that writes the events, so what confirms a request (its idempotency claim)
    commits or rolls back with its events."""

    def _insert_stored_events(self, curs: Any, stored_events: Any, **kwargs: Any) -> None:
        super()._insert_stored_events(curs, stored_events, **kwargs)
        # After the inserts (the transaction has written), on a cursor of its own: the
        # library reads the inserts' results from `curs` next.
        with curs.connection.cursor() as cur:
            confirm_commit(cur)


class EventStore(Application[UUID]):
    name = "techplan"
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {}

    def __init__(self, env: dict[str, str], snapshot_interval: int = 100) -> None:
        type(self).snapshotting_intervals = {cls: snapshot_interval for cls in AGGREGATES}
        super().__init__(env)

    def guard_connections(self, availability: Availability) -> None:
        """Fail fast while PostgreSQL is down, like our own pool (infra/db.py)."""
        recorders = [self.recorder, self.snapshots.recorder if self.snapshots else None]
        pools: dict[int, Any] = {}
        for recorder in recorders:
            if isinstance(recorder, PostgresRecorder):
                pools[id(recorder.datastore.pool)] = recorder.datastore.pool
        for pool in pools.values():
            availability.guard(pool)

    def construct_env(self, name: str, env: Any = None) -> Environment:
        # Only what the settings gave us: never the ambient os.environ.
        values = {"IS_SNAPSHOTTING_ENABLED": "y", **dict(env or {})}
        if values.get("PERSISTENCE_MODULE") == "eventsourcing.postgres":
            values.setdefault("APPLICATION_RECORDER_TOPIC", get_topic(TechplanRecorder))
        return Environment(name, values)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(RememberingUUIDAsHex())
        transcoder.register(ActorAsDict())

    def forget_cached(self) -> None:
        """Drop every cached aggregate: for a purge, which removes events under them."""
        repository = self.repository
        if repository.cache is not None:
            repository.cache = LRUCache(maxsize=self.cache_size) if self.cache_size else Cache()

    @property
    def cache_size(self) -> int:
        return int(self.env.get(self.AGGREGATE_CACHE_MAXSIZE) or 0)

    # ------------------------------------------------------------ the log (EventLog)

    def read_log(self, after: int, limit: int, *, upto: int | None = None) -> list[RecordedEvent]:
        # The library's own query: one indexed range scan, a prepared statement, on either
        # persistence.
        notifications = self.recorder.select_notifications(
            after, limit, stop=upto, inclusive_of_start=False
        )
        return [RecordedEvent(self._decode_at(n, n.id), n.id) for n in notifications]

    def max_position(self) -> int:
        return self.recorder.max_notification_id() or 0

    def state_at(self, aggregate_id: UUID, version: int) -> Any:
        """The aggregate as its event `version` left it (from the nearest snapshot)."""
        return self.repository.get(aggregate_id, version=version)

    def read_positions(self, positions: list[int]) -> list[RecordedEvent]:
        if not positions:
            return []
        recorder = self.recorder
        if isinstance(recorder, PostgresApplicationRecorder):
            datastore = recorder.datastore
            statement = SQL(
                "SELECT originator_id, originator_version, topic, state, notification_id"
                " FROM {}.{} WHERE notification_id = ANY(%s) ORDER BY notification_id"
            ).format(Identifier(datastore.schema), Identifier(recorder.events_table_name))
            with datastore.transaction(commit=False) as cur:
                cur.execute(statement, (positions,))
                rows = cur.fetchall()
            stored = [
                (
                    StoredEvent(
                        r["originator_id"], r["originator_version"], r["topic"], bytes(r["state"])
                    ),
                    r["notification_id"],
                )
                for r in rows
            ]
        else:  # the in-memory log: a position is its index counted from 1
            found = sorted(set(positions))
            stored = [
                (n, n.id)
                for p in found
                for n in recorder.select_notifications(p, 1, inclusive_of_start=True)
                if n.id == p
            ]
        return [RecordedEvent(self._decode_at(s, p), p) for s, p in stored]

    def aggregate_events(
        self,
        aggregate_id: UUID,
        *,
        after: int = 0,
        upto: int | None = None,
        limit: int | None = None,
    ) -> list[RecordedEvent]:
        """The aggregate's events with their positions, oldest first, in one read: those with
        versions above `after` (and at most `upto`), at most `limit` of them."""
        positioned = self._positioned(aggregate_id, after, upto, limit)
        return [RecordedEvent(self.decode(s), p) for s, p in positioned]

    def decode(self, stored: StoredEvent) -> TechplanEvent:
        return self.mapper.to_domain_event(stored)  # type: ignore[return-value]

    def decode_at(self, stored: StoredEvent, position: int) -> TechplanEvent:
        """The stored event at `position`, decoded; UnreadableEvent if it does not decode."""
        return self._decode_at(stored, position)

    def _decode_at(self, stored: StoredEvent, position: int) -> TechplanEvent:
        try:
            return self.decode(stored)
        except Exception as exc:
            raise UnreadableEvent(position, exc, UUID(str(stored.originator_id))) from exc

    def _positioned(
        self, aggregate_id: UUID, after: int, upto: int | None, limit: int | None
    ) -> list[tuple[StoredEvent, int]]:
        # The library reads an aggregate's events without their positions; history needs
        # both, so this is the one query of our own on its tables.
        recorder = self.recorder
        if isinstance(recorder, PostgresApplicationRecorder):
            datastore = recorder.datastore
            statement = SQL(
                "SELECT originator_version, topic, state, notification_id FROM {}.{}"
                " WHERE originator_id = %s AND originator_version > %s"
                " AND (%s::int IS NULL OR originator_version <= %s::int)"
                " ORDER BY originator_version LIMIT %s"
            ).format(Identifier(datastore.schema), Identifier(recorder.events_table_name))
            with datastore.transaction(commit=False) as cur:
                cur.execute(statement, (aggregate_id, after, upto, upto, limit))
                rows = cur.fetchall()
            return [
                (
                    StoredEvent(
                        aggregate_id, r["originator_version"], r["topic"], bytes(r["state"])
                    ),
                    r["notification_id"],
                )
                for r in rows
            ]
        if isinstance(recorder, POPOApplicationRecorder):
            with recorder._database_lock:
                index = recorder._stored_events_index[str(aggregate_id)]
                # A position is the event's index in the in-memory log, counted from 1.
                found = [
                    (recorder._stored_events[i], i + 1)
                    for version, i in sorted(index.items())
                    if version > after and (upto is None or version <= upto)
                ]
                return found if limit is None else found[:limit]
        raise TypeError(f"no log positions for {type(recorder).__name__}")
