"""A batch's writes to one read-model table, merged per row and sent at the batch's flush.

A fold that sets a row's columns, adds to its counters, inserts or deletes it, does so here
rather than with a statement of its own: the row's changes are merged in memory while the
batch folds (a row inserted in the batch is simply updated there), and at the flush each
touched row costs one statement, sent with `executemany` (pipelined by psycopg). A plan whose
initiatives change forty times in a batch is written once, not eighty times.

The result is the same as the statements one by one would leave: deletes go first (a row
deleted in the batch and inserted again is inserted after), then inserts, then the updates
of rows that were there before the batch. `value` reads a column as the batch left it,
from memory where the batch wrote it, else from the table.

The state is per thread: a rebuild and the live runner may fold the same projection at once
in two threads of one process.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol

from infra.db import Cursor

# On while a rebuild fills fresh tables, which get their row-level security only when they are
# complete: PostgreSQL refuses COPY into a table under it. Then inserts go by COPY.
bulk: ContextVar[bool] = ContextVar("techplan_bulk_load", default=False)


def insert_rows(
    cur: Cursor,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    types: Sequence[str] = (),
) -> None:
    """Insert the rows: by COPY while `bulk` is on, else with one pipelined executemany.
    Given the columns' `types`, the COPY is binary: a quarter of the text form's CPU (no
    UUID made text, no escaping). In it a json column's value is its text, sent as `text`."""
    if not rows:
        return
    if bulk.get():
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with cur.copy(statement + (" (FORMAT BINARY)" if types else "")) as copy:
            if types:
                copy.set_types(types)
            for row in rows:
                copy.write_row(row)
        return
    cur.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})",
        rows,
    )


class Buffer(Protocol):
    """What a projection buffers in a batch: begun before its first fold, flushed after its
    last, in the same transaction."""

    def begin(self) -> None: ...

    def flush(self, cur: Cursor) -> None: ...


@dataclass
class _Batch:
    deleted: set[Any] = field(default_factory=set)
    inserted: dict[Any, dict[str, Any]] = field(default_factory=dict)
    sets: dict[Any, dict[str, Any]] = field(default_factory=dict)
    adds: dict[Any, dict[str, Any]] = field(default_factory=dict)


class Writes:
    """The writes of a batch to `table`, whose rows are keyed by the column `key`."""

    def __init__(self, table: str, key: str = "id", *, missing: str = "") -> None:
        self.table, self.key = table, key
        self.missing = missing or f"{table} has no row %s"  # what `value` says of a missing row
        self._local = threading.local()

    @property
    def _batch(self) -> _Batch:
        batch: _Batch | None = getattr(self._local, "batch", None)
        if batch is None:
            batch = self._local.batch = _Batch()
        return batch

    def begin(self) -> None:
        self._local.batch = _Batch()

    # ------------------------------------------------------------ what folds write

    def insert(self, row: Mapping[str, Any]) -> None:
        """A new row, every column it needs given (those `add` counts on too)."""
        self._batch.inserted[row[self.key]] = dict(row)

    def set(self, key: Any, **values: Any) -> None:
        """Set columns of the row (nothing when there is no such row)."""
        batch = self._batch
        row = batch.inserted.get(key)
        if row is not None:
            row.update(values)
        elif key not in batch.deleted:
            batch.sets.setdefault(key, {}).update(values)
            adds = batch.adds.get(key)
            if adds:  # a value set replaces what was added before it
                for column in values:
                    adds.pop(column, None)

    def add(self, key: Any, **deltas: Any) -> None:
        """Add to numeric columns of the row (nothing when there is no such row)."""
        batch = self._batch
        row = batch.inserted.get(key)
        if row is not None:
            for column, delta in deltas.items():
                row[column] += delta
        elif key not in batch.deleted:
            sets = batch.sets.get(key, {})
            adds = batch.adds.setdefault(key, {})
            for column, delta in deltas.items():
                if column in sets:  # added to a value set in the batch
                    sets[column] += delta
                else:
                    adds[column] = adds.get(column, 0) + delta

    def delete(self, key: Any) -> None:
        batch = self._batch
        batch.sets.pop(key, None)
        batch.adds.pop(key, None)
        if batch.inserted.pop(key, None) is None:
            batch.deleted.add(key)

    def value(self, cur: Cursor, key: Any, column: str) -> Any:
        """The column of the row as the batch has left it so far; LookupError without one."""
        batch = self._batch
        row = batch.inserted.get(key)
        if row is not None:
            return row[column]
        sets = batch.sets.get(key)
        if key in batch.deleted:
            raise LookupError(self.missing % key)
        if sets is not None and column in sets:
            return sets[column]
        cur.execute(f"SELECT {column} FROM {self.table} WHERE {self.key} = %s", (key,))
        found = cur.fetchone()
        if found is None:
            raise LookupError(self.missing % key)
        return found[column] + batch.adds.get(key, {}).get(column, 0)

    # ------------------------------------------------------------ the flush

    def flush(self, cur: Cursor) -> None:
        batch = self._batch
        self._local.batch = _Batch()
        table, key = self.table, self.key
        if batch.deleted:
            cur.execute(f"DELETE FROM {table} WHERE {key} = ANY(%s)", (list(batch.deleted),))
        by_columns: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        for row in batch.inserted.values():
            by_columns.setdefault(tuple(row), []).append(tuple(row.values()))
        for columns, rows in by_columns.items():
            insert_rows(cur, table, columns, rows)
        updates: dict[tuple[tuple[str, ...], tuple[str, ...]], list[tuple[Any, ...]]] = {}
        for row_key in {**batch.sets, **batch.adds}:
            sets, adds = batch.sets.get(row_key, {}), batch.adds.get(row_key, {})
            if not sets and not adds:
                continue
            updates.setdefault((tuple(sets), tuple(adds)), []).append(
                (*sets.values(), *adds.values(), row_key)
            )
        for (set_columns, add_columns), rows in updates.items():
            assignments = [f"{c} = %s" for c in set_columns]
            assignments += [f"{c} = {c} + %s" for c in add_columns]
            cur.executemany(f"UPDATE {table} SET {', '.join(assignments)} WHERE {key} = %s", rows)
