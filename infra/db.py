"""Our own PostgreSQL pool for everything that is not the event store itself.

Read-model tables are under forced row-level security: every read goes through
`tenant_tx`, which sets the tenant for that transaction only (`SET LOCAL` semantics).

While PostgreSQL is down (stopped, restarting, unreachable) requests must fail fast with
`DatabaseUnavailable` (503 with Retry-After), not queue on the pool for its whole timeout,
and the pools must find the server again on their own when it is back. `Availability` does
both for our pool and for the event store's (infra/eventstore.py wraps it the same way).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any, TypeVar
from uuid import UUID
from weakref import WeakKeyDictionary

import msgspec
import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import set_json_loads
from psycopg_pool import ConnectionPool, PoolTimeout

Cursor = psycopg.Cursor[dict[str, Any]]
T = TypeVar("T")

log = logging.getLogger("techplan.db")

OUTAGE_WAIT = 0.5  # seconds a request waits for a connection while PostgreSQL is down
RECONNECT_GIVE_UP = 2.0  # a pool's reconnection attempt backs off at most this long
RECENT = 10.0  # seconds after a lost connection during which requests still fail fast
# SQLSTATEs of a lost server: connection exceptions, admin/crash shutdown, starting up.
LOST = ("08", "57P01", "57P02", "57P03")


# What a transaction of the current request must confirm just before it commits: set by
# services/idempotency.py for a request with an Idempotency-Key, run by our transactions and
# by the event store's (infra/eventstore.py). To refuse, it makes the server raise REFUSED:
# an error in PostgreSQL aborts the transaction whoever holds it (the event store's recorder
# would commit after a Python exception of ours).
commit_check: ContextVar[Callable[[Cursor], None] | None] = ContextVar(
    "techplan_commit_check", default=None
)


def confirm_commit(cur: Cursor) -> None:
    check = commit_check.get()
    if check is not None:
        check(cur)


REFUSED = "TP409"  # the SQLSTATE a commit check raises to refuse its transaction


class CommitRefused(Exception):
    """The request's commit check refused this transaction: it was rolled back."""


def refused(exc: BaseException | None) -> bool:
    return isinstance(exc, psycopg.Error) and exc.sqlstate == REFUSED


class DatabaseUnavailable(Exception):
    """PostgreSQL cannot be reached now (stopped, restarting, or not answering)."""

    retry_after = 2

    def __init__(self, detail: str = "the database is unavailable; try again shortly") -> None:
        super().__init__(detail)
        self.detail = detail


def connection_lost(exc: BaseException) -> bool:
    """A failure of the connection or the server, not of the statement."""
    if isinstance(exc, PoolTimeout):
        return True
    if not isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        return False
    sqlstate = getattr(exc, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(LOST)


class Availability:
    """Whether PostgreSQL answered lately, shared by the pools of one process.

    After a lost connection, a request waits at most OUTAGE_WAIT for a connection instead of
    the pool's whole timeout, until a connection is handed out again and for RECENT seconds
    after the last loss. The pools retry the
    server every couple of seconds at most (RECONNECT_GIVE_UP) rather than backing off for
    minutes, so service resumes within seconds of the server's return.
    """

    def __init__(self) -> None:
        self.down_since: float | None = None
        self.lost_at = -RECENT

    def failing(self) -> bool:
        """Down now, or lost lately: a server going down or coming back can answer one
        connection and refuse the next."""
        return self.down_since is not None or time.monotonic() - self.lost_at < RECENT

    def lost(self, exc: BaseException | None = None) -> None:
        self.lost_at = time.monotonic()
        if self.down_since is None:
            self.down_since = time.monotonic()
            log.warning("PostgreSQL is unavailable: %s", type(exc).__name__ if exc else "?")

    def back(self) -> None:
        if self.down_since is not None:
            log.warning("PostgreSQL is back after %.1fs", time.monotonic() - self.down_since)
            self.down_since = None

    def guard(self, pool: ConnectionPool[Any]) -> None:
        """Make `pool` fail fast with DatabaseUnavailable while the server is down."""
        pool.reconnect_timeout = RECONNECT_GIVE_UP
        getconn, putconn = pool.getconn, pool.putconn

        def guarded_getconn(timeout: float | None = None) -> Any:
            wait = pool.timeout if timeout is None else timeout
            if self.failing():
                wait = min(wait, OUTAGE_WAIT)
            try:
                conn = getconn(wait)
            except PoolTimeout as exc:
                self.lost(exc)
                raise DatabaseUnavailable() from exc
            self.back()
            return conn

        def guarded_putconn(conn: Any) -> None:
            if conn.broken:
                self.lost()
            putconn(conn)

        pool.getconn = guarded_getconn  # type: ignore[method-assign]
        pool.putconn = guarded_putconn  # type: ignore[method-assign]


class IdleCheck:
    """Check a connection with a round trip before handing it out only when it sat idle in
    the pool for a while: one that was in use a moment ago is known to work, and under load
    that is every checkout, so busy requests pay no extra round trip (a per-checkout check
    cost a fifth of a list's time), while a connection that idled through a database restart
    is still replaced before anyone gets it.

    `watch` notes when a connection comes back by wrapping the pool's `putconn`, not with the
    pool's `reset` callback: a pool with one hands every returned connection to its worker
    thread, a thread hop per transaction before the next request may have it."""

    def watch(self, pool: ConnectionPool[Any]) -> None:
        putconn = pool.putconn

        def noted_putconn(conn: Any) -> None:
            self.returned(conn)
            putconn(conn)

        pool.putconn = noted_putconn  # type: ignore[method-assign]

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


def _decode_json_with_msgspec(conn: psycopg.Connection[Any]) -> None:
    """json and jsonb columns decoded by msgspec, about ten times the standard library's speed
    (a page of audit items is fifty `changes` documents)."""
    set_json_loads(msgspec.json.decode, conn)


class Database:
    def __init__(
        self,
        url: str,
        *,
        min_size: int = 1,
        max_size: int = 10,
        availability: Availability | None = None,
    ) -> None:
        self.url = url
        self._idle = IdleCheck()
        self.availability = availability or Availability()
        self.pool: ConnectionPool[psycopg.Connection[dict[str, Any]]] = ConnectionPool(
            url,
            min_size=min_size,
            max_size=max_size,
            kwargs={
                "row_factory": dict_row,
                "autocommit": False,
                "options": "-c timezone=UTC",
                "connect_timeout": 5,
            },
            open=False,
            timeout=10,
            check=self._idle.check,
            configure=_decode_json_with_msgspec,
        )
        self.availability.guard(self.pool)
        self._idle.watch(self.pool)

        self._threads: ThreadPoolExecutor | None = None
        self._threads_lock = threading.Lock()

    def open(self) -> None:
        self.pool.open(wait=True, timeout=10)

    def close(self) -> None:
        if self._threads is not None:
            self._threads.shutdown(wait=False, cancel_futures=True)
        self.pool.close()

    async def run(self, fn: Callable[..., T], /, *args: Any) -> T:
        """`fn(*args)` in one of this pool's threads (one per connection it may open), with
        the caller's context (its log fields) and off the event loop: asyncio's executor
        hands work to a thread for about two thirds of what anyio's `to_thread` costs, which
        a read pays on every request."""
        if self._threads is None:
            with self._threads_lock:
                if self._threads is None:
                    self._threads = ThreadPoolExecutor(
                        self.pool.max_size, thread_name_prefix="techplan-db"
                    )
        context = contextvars.copy_context()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, partial(context.run, fn, *args))

    @contextmanager
    def _transaction(self) -> Iterator[Cursor]:
        try:
            with self.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
                yield cur
                confirm_commit(cur)
        except psycopg.Error as exc:
            if refused(exc):
                raise CommitRefused(exc.diag.message_primary or str(exc)) from exc
            if not connection_lost(exc):
                raise
            self.availability.lost(exc)
            raise DatabaseUnavailable() from exc

    @contextmanager
    def tx(self) -> Iterator[Cursor]:
        """A transaction with no tenant: sees no row of a read model."""
        with self._transaction() as cur:
            yield cur

    @contextmanager
    def tenant_tx(self, tenant_id: UUID) -> Iterator[Cursor]:
        with self._transaction() as cur:
            cur.execute("SELECT set_config('techplan.tenant_id', %s, true)", (str(tenant_id),))
            yield cur

    @contextmanager
    def projector_tx(self) -> Iterator[Cursor]:
        """The one narrow path that folds many tenants' events into the read models."""
        with self._transaction() as cur:
            cur.execute("SELECT set_config('techplan.projector', 'on', true)")
            yield cur


# The transaction's tenant named in a query's own WHERE, for queries that do not otherwise
# narrow to a few rows by an indexed column (a tenant's whole audit trail, newest first).
# The policy below cannot do it: its OR (the projector sees every tenant) is no index
# condition, so without this PostgreSQL walks every tenant's rows in the order asked for and
# filters (at 300,000 events the audit page took 177 ms instead of 0.1 ms). current_setting
# is stable, so this is an index condition on the (tenant_id, ...) indexes; outside a tenant's
# transaction it matches nothing, as the policy does.
OWN_TENANT = "tenant_id = nullif(current_setting('techplan.tenant_id', true), '')::uuid"


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
