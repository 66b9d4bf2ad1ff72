"""History, time travel and diffs for every kind of aggregate, from the event store.

A page costs what it holds, not what the aggregate's life holds: `/history` reads the page's
stored changes from the audit trail (one indexed range) and computes only the versions the
trail has not folded yet (it lags a little, or parks this aggregate) from the event store,
starting at the nearest snapshot; `/diff` loads the two versions (each from its nearest
snapshot) and compares them once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Router, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter

from domain.shared import A, TechplanAggregate
from infra.history import diff, history_item, version_as_of
from projections import audit
from services.api.common import check_limit, decode_cursor, encode_cursor
from services.api.history_out import DiffOut, HistoryPage
from services.api.params import Limit, PageCursor, instant
from services.api.responses import typed
from services.auth import READ
from services.bootstrap import Container
from services.commands.context import Context
from services.errors import NotFound


def load_at(
    c: Context,
    cls: type[A],
    aggregate_id: UUID,
    version: int | None,
    as_of: str | datetime | None,
) -> A:
    """The aggregate now, after version N, or after its last event at or before T (both: as
    it was at whichever of the two came first)."""
    what = cls.aggregate_type
    if as_of is not None:
        moment = instant(as_of, "as_of") if isinstance(as_of, str) else as_of
        assert moment is not None
        at = version_as_of(c.store.history(cls, aggregate_id, c.principal), moment)
        if at is None:
            raise NotFound(f"{what} did not exist at {moment.isoformat()}")
        # Both bounds given: the resource as it was at the earlier of the two.
        version = at if version is None else min(version, at)
    if version is not None and version < 1:
        raise NotFound(f"{what} has no version {version}")
    return c.store.load(cls, aggregate_id, c.principal, version=version)


def history_router(kind: str, cls: type[TechplanAggregate]) -> Router:
    what = cls.aggregate_type

    def visible(c: Context, aggregate_id: UUID) -> UUID:
        c.principal.require(*READ)
        c.store.check_visible(cls, aggregate_id, c.principal)
        return aggregate_id

    def history(
        container: NamedDependency[Container],
        context: NamedDependency[Context],
        id: FromPath[UUID],
        limit: Limit = 50,
        cursor: PageCursor = None,
    ) -> HistoryPage:
        check_limit(limit)
        after = decode_cursor(cursor, int) or 0
        aggregate_id = visible(context, id)
        with container.db.tenant_tx(context.principal.tenant_id) as cur:
            items = audit.page_of_history(cur, aggregate_id, after=after, limit=limit + 1)
        if len(items) <= limit:
            done = items[-1]["version"] if items else after
            items += not_yet_folded(context, aggregate_id, done, limit + 1 - len(items))
        more = len(items) > limit
        items = items[:limit]
        return typed(
            HistoryPage,
            {"items": items, "next_cursor": encode_cursor(items[-1]["version"]) if more else None},
        )

    def diff_view(
        context: NamedDependency[Context],
        id: FromPath[UUID],
        from_: Annotated[int, QueryParameter(name="from")],
        to: FromQuery[int],
    ) -> DiffOut:
        aggregate_id = visible(context, id)
        views = {}
        for name, n in (("from", from_), ("to", to)):
            if n < 1:
                raise NotFound(f"{what} has no version {n} (asked as {name})")
            try:
                views[name] = context.store.load(
                    cls, aggregate_id, context.principal, version=n
                ).view()
            except NotFound:
                raise NotFound(f"{what} has no version {n} (asked as {name})") from None
        changes = diff(views["from"], views["to"])
        return typed(DiffOut, {"from": from_, "to": to, "changes": changes})

    handlers: list[Callable[..., Any]] = [
        get(
            "/{id:uuid}/history",
            sync_to_thread=True,
            operation_id=f"{kind}_history",
            summary=f"History of a {what}: one item per event, field-level changes",
            tags=["history"],
        )(history),
        get(
            "/{id:uuid}/diff",
            sync_to_thread=True,
            operation_id=f"{kind}_diff",
            summary=f"Net field-level difference between two versions of a {what}",
            tags=["history"],
        )(diff_view),
    ]
    return Router(path=f"/v1/{kind}", route_handlers=handlers)


def not_yet_folded(c: Context, aggregate_id: UUID, done: int, limit: int) -> list[dict[str, Any]]:
    """History items after version `done` computed from the event store: the aggregate at
    `done` (from its nearest snapshot), then each event of the page."""
    recorded = c.store.app.aggregate_events(aggregate_id, after=done, limit=limit)
    if not recorded:
        return []
    aggregate: Any = c.store.app.repository.get(aggregate_id, version=done) if done else None
    before = None if aggregate is None else aggregate.view()
    items = []
    for item in recorded:
        aggregate = item.event.mutate(aggregate)
        after = aggregate.view()
        items.append(history_item(item, before, after))
        before = after
    return items
