"""Our own PostgreSQL pool for everything that is not the event store itself.

Read-model tables are under forced row-level security: every read goes through
`tenant_tx`, which sets the tenant for that transaction only (`SET LOCAL` semantics).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID
from weakref import WeakKeyDictionary

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

Cursor = psycopg.Cursor[dict[str, Any]]


class IdleCheck:
    """Check a connection with a round trip before handing it out only when it sat idle in
    the pool for a while: one that was in use a moment ago is known to work, and under load
    that is every checkout, so busy requests pay no extra round trip (a per-checkout check
    cost a fifth of a list's time), while a connection that idled through a database restart
    is still replaced before anyone gets it."""

    def __init__(self, after: float = 2.0) -> None:
        self.after = after
        self._returned: WeakKeyDictionary[Any, float] = WeakKeyDictionary()
        self._lock = threading.Lock()

    def returned(self, conn: Any) -> None:
        with self._lock:
            self._returned[conn] = time.monotonic()

    def check(self, conn: Any) -> None:
        with self._lock:
            since = self._returned.get(conn)
        if since is None or time.monotonic() - since > self.after:
            ConnectionPool.check_connection(conn)


class Database:
    def __init__(self, url: str, *, min_size: int = 1, max_size: int = 10) -> None:
        self.url = url
        self._idle = IdleCheck()
        self.pool: ConnectionPool[psycopg.Connection[dict[str, Any]]] = ConnectionPool(
            url,
            min_size=min_size,
            max_size=max_size,
            kwargs={"row_factory": dict_row, "autocommit": False, "options": "-c timezone=UTC"},
            open=False,
            timeout=10,
            check=self._idle.check,
            reset=self._idle.returned,
        )

    def open(self) -> None:
        self.pool.open(wait=True, timeout=10)

    def close(self) -> None:
        self.pool.close()

    @contextmanager
    def tx(self) -> Iterator[Cursor]:
        """A transaction with no tenant: sees no row of a read model."""
        with self.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            yield cur

    @contextmanager
    def tenant_tx(self, tenant_id: UUID) -> Iterator[Cursor]:
        with self.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute("SELECT set_config('techplan.tenant_id', %s, true)", (str(tenant_id),))
            yield cur

    @contextmanager
    def projector_tx(self) -> Iterator[Cursor]:
        """The one narrow path that folds many tenants' events into the read models."""
        with self.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute("SELECT set_config('techplan.projector', 'on', true)")
            yield cur


def rls(table: str) -> list[str]:
    """Forced row-level security on a table with `tenant_id`: rows of the transaction's
    tenant only, every row for the projector's transaction; nothing without either.

    Each setting is read in a scalar subquery, so PostgreSQL reads and casts it once per
    statement (an InitPlan) rather than once per row, and `tenant_id = $1` can be an index
    condition on the (tenant_id, ...) indexes."""
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS tenant_isolation ON {table}",
        f"CREATE POLICY tenant_isolation ON {table} USING ("
        " tenant_id = (SELECT nullif(current_setting('techplan.tenant_id', true), '')::uuid)"
        " OR (SELECT current_setting('techplan.projector', true) = 'on'))",
    ]


def check_reachable(url: str) -> None:
    """Raise a one-line error when PostgreSQL cannot be reached with `url`."""
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConnectionError(f"cannot reach PostgreSQL at {_redact(url)}: {first}") from None


def _redact(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url
