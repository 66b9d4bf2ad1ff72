"""What a read model is: its tables' DDL and one small function per event it folds.

Every table carries `tenant_id` under forced row-level security, keyed on a per-transaction
setting; only the projector's transaction (`techplan.projector = on`) sees every tenant.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.shared import TechplanEvent
from infra.db import Cursor

Fold = Callable[[Cursor, Any, int], None]


def rls(table: str) -> list[str]:
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS tenant_isolation ON {table}",
        f"CREATE POLICY tenant_isolation ON {table} USING ("
        " tenant_id = nullif(current_setting('techplan.tenant_id', true), '')::uuid"
        " OR current_setting('techplan.projector', true) = 'on')",
    ]


class Projection:
    """A read model. Subclasses set `name`, `tables` and `ddl`, and register folds."""

    name: str = ""
    tables: tuple[str, ...] = ()
    ddl: tuple[str, ...] = ()
    version: int = 1  # bump to make `migrate` rebuild it

    def __init__(self) -> None:
        self.folds: dict[str, Fold] = {}

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

    def fold(self, cur: Cursor, event: TechplanEvent, position: int) -> None:
        fold = self.folds.get(event.type_name())
        if fold is not None:
            fold(cur, event, position)

    def begin(self, cur: Cursor) -> None:
        """Called before a batch's first fold. A projection that buffers starts afresh."""

    def flush(self, cur: Cursor) -> None:
        """Called after a batch's last fold, in the same transaction (before its position is
        recorded): a projection may buffer its writes and send them here at once."""

    def truncate(self, cur: Cursor) -> None:
        for table in self.tables:
            cur.execute(f"DELETE FROM {table}")
