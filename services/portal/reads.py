"""What the portal's pages show, read as the public API reads it: single resources and time
travel from the event store (with the key's tenant and client checks), everything across
objects from the projections' queries under the tenant's row-level security."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from domain.budget import Budget
from domain.calendar import FiscalQuarter, FiscalYear
from domain.client import Client
from domain.plan import TechnologyPlan
from domain.review import Review
from domain.strategy import Strategy
from projections import audit, budgets, plans, portfolio, reviews, roadmap
from services.api import common
from services.api.history import load_at
from services.api.readside import _net as net_change
from services.auth import READ
from services.errors import Invalid, NotFound, NotReady
from services.portal.web import Page

ROADMAP_QUARTERS = 8  # from the quarter containing today
PAST_QUARTERS = 4  # shown before it when they hold initiatives
RESCHEDULE_QUARTERS = 12  # the quarters a form offers, from the one containing today
LIST_LIMIT = 200  # a client's plans, budgets, reviews on one page
DECISIONS_SHOWN = 200  # since a review; the timeline pages through all of them


async def fresh(page: Page, position: int | None, *names: str) -> bool:
    """Read-your-writes after a form: wait (bounded, holding no thread) for the read models
    to reach the position the command answered. False when they are still behind: the page
    says so rather than failing."""
    try:
        await common.fresh(page.container, position, names)
    except NotReady:
        return False
    return True


def today(page: Page) -> date:
    return page.container.clock().astimezone(UTC).date()


# ---------------------------------------------------------------- portfolio


@dataclass(frozen=True)
class PortfolioPage:
    items: list[dict[str, Any]]
    next_cursor: list[Any] | None


def portfolio_page(page: Page, order: str, after: list[Any] | None, limit: int) -> PortfolioPage:
    principal = page.principal
    principal.require(*READ)
    if order not in portfolio.ORDERS:
        raise Invalid(f"sort is one of {', '.join(portfolio.ORDERS)}", field="sort")
    with page.container.db.tenant_tx(principal.tenant_id) as cur:
        keyed = portfolio.sorted_page(
            cur, client_ids=principal.client_ids, order=order, after=after, limit=limit + 1
        )
        ids = [client_id for _, client_id in keyed[:limit]]
        rows = portfolio.list_portfolio(
            cur,
            client_ids=frozenset(ids),
            after=0,
            limit=len(ids) + 1,
            today=today(page),
        )
    by_id = {item["client_id"]: item for _, item in rows}
    items = [by_id[str(i)] for i in ids if str(i) in by_id]
    more = len(keyed) > limit
    return PortfolioPage(items=items, next_cursor=keyed[limit - 1][0] if more else None)


# ---------------------------------------------------------------- one client


def client(page: Page, client_id: UUID) -> Client:
    page.principal.require(*READ)
    return page.container.store.load(Client, client_id, page.principal)


def client_overview(page: Page, c: Client, budget_id: UUID | None) -> dict[str, Any]:
    """The client page: strategy, roadmap by quarter, the budget by quarter, the reviews."""
    store, principal = page.container.store, page.principal
    strategy = (
        store.load(Strategy, c.active_strategy_id, principal).view()
        if c.active_strategy_id is not None
        else None
    )
    day = today(page)
    current = FiscalQuarter.containing(day, c.fiscal_year_start_month)
    first, last = current, current
    for _ in range(PAST_QUARTERS):  # what is overdue stays in sight
        first = first.previous()
    for _ in range(ROADMAP_QUARTERS - 1):
        last = last.next()
    calendar = {
        "id": c.id,
        "fiscal_year_start_month": c.fiscal_year_start_month,
        "currency": c.currency,
    }
    with page.container.db.tenant_tx(principal.tenant_id) as cur:
        road = roadmap.roadmap(cur, calendar, first, last)
        budget_list = [b for _, b in budgets.list_budgets(cur, c.id, after=0, limit=LIST_LIMIT)]
        plan_list = [p for _, p in plans.list_plans(cur, c.id, after=0, limit=LIST_LIMIT)]
        review_list = [r for _, r in reviews.list_reviews(cur, c.id, after=0, limit=LIST_LIMIT)]
    chosen = budget_id or _current_budget(c, day, budget_list)
    budget = store.load(Budget, chosen, principal).view() if chosen is not None else None
    if budget is not None and budget["client_id"] != str(c.id):
        raise NotFound("budget not found")
    goals = {g["id"]: g for g in (strategy or {}).get("goals", [])}
    return {
        "client": c.view(),
        "strategy": strategy,
        "goals": goals,
        "active_goal_ids": [
            g["id"]
            for g in goals.values()
            if g["status"] == "active" and strategy and strategy["status"] == "active"
        ],
        "roadmap": road,
        "budget": budget,
        "budgets": budget_list,
        "plans": plan_list,
        "reviews": review_list,
        "current_quarter": str(current),
        "quarters": _quarters_from(current, RESCHEDULE_QUARTERS),
    }


def _quarters_from(first: FiscalQuarter, count: int) -> list[str]:
    quarters = [first]
    while len(quarters) < count:
        quarters.append(quarters[-1].next())
    return [str(q) for q in quarters]


def client_lists(page: Page, c: Client) -> dict[str, list[dict[str, Any]]]:
    with page.container.db.tenant_tx(page.principal.tenant_id) as cur:
        return {
            "plans": [p for _, p in plans.list_plans(cur, c.id, after=0, limit=LIST_LIMIT)],
            "budgets": [b for _, b in budgets.list_budgets(cur, c.id, after=0, limit=LIST_LIMIT)],
        }


def _current_budget(c: Client, day: date, listed: list[dict[str, Any]]) -> UUID | None:
    """The budget of the fiscal year containing today, else the newest one."""
    year = FiscalYear.containing(day, c.fiscal_year_start_month).year
    if year in c.open_budgets:
        return c.open_budgets[year]
    for item in reversed(listed):
        if item["fiscal_year"] == year:
            return UUID(item["id"])
    return UUID(listed[-1]["id"]) if listed else None


# ---------------------------------------------------------------- timeline


KINDS = ("client", "strategy", "plan", "budget", "review")


@dataclass(frozen=True)
class TimelineFilter:
    kind: str | None = None
    actor: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive: the whole day


def timeline(
    page: Page, c: Client, where: TimelineFilter, before: int | None, limit: int
) -> tuple[list[dict[str, Any]], int | None, list[dict[str, Any]]]:
    """The client's decisions, newest first, with the actors who took any of them."""
    if where.kind is not None and where.kind not in KINDS:
        raise Invalid(f"kind is one of {', '.join(KINDS)}", field="kind")
    query = audit.AuditFilter(
        client_id=c.id,
        aggregate_type=where.kind,
        actor_id=where.actor,
        since=_start(where.since),
        until=_start(where.until + timedelta(days=1)) if where.until else None,
    )
    with page.container.db.tenant_tx(page.principal.tenant_id) as cur:
        rows = audit.search(cur, query, before=before, limit=limit + 1)
        actors = audit.actors(cur, c.id)
    items = [item for _, item in rows[:limit]]
    more = len(rows) > limit
    return items, (rows[limit - 1][0] if more else None), actors


def _start(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time.min, tzinfo=UTC)


def titles(page: Page, c: Client) -> dict[str, str]:
    """Names for the ids in change paths: the client's goals and initiatives."""
    with page.container.db.tenant_tx(page.principal.tenant_id) as cur:
        return {str(c.id): c.name, **portfolio.names(cur, c.id)}


# ---------------------------------------------------------------- time travel


TRAVEL_KINDS: dict[str, type[Any]] = {"plan": TechnologyPlan, "budget": Budget}


def as_it_stood(page: Page, c: Client, kind: str, aggregate_id: UUID, day: date) -> dict[str, Any]:
    """A plan or budget as it stood at the end of `day` (UTC), from the event store."""
    cls = TRAVEL_KINDS.get(kind)
    if cls is None:
        raise Invalid("kind is plan or budget", field="kind")
    moment = datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC) - timedelta(
        microseconds=1
    )
    aggregate = load_at(page.context(), cls, aggregate_id, None, moment)
    if aggregate.client_id != c.id:
        raise NotFound(f"{kind} not found")
    view: dict[str, Any] = aggregate.view()
    return view


# ---------------------------------------------------------------- since the last review


def completed_reviews(page: Page, c: Client) -> list[dict[str, Any]]:
    with page.container.db.tenant_tx(page.principal.tenant_id) as cur:
        listed = [r for _, r in reviews.list_reviews(cur, c.id, after=0, limit=LIST_LIMIT)]
    done = [r for r in listed if r["status"] == "completed"]
    return sorted(done, key=lambda r: r["completed_position"] or 0, reverse=True)


def since_review(page: Page, c: Client, review_id: UUID) -> dict[str, Any]:
    """Decisions after the review and the net change of each object, as GET /changes."""
    review = page.container.store.load(Review, review_id, page.principal)
    if review.client_id != c.id:
        raise NotFound("review not found")
    if review.completed_position is None:
        raise Invalid("the review is not completed yet", field="review")
    where = audit.AuditFilter(client_id=c.id, after_position=review.completed_position)
    with page.container.db.tenant_tx(page.principal.tenant_id) as cur:
        decisions = audit.decisions(cur, where, limit=DECISIONS_SHOWN + 1)
        touched = audit.touched(cur, where)
    nets = [net_change(page.container, row) for row in touched]
    return {
        "review": review.view(),
        "decisions": [item for _, item in decisions[:DECISIONS_SHOWN]],
        "more_decisions": len(decisions) > DECISIONS_SHOWN,
        "aggregates": [a for a in nets if a["changes"]],
    }
