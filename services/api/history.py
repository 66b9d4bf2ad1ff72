"""History, time travel and diffs for every kind of aggregate, from the event store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Router, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter

from domain.shared import A, TechplanAggregate
from infra.history import diff, history_item, replay, version_as_of
from services.api.common import check_limit, decode_cursor, encode_cursor, uuid_of
from services.auth import READ
from services.commands.context import Context
from services.errors import Invalid, NotFound


def load_at(
    c: Context,
    cls: type[A],
    aggregate_id: UUID,
    version: int | None,
    as_of: datetime | None,
) -> A:
    """The aggregate now, after version N, or after its last event at or before T."""
    what = cls.aggregate_type
    if version is not None and as_of is not None:
        raise Invalid("give either version or as_of, not both", field="as_of")
    if as_of is not None:
        if as_of.tzinfo is None:
            raise Invalid("as_of needs a time zone offset", field="as_of")
        version = version_as_of(c.store.history(cls, aggregate_id, c.principal), as_of)
        if version is None:
            raise NotFound(f"{what} did not exist at {as_of.isoformat()}")
    if version is not None and version < 1:
        raise NotFound(f"{what} has no version {version}")
    return c.store.load(cls, aggregate_id, c.principal, version=version)


def history_router(kind: str, cls: type[TechplanAggregate]) -> Router:
    what = cls.aggregate_type

    def recorded(c: Context, raw_id: str) -> list[Any]:
        c.principal.require(*READ)
        return c.store.history(cls, uuid_of(raw_id, what), c.principal)

    def history(
        context: NamedDependency[Context],
        id: FromPath[str],
        limit: FromQuery[int] = 50,
        cursor: FromQuery[str | None] = None,
    ) -> dict[str, Any]:
        check_limit(limit)
        after = decode_cursor(cursor, int) or 0
        steps = replay(recorded(context, id))
        items = [history_item(*s) for s in steps if s[0].version > after]
        more = len(items) > limit
        items = items[:limit]
        return {
            "items": items,
            "next_cursor": encode_cursor(items[-1]["version"]) if more else None,
        }

    def diff_view(
        context: NamedDependency[Context],
        id: FromPath[str],
        from_: Annotated[int, QueryParameter(name="from")],
        to: FromQuery[int],
    ) -> dict[str, Any]:
        steps = replay(recorded(context, id))
        views = {s[0].version: s[2] for s in steps}
        for name, n in (("from", from_), ("to", to)):
            if n not in views:
                raise NotFound(f"{what} has no version {n} (asked as {name})")
        return {"from": from_, "to": to, "changes": diff(views[from_], views[to])}

    handlers: list[Callable[..., Any]] = [
        get(
            "/{id:str}/history",
            sync_to_thread=True,
            operation_id=f"{kind}_history",
            summary=f"History of a {what}: one item per event, field-level changes",
            tags=["history"],
        )(history),
        get(
            "/{id:str}/diff",
            sync_to_thread=True,
            operation_id=f"{kind}_diff",
            summary=f"Net field-level difference between two versions of a {what}",
            tags=["history"],
        )(diff_view),
    ]
    return Router(path=f"/v1/{kind}", route_handlers=handlers)
