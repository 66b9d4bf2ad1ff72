"""What a read model is: a projection (its tables' DDL and one small function per event it
folds), or a view that keeps no table of its own and queries projections' tables.

Every table carries `tenant_id` under forced row-level security, keyed on a per-transaction
setting; only the projector's transaction (`techplan.projector = on`) sees every tenant.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from operator import attrgetter
from typing import Any

from domain.shared import TechplanEvent
from infra.db import Cursor, rls
from infra.eventstore import RecordedEvent
from projections.writes import Buffer, Writes

Fold = Callable[[Cursor, Any, int], None]
_EVENT = attrgetter("event")
_TYPE_NAMES: dict[type[TechplanEvent], str] = {}  # an event class's type_name()


class Projection:
    """A read model. Subclasses set `name`, `tables` and `ddl`, and register folds."""

    name: str = ""
    tables: tuple[str, ...] = ()
    ddl: tuple[str, ...] = ()
    version: int = 1  # bump to make `migrate` rebuild it

    def __init__(self) -> None:
        self.folds: dict[str, Fold] = {}
        self.writes: list[Buffer] = []  # begun and flushed with each batch

    def buffered(self, table: str, key: str = "id", *, missing: str = "") -> Writes:
        """The batch's writes to `table`, merged per row and sent at the flush (writes.py)."""
        writes = Writes(table, key, missing=missing)
        self.writes.append(writes)
        return writes

    def on(self, event_class: type[TechplanEvent]) -> Callable[[Fold], Fold]:
        def register(fold: Fold) -> Fold:
            self.folds[event_class.type_name()] = fold
            return fold

        return register

    def schema(self) -> list[str]:
        statements = list(self.ddl)
        for table in self.tables:
            statements += rls(table)
        return statements

    def handled(self, events: Sequence[RecordedEvent]) -> Sequence[RecordedEvent]:
        """The events of a batch that `fold` does anything with, in order. (Every projection
        filters every batch: the filter runs in C, by the events' classes.)"""
        if type(self).fold is not Projection.fold:
            return events
        classes: list[type[TechplanEvent]] = list(map(type, map(_EVENT, events)))
        for kind in set(classes).difference(_TYPE_NAMES):
            _TYPE_NAMES[kind] = kind.type_name()
        types = map(_TYPE_NAMES.__getitem__, classes)
        return list(compress(events, map(self.folds.__contains__, types)))

    def handles(self, event: TechplanEvent) -> bool:
        """Whether `fold` does anything with the event: a projection with a `fold` of its own
        takes every event."""
        return type(self).fold is not Projection.fold or event.type_name() in self.folds

    def fold(self, cur: Cursor, event: TechplanEvent, position: int) -> None:
        fold = self.folds.get(event.type_name())
        if fold is not None:
            fold(cur, event, position)

    def begin(self, cur: Cursor) -> None:
        """Called before a batch's first fold. A projection that buffers starts afresh."""
        for writes in self.writes:
            writes.begin()

    def flush(self, cur: Cursor) -> None:
        """Called after a batch's last fold, in the same transaction (before its position is
        recorded): a projection may buffer its writes and send them here at once."""
        for writes in self.writes:
            writes.flush(cur)

    def truncate(self, cur: Cursor) -> None:
        for table in self.tables:
            cur.execute(f"DELETE FROM {table}")


@dataclass(frozen=True)
class View:
    """A read model answered by queries over the tables of the projections it `reads`: each
    table has one fold, so a new field is added in one place. It is as fresh as the least
    fresh of them, which is what `min_position` waits for."""

    name: str
    reads: tuple[Projection, ...]

    def position(self, positions: Mapping[str, int]) -> int:
        return min(positions.get(p.name, 0) for p in self.reads)
