"""Loading and saving aggregates for a principal.

Every load checks the aggregate's tenant and the principal's clients, so an id of another
tenant answers exactly like an id that does not exist.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError, PersistenceError, StoredEvent
from eventsourcing.utils import get_topic

from domain.shared import TechplanAggregate, TechplanEvent
from infra import tracing
from infra.db import CommitRefused, refused
from infra.eventstore import EventStore, RecordedEvent
from services.auth import Principal
from services.errors import Conflict, NotFound, PreconditionFailed

A = TypeVar("A", bound=TechplanAggregate)
T = TypeVar("T")


class Store:
    """Loads with tenancy checks, saves with positions, reads an aggregate's past."""

    def __init__(self, app: EventStore) -> None:
        self.app = app

    def create_tables(self) -> None:
        self.app.recorder.create_table()  # type: ignore[attr-defined]
        if self.app.snapshots is not None:
            self.app.snapshots.recorder.create_table()  # type: ignore[attr-defined]

    def close(self) -> None:
        self.app.close()

    # ------------------------------------------------------------ writing

    def save(self, *aggregates: TechplanAggregate) -> int:
        """Save atomically; returns the notification-log position of the last event."""
        with tracing.span("eventstore save", **{"techplan.aggregates": len(aggregates)}):
            if tracing.enabled():
                self._remember_trace(aggregates)
            try:
                recordings = self.app.save(*aggregates)
            except PersistenceError as exc:
                if refused(exc.__cause__):
                    raise CommitRefused(str(exc)) from exc
                raise
        if not recordings:
            return self.max_position()
        return max(r.notification.id for r in recordings)

    def _remember_trace(self, aggregates: tuple[TechplanAggregate, ...]) -> None:
        """Keep the trace for the folds of these events (infra/tracing.py)."""
        pending = [e for a in aggregates for e in a.pending_events]
        correlation_id = getattr(pending[0], "correlation_id", "") if pending else ""
        if correlation_id:
            datastore = self.app.recorder.datastore  # type: ignore[attr-defined]
            with datastore.transaction(commit=True) as cur:
                tracing.remember(cur, correlation_id)

    def max_position(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    # ------------------------------------------------------------ reading

    def load(
        self,
        cls: type[A],
        aggregate_id: UUID,
        principal: Principal,
        *,
        version: int | None = None,
        if_match: int | None = None,
    ) -> A:
        what = cls.aggregate_type
        try:
            with tracing.span("eventstore load", **{"techplan.aggregate": what}):
                aggregate: Any = self.app.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            raise NotFound(f"{what} not found") from None
        if not isinstance(aggregate, cls):
            raise NotFound(f"{what} not found")
        _check_visible(cls, principal, aggregate.tenant_id, aggregate.client_id)
        if version is not None and aggregate.version != version:
            raise NotFound(f"{what} has no version {version}")
        if if_match is not None and aggregate.version != if_match:
            raise PreconditionFailed(f"{what} is at version {aggregate.version}, not {if_match}")
        return aggregate

    def recorded_events(self, aggregate_id: UUID) -> list[RecordedEvent]:
        """The aggregate's events with their notification-log positions, oldest first."""
        return self.app.aggregate_events(aggregate_id)

    def history(
        self, cls: type[TechplanAggregate], aggregate_id: UUID, principal: Principal
    ) -> list[RecordedEvent]:
        """The events of an aggregate the principal may see, in one read: the creation event
        names its type, tenant and client, which never change."""
        recorded = self.recorded_events(aggregate_id)
        _check_creation(cls, principal, recorded[0] if recorded else None)
        return recorded

    def check_visible(
        self, cls: type[TechplanAggregate], aggregate_id: UUID, principal: Principal
    ) -> None:
        """404 unless the principal may see this aggregate of `cls`: its creation event alone
        says so."""
        first = self.app.aggregate_events(aggregate_id, limit=1)
        _check_creation(cls, principal, first[0] if first else None)

    def decode(self, stored: StoredEvent) -> TechplanEvent:
        return self.app.decode(stored)


def _check_creation(
    cls: type[TechplanAggregate], principal: Principal, first: RecordedEvent | None
) -> None:
    event = None if first is None else first.event
    if event is None or getattr(event, "originator_topic", None) != get_topic(cls):
        raise NotFound(f"{cls.aggregate_type} not found")
    _check_visible(cls, principal, event.tenant_id, event.client_id)


def _check_visible(
    cls: type[TechplanAggregate], principal: Principal, tenant_id: UUID, client_id: UUID
) -> None:
    """Another tenant's (or an unseen client's) aggregate answers exactly like a missing one."""
    if not principal.may_see(tenant_id, client_id):
        raise NotFound(f"{cls.aggregate_type} not found")


def retrying(attempt: Callable[[], T], *, if_match: int | None, tries: int = 30) -> T:
    """Run a load-decide-save attempt; a concurrent write to the same aggregate is retried
    on fresh state (nothing is lost), unless the caller pinned the version with If-Match.

    Between attempts a jittered pause that doubles (2 ms up to 100 ms) spreads out writers
    who keep colliding on one aggregate (a budget filled in by a team), so they all get
    through within a few rounds instead of running out of attempts (409).
    """
    last: Exception | None = None
    for n in range(tries):
        if n:
            time.sleep(random.uniform(0, min(0.002 * 2 ** (n - 1), 0.1)))
        try:
            return attempt()
        except IntegrityError as exc:
            if if_match is not None:
                raise PreconditionFailed(
                    "the resource changed concurrently; the If-Match version is stale"
                ) from None
            last = exc
    raise Conflict("the resource is changing too quickly; try again") from last
