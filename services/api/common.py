"""What every controller shares: its dependencies (the container, the principal, the command
context), paging, freshness."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar
from uuid import UUID, uuid4

import anyio.to_thread
import msgspec
from litestar import Request, Response
from litestar.di import NamedDependency, Provide

from domain.client import Client
from infra import logs
from infra.db import Cursor
from projections.roadmap import client_calendar
from services.api.responses import Out, typed
from services.auth import READ, Principal, authenticate, noted_principal, recently_verified
from services.bootstrap import Container
from services.commands.context import Context
from services.errors import BadRequest, Invalid, NotFound, PreconditionFailed

T = TypeVar("T")
R = TypeVar("R", bound=Out)
P = TypeVar("P", bound=Out)
Calendar = dict[str, Any]


def provide_container(request: Request[Any, Any, Any]) -> Container:
    """From the app's state, without asking Litestar for `state`: it hands a dependency a
    deep copy of the app's state on every request."""
    c: Container = request.app.state.container
    return c


async def provide_principal(
    request: Request[Any, Any, Any], container: NamedDependency[Container]
) -> Principal:
    """A key verified a moment ago is known without I/O (verified already in this request by
    the rate limits, or in an earlier one); otherwise it is looked up in a worker thread.

    It takes `container` even when it does not need it: Litestar resolves dependencies that do
    not depend on each other concurrently, in an anyio task group of their own (two tasks a
    request, a tenth of a list's time); one that depends on the other resolves in turn."""
    noted = noted_principal(request.scope)
    if noted is not None:
        return noted
    authorization = request.headers.get("authorization")
    known = recently_verified(authorization)
    if known is not None:
        return known
    return await container.db.run(authenticate, container.db, authorization)


def provide_context(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    container: NamedDependency[Container],
) -> Context:
    """The command context of a request: a malformed If-Match is refused (412) here."""
    return Context(
        store=container.store,
        principal=principal,
        correlation_id=correlation_id(request),
        if_match=if_match(request.headers.get("if-match")),
        clock=container.clock,
    )


@dataclass(frozen=True)
class Precondition:
    """A request's If-Match, for handlers that check their role before they read it."""

    header: str | None

    def version(self) -> int | None:
        return if_match(self.header)


def provide_precondition(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal]
) -> Precondition:
    """Takes `principal` only to resolve after it, not beside it (`provide_principal`)."""
    return Precondition(request.headers.get("if-match"))


DEPENDENCIES = {
    "container": Provide(provide_container, sync_to_thread=False),
    "principal": Provide(provide_principal),
    "context": Provide(provide_context, sync_to_thread=False),
    "precondition": Provide(provide_precondition, sync_to_thread=False),
}


def correlation_id(request: Request[Any, Any, Any]) -> str:
    """The request's correlation id, as its log lines carry it (services/api/telemetry.py)."""
    bound = logs.current().get("correlation_id")
    if bound:
        return str(bound)
    given = request.headers.get("x-correlation-id") or request.headers.get("x-request-id")
    return (given or str(uuid4()))[:200]


def if_match(raw: str | None) -> int | None:
    """The version an `If-Match` header pins, if any."""
    if raw is None:
        return None
    raw = raw.strip().removeprefix("W/").strip('"')
    try:
        return int(raw)
    except ValueError:
        raise PreconditionFailed(f'If-Match must be a version like "3", got {raw!r}') from None


def resource(
    view: dict[str, Any],
    *,
    status: int = 200,
    position: int | None = None,
    created_id: str | None = None,
) -> Response[dict[str, Any]]:
    body = dict(view)
    if position is not None:
        body["position"] = position
    if created_id is not None:
        body["created_id"] = created_id
    return Response(body, status_code=status, headers={"ETag": f'"{view["version"]}"'})


def answer(
    kind: type[R],
    view: dict[str, Any],
    *,
    status: int = 200,
    position: int | None = None,
    created_id: str | None = None,
) -> Response[R]:
    """A resource's answer as its declared Struct (services/api/responses.py), with the
    version as its ETag, and for a command the log position and any created item's id."""
    body = dict(view)
    if position is not None:
        body["position"] = position
    if created_id is not None:
        body["created_id"] = created_id
    return Response(typed(kind, body), status_code=status, headers={"ETag": f'"{view["version"]}"'})


# ---------------------------------------------------------------- lists


def check_limit(limit: int) -> int:
    if not 1 <= limit <= 500:
        raise Invalid("limit must be between 1 and 500", field="limit")
    return limit


def encode_cursor(value: Any) -> str:
    """A page's key as its `next_cursor`: a position or version as its digits, an id as itself
    (services/api/params.py `PageCursor`, `IdCursor`: every value they admit is valid); any
    other key (the portal's sorted pages) as URL-safe base64 of its JSON."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value
    return base64.urlsafe_b64encode(msgspec.json.encode(value)).decode().rstrip("=")


def decode_cursor(cursor: str | None, kind: type[T]) -> T | None:
    """The key `encode_cursor` made, of the type the list is keyed by; anything else is 400."""
    if cursor is None:
        return None
    if kind is int or kind is str:
        if not _PLAIN_CURSOR[kind].fullmatch(cursor):
            raise BadRequest("the cursor is not valid", field="cursor")
        return kind(cursor)  # type: ignore[call-arg]
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return msgspec.json.decode(raw, type=kind)
    except (binascii.Error, ValueError, msgspec.DecodeError):
        raise BadRequest("the cursor is not valid", field="cursor") from None


_PLAIN_CURSOR = {
    int: re.compile(r"[0-9]{1,18}"),
    str: re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
}


def page(rows: Sequence[tuple[Any, dict[str, Any]]], limit: int) -> dict[str, Any]:
    """Rows are (sort key, item), fetched with limit + 1 to know whether more follow."""
    items = [item for _, item in rows[:limit]]
    more = len(rows) > limit
    return {"items": items, "next_cursor": encode_cursor(rows[limit - 1][0]) if more else None}


def typed_page(kind: type[P], rows: Sequence[tuple[Any, dict[str, Any]]], limit: int) -> P:
    """`page` as its declared page Struct (`items` and `next_cursor`)."""
    return typed(kind, page(rows, limit))


async def fresh(c: Container, min_position: int | None, projections: Sequence[str]) -> None:
    """Read-your-writes: wait (bounded, holding no thread) until the projections reached
    `min_position`; 422 at once for a position above the log's head (services/readwait.py)."""
    if min_position is None:
        return
    assert c.read_side is not None, "the app's lifespan starts the read side"
    await c.read_side.wait(min_position, projections)


async def in_thread(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Blocking work (the database) off the event loop, in the pool sized by create_app."""
    return await anyio.to_thread.run_sync(partial(fn, *args, **kwargs))


async def tenant_read(
    c: Container, principal: Principal, query: Callable[..., T], /, *args: Any, **kwargs: Any
) -> T:
    """`query(cur, *args, **kwargs)` on the read models (a replica's if one is set), in one
    of its pool's threads, under the tenant's RLS."""
    db = c.read_db

    def read() -> T:
        with db.tenant_tx(principal.tenant_id) as cur:
            return query(cur, *args, **kwargs)

    return await db.run(read)


async def client_list(
    c: Container,
    principal: Principal,
    client_id: UUID,
    projection: str,
    query: Callable[..., Sequence[tuple[Any, dict[str, Any]]]],
    *,
    limit: int,
    cursor: str | None,
    min_position: int | None,
) -> dict[str, Any]:
    """A page of one client's items from a read model: access checked on the client itself
    (so an invisible client is 404), fresh to `min_position`, under the tenant's RLS."""
    principal.require(*READ)
    check_limit(limit)
    after = decode_cursor(cursor, int) or 0
    cid = client_id
    await fresh(c, min_position, [projection])

    def read(cur: Cursor) -> Sequence[tuple[Any, dict[str, Any]]]:
        if principal.client_ids is not None and cid not in principal.client_ids:
            raise NotFound("client not found")
        rows = query(cur, cid, after=after, limit=limit + 1)
        if not rows:  # rows under the tenant's RLS show the client is visible; none may not
            visible_client(c, principal, cur, cid)
        return rows

    rows = await tenant_read(c, principal, read)
    return page(rows, limit)


def visible_client(c: Container, principal: Principal, cur: Cursor, client_id: UUID) -> Calendar:
    """The client's calendar (id, fiscal_year_start_month, currency), or 404 exactly as for a
    random id unless the key may see it. Read from the clients' read model in the request's
    tenant transaction (row-level security hides other tenants' clients); a client the read
    model has not folded yet is looked up in the event store, which is always current."""
    if principal.client_ids is not None and client_id not in principal.client_ids:
        raise NotFound("client not found")
    found = client_calendar(cur, client_id)
    if found is None:
        client = c.store.load(Client, client_id, principal)
        return {
            "id": client.id,
            "fiscal_year_start_month": client.fiscal_year_start_month,
            "currency": client.currency,
        }
    return found
