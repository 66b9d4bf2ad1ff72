"""The portal's pages (GET): portfolio, client, decision timeline, time travel, since the last
review, webhooks."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from services.api.common import decode_cursor, encode_cursor, in_thread
from services.auth import ADMIN, DECIDE_BUDGET, DECIDE_INITIATIVE, EDIT
from services.errors import Invalid
from services.portal import reads
from services.portal.charts import budget_by_quarter
from services.portal.web import NO_FORM, Form, Page, uuid_or_404
from services.webhooks import subscriptions as webhooks

PAGE_SIZES = (25, 50, 100)


def _day(raw: str | None, name: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Invalid(f"{name} is a date like 2027-03-01", field=name) from None


def _size(raw: int) -> int:
    if raw not in PAGE_SIZES:
        raise Invalid(f"per page is one of {', '.join(map(str, PAGE_SIZES))}", field="size")
    return raw


@get("/", name="portal:portfolio")
async def portfolio_page(
    page: NamedDependency[Page],
    sort: FromQuery[str] = "name",
    size: FromQuery[int] = 25,
    cursor: FromQuery[str | None] = None,
    fresh: FromQuery[int | None] = None,
) -> Response[str]:
    current = await reads.fresh(page, fresh, "portfolio")
    return await in_thread(_portfolio, page, sort, size, cursor, current)


def _portfolio(
    page: Page, sort: str, size: int, cursor: str | None, current: bool
) -> Response[str]:
    result = reads.portfolio_page(page, sort, decode_cursor(cursor, list), _size(size))
    return page.render(
        "portfolio.html",
        items=result.items,
        sort=sort,
        size=size,
        cursor=cursor,
        next_cursor=encode_cursor(result.next_cursor) if result.next_cursor else None,
        show_health=any("health_score" in item for item in result.items),
        current=current,
    )


def client_page(
    page: Page,
    client_id: str,
    *,
    budget: str | None = None,
    form: Form = NO_FORM,
    current: bool = True,
) -> Response[str]:
    """The client page, also re-rendered by an action whose form was refused."""
    c = reads.client(page, uuid_or_404(client_id, "client"))
    overview = reads.client_overview(page, c, uuid_or_404(budget, "budget") if budget else None)
    chart = budget_by_quarter(overview["budget"]) if overview["budget"] else None
    return page.render(
        "client.html",
        status=form.status,
        form=form,
        chart=chart,
        current=current,
        may_edit=page.can(*EDIT),
        may_decide_initiative=page.can(*DECIDE_INITIATIVE),
        may_decide_budget=page.can(*DECIDE_BUDGET),
        categories=CATEGORIES,
        **overview,
    )


CATEGORIES = (
    "hardware",
    "software",
    "security",
    "backup_dr",
    "network",
    "cloud",
    "compliance",
    "training",
    "other",
)


@get("/clients/{client_id:str}", name="portal:client")
async def client_view(
    page: NamedDependency[Page],
    client_id: FromPath[str],
    budget: FromQuery[str | None] = None,
    fresh: FromQuery[int | None] = None,
) -> Response[str]:
    current = await reads.fresh(page, fresh, "roadmap", "budgets", "reviews", "plans")
    return await in_thread(client_page, page, client_id, budget=budget, current=current)


@get("/clients/{client_id:str}/timeline", name="portal:timeline")
async def timeline_page(
    page: NamedDependency[Page],
    client_id: FromPath[str],
    kind: FromQuery[str | None] = None,
    actor: FromQuery[str | None] = None,
    since: FromQuery[str | None] = None,
    until: FromQuery[str | None] = None,
    cursor: FromQuery[str | None] = None,
    fresh: FromQuery[int | None] = None,
) -> Response[str]:
    current = await reads.fresh(page, fresh, "audit", "plans", "strategies")
    where = reads.TimelineFilter(
        kind=kind or None,
        actor=actor or None,
        since=_day(since, "since"),
        until=_day(until, "until"),
    )
    return await in_thread(_timeline, page, client_id, where, cursor, current)


def _timeline(
    page: Page,
    client_id: str,
    where: reads.TimelineFilter,
    cursor: str | None,
    current: bool,
) -> Response[str]:
    c = reads.client(page, uuid_or_404(client_id, "client"))
    items, next_before, actors = reads.timeline(
        page, c, where, decode_cursor(cursor, int), limit=25
    )
    return page.render(
        "timeline.html",
        client=c.view(),
        items=items,
        actors=actors,
        kinds=reads.KINDS,
        filters={
            "kind": where.kind or "",
            "actor": where.actor or "",
            "since": where.since.isoformat() if where.since else "",
            "until": where.until.isoformat() if where.until else "",
        },
        next_cursor=encode_cursor(next_before) if next_before is not None else None,
        names=reads.titles(page, c),
        current=current,
    )


@get("/clients/{client_id:str}/time-travel", sync_to_thread=True, name="portal:time-travel")
def time_travel_page(
    page: NamedDependency[Page],
    client_id: FromPath[str],
    what: FromQuery[str | None] = None,
    on: FromQuery[str | None] = None,
) -> Response[str]:
    c = reads.client(page, uuid_or_404(client_id, "client"))
    overview_lists = reads.client_lists(page, c)
    result = None
    day = _day(on, "on")
    kind, _, raw_id = (what or "").partition(":")
    if what and day is not None:
        result = reads.as_it_stood(page, c, kind, uuid_or_404(raw_id, kind or "plan"), day)
    return page.render(
        "time_travel.html",
        client=c.view(),
        plans=overview_lists["plans"],
        budgets=overview_lists["budgets"],
        what=what or "",
        on=on or reads.today(page).isoformat(),
        kind=kind,
        result=result,
        chart=budget_by_quarter(result) if result is not None and kind == "budget" else None,
        names=reads.titles(page, c),
    )


@get("/clients/{client_id:str}/since-review", name="portal:since-review")
async def since_review_page(
    page: NamedDependency[Page],
    client_id: FromPath[str],
    review: FromQuery[str | None] = None,
    fresh: FromQuery[int | None] = None,
) -> Response[str]:
    current = await reads.fresh(page, fresh, "reviews", "audit")
    return await in_thread(_since_review, page, client_id, review, current)


def _since_review(page: Page, client_id: str, review: str | None, current: bool) -> Response[str]:
    c = reads.client(page, uuid_or_404(client_id, "client"))
    completed = reads.completed_reviews(page, c)
    chosen = review or (completed[0]["id"] if completed else None)
    changes = reads.since_review(page, c, uuid_or_404(chosen, "review")) if chosen else None
    return page.render(
        "since_review.html",
        client=c.view(),
        completed=completed,
        chosen=chosen,
        changes=changes,
        names=reads.titles(page, c),
        current=current,
    )


@get("/webhooks", sync_to_thread=True, name="portal:webhooks")
def webhooks_page(
    page: NamedDependency[Page],
    retried: FromQuery[str | None] = None,
) -> Response[str]:
    page.principal.require(*ADMIN)
    with page.container.db.tenant_tx(page.principal.tenant_id) as cur:
        subscriptions = [s for _, s in webhooks.list_subscriptions(cur, after=0, limit=51)]
        recent: dict[str, list[dict[str, Any]]] = {}
        for s in subscriptions[:50]:
            rows = webhooks.list_deliveries(cur, _uuid(s["id"]), status=None, before=None, limit=10)
            recent[s["id"]] = [d for _, d in rows]
    return page.render(
        "webhooks.html",
        subscriptions=subscriptions[:50],
        more=len(subscriptions) > 50,
        recent=recent,
        retried=retried,
    )


def _uuid(raw: str) -> Any:
    return uuid_or_404(raw, "webhook")
