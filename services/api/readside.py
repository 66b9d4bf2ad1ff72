"""Reads across many objects, answered from projections: audit, portfolio, roadmap, alignment,
and "what changed since". Each honours `min_position` (read-your-writes, bounded wait): the
handlers are async so that the wait holds no thread; what touches the database runs in one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter

from domain.calendar import FiscalQuarter
from domain.catalogue import event_classes
from domain.client import Client
from domain.review import Review
from domain.shared import rfc3339
from infra.db import Cursor
from infra.history import IGNORED, diff
from projections import alignment, assessments, audit, portfolio, roadmap
from services.api.common import (
    check_limit,
    decode_cursor,
    fresh,
    in_thread,
    page,
    tenant_read,
    typed_page,
    visible_client,
)
from services.api.history_out import ChangesOut
from services.api.params import (
    FISCAL_QUARTER,
    NO_CONTROLS,
    AggregateType,
    IdFilter,
    Instant,
    Limit,
    MinPosition,
    PageCursor,
    QuarterParam,
    SearchText,
    instant,
)
from services.api.readside_out import AlignmentOut, AuditPage, PortfolioPage, RoadmapOut
from services.api.responses import typed
from services.auth import READ, READ_LIBRARY, Principal
from services.bootstrap import Container
from services.errors import Conflict, Invalid, NotFound

MAX_QUARTERS = 40


def _client(principal: Principal, client_id: UUID) -> UUID:
    """The path's client id; the read checks the key may see it (`visible_client`) in its
    own transaction."""
    principal.require(*READ)
    return client_id


class AuditController(Controller):
    path = "/v1/audit"
    tags = ["audit"]

    @get("/", summary="Every decision, newest first, filtered")
    async def search(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        client_id: IdFilter = None,
        aggregate_id: IdFilter = None,
        aggregate_type: FromQuery[AggregateType | None] = None,
        actor_id: SearchText = None,
        event_type: Annotated[str | None, QueryParameter(name="type")] = None,
        since: Instant = None,
        until: Instant = None,
        q: Annotated[
            str | None,
            QueryParameter(max_length=500, pattern=NO_CONTROLS, description="text search"),
        ] = None,
        limit: Limit = 50,
        cursor: PageCursor = None,
        min_position: MinPosition = None,
    ) -> AuditPage:
        principal.require(*READ)
        check_limit(limit)
        client = client_id
        if event_type is not None and event_type not in event_classes():
            raise Invalid("not an event type (see /v1/event-types)", field="type")
        where = audit.AuditFilter(
            client_ids=principal.client_ids,
            client_id=client,
            aggregate_id=aggregate_id,
            aggregate_type=aggregate_type,
            actor_id=actor_id,
            type=event_type,
            since=instant(since, "since"),
            until=instant(until, "until"),
            q=q,
            # The library's decisions, for keys that may read it, unless one client is asked.
            tenant_wide=principal.role in READ_LIBRARY and client is None,
        )
        before = decode_cursor(cursor, int)
        await fresh(container, min_position, [audit.projection.name])

        def read(cur: Cursor) -> AuditPage:
            if client is not None:  # 404 unless the key may see it
                visible_client(container, principal, cur, client)
            rows = audit.search(cur, where, before=before, limit=limit + 1)
            return typed_page(AuditPage, rows, limit)

        return await tenant_read(container, principal, read)


class PortfolioController(Controller):
    path = "/v1/portfolio"
    tags = ["portfolio"]

    @get("/", summary="One row per client: the multi-client view")
    async def list_portfolio(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        limit: Limit = 50,
        cursor: PageCursor = None,
        min_position: MinPosition = None,
    ) -> PortfolioPage:
        principal.require(*READ)
        check_limit(limit)
        after = decode_cursor(cursor, int) or 0
        await fresh(container, min_position, [portfolio.projection.name])

        def read(cur: Cursor) -> PortfolioPage:
            rows = portfolio.list_portfolio(
                cur,
                client_ids=principal.client_ids,
                after=after,
                limit=limit + 1,
                today=datetime.now(UTC).date(),
            )
            return typed_page(PortfolioPage, rows, limit)

        return await tenant_read(container, principal, read)


class ClientReadsController(Controller):
    path = "/v1/clients/{client_id:uuid}"
    tags = ["portfolio"]

    @get("/roadmap", summary="Initiatives by fiscal quarter, with costs")
    async def roadmap(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        client_id: FromPath[UUID],
        from_: Annotated[
            str | None,
            QueryParameter(name="from", pattern=FISCAL_QUARTER, description="e.g. FY2027-Q2"),
        ] = None,
        to: QuarterParam = None,
        min_position: MinPosition = None,
    ) -> RoadmapOut:
        client = _client(principal, client_id)
        first = FiscalQuarter.parse(from_, field="from") if from_ is not None else None
        last = FiscalQuarter.parse(to, field="to") if to is not None else None
        await fresh(container, min_position, [roadmap.projection.name])

        def read(cur: Cursor) -> RoadmapOut:
            calendar = visible_client(container, principal, cur, client)
            return typed(RoadmapOut, _roadmap(cur, calendar, first, last))

        return await tenant_read(container, principal, read)

    @get("/alignment", summary="Goals, the initiatives serving them, gaps")
    async def alignment(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        client_id: FromPath[UUID],
        min_position: MinPosition = None,
    ) -> AlignmentOut:
        client = _client(principal, client_id)
        await fresh(container, min_position, [alignment.projection.name])

        def read(cur: Cursor) -> AlignmentOut:
            visible_client(container, principal, cur, client)
            return typed(AlignmentOut, alignment.alignment(cur, client))

        return await tenant_read(container, principal, read)

    @get("/changes", summary="Decisions and net changes since a time")
    async def changes(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        client_id: FromPath[UUID],
        since: Instant = None,
        since_review: FromQuery[UUID | None] = None,
        until: Instant = None,
        min_position: MinPosition = None,
        limit: Limit = 50,
        cursor: PageCursor = None,
    ) -> ChangesOut:
        """Decisions are paged (`limit`, `cursor`, `next_cursor`); the net changes of the
        aggregates come with the first page (each from two loads of the aggregate, at the
        window's start and end, from their nearest snapshots)."""
        client = await in_thread(
            container.store.load, Client, _client(principal, client_id), principal
        )
        check_limit(limit)
        after = decode_cursor(cursor, int)
        if (since is None) == (since_review is None):
            raise Invalid("give either since or since_review", field="since")
        start_at, until_at = instant(since, "since"), instant(until, "until")
        after_position = None
        start = None if start_at is None else rfc3339(start_at)
        if since_review is not None:
            # The review is one resource: read it from the event store, always current.
            review = await in_thread(container.store.load, Review, since_review, principal)
            if review.client_id != client.id:
                raise NotFound("review not found")
            if review.completed_position is None:
                raise Conflict("the review is not completed yet")
            after_position, start = review.completed_position, review.completed_at
        await fresh(container, min_position, [audit.projection.name, assessments.projection.name])
        where = audit.AuditFilter(
            client_id=client.id,
            since=start_at,
            until=until_at,
            after_position=after_position,
            tenant_wide=principal.role in READ_LIBRARY,  # the library's decisions too
        )
        rows, touched, health = await tenant_read(
            container, principal, _changes, where, after, limit
        )
        decisions = page(rows, limit)
        nets = await in_thread(lambda: [_net(container, row) for row in touched])
        body = {
            "since": start,
            "since_review": None if since_review is None else str(since_review),
            "since_position": after_position,
            "until": None if until_at is None else rfc3339(until_at),
            "decisions": decisions["items"],
            "next_cursor": decisions["next_cursor"],
            "aggregates": [a for a in nets if a["changes"]],
            "health_score": health,
        }
        return typed(ChangesOut, body)


def _roadmap(
    cur: Cursor, calendar: dict[str, Any], first: FiscalQuarter | None, last: FiscalQuarter | None
) -> dict[str, Any]:
    if first is None:
        today = datetime.now(UTC).date()
        first = FiscalQuarter.containing(today, calendar["fiscal_year_start_month"])
    if last is None:
        last = first
        for _ in range(7):
            last = last.next()
    if last < first:
        raise Invalid("to is a quarter at or after from", field="to")
    if len(list(FiscalQuarter.range(first, last))) > MAX_QUARTERS:
        raise Invalid(f"a roadmap spans at most {MAX_QUARTERS} quarters", field="to")
    return roadmap.roadmap(cur, calendar, first, last)


def _changes(
    cur: Cursor, where: audit.AuditFilter, after: int | None, limit: int
) -> tuple[list[tuple[int, dict[str, Any]]], list[dict[str, Any]], dict[str, Any]]:
    """A page of the window's decisions; with the first page, the aggregates it touched and
    the health score's move across it."""
    assert where.client_id is not None
    health = assessments.health_score_move(
        cur,
        where.client_id,
        after_position=where.after_position,
        since=where.since,
        until=where.until,
    )
    rows = audit.decisions(cur, where, after=after, limit=limit + 1)
    return rows, audit.touched(cur, where) if after is None else [], health


def _net(c: Container, row: dict[str, Any]) -> dict[str, Any]:
    def view_at(version: int) -> dict[str, Any] | None:
        if version < 1:
            return None
        aggregate: Any = c.store.app.repository.get(row["aggregate_id"], version=version)
        return dict(aggregate.view())

    before, after = view_at(row["before"]), view_at(row["after"])
    assert after is not None
    if before is None:  # created in the window: every field is new
        changes = [
            {"path": f"/{key}", "before": None, "after": value}
            for key, value in after.items()
            if key not in IGNORED and key != "id"
        ]
    else:
        changes = diff(before, after)
    return {
        "aggregate_type": row["aggregate_type"],
        "aggregate_id": str(row["aggregate_id"]),
        "title": after.get("title") or after.get("name"),
        "changes": changes,
    }
