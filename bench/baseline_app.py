"""The baseline the HTTP bench compares Techplan with: a bare Litestar app on uvicorn, on the
same database, doing only what each request must do at the least:

- a list: one async psycopg pool checkout, the tenant set for the transaction (row-level
  security stays on), the equivalent query, the rows encoded as JSON;
- a single resource: eventsourcing's `repository.get` in a thread, the aggregate's view;
- a command: `repository.get`, one decision, `save`, in a thread (load-decide-save).

No authentication, no idempotency, no validation beyond the path: what is left is the
stack's own cost. Run by `python -m bench` as
`uvicorn bench.baseline_app:create --factory` with DATABASE_URL and TECHPLAN_BENCH_TENANT.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

from litestar import Litestar, Response, get, post
from litestar.datastructures import State
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from domain.calendar import FiscalQuarter, FiscalYear
from domain.plan import TechnologyPlan
from domain.shared import Actor, Decision, Priority
from infra.eventstore import EventStore
from services.settings import Settings

INITIATIVE = (
    "i.id, i.plan_id, i.title, i.category, i.goal_ids, i.target_quarter, i.one_time_cost,"
    " i.recurring_cost, i.priority, i.status"
)

# The portfolio page in one statement: clients, and per client its active strategy,
# initiative counts by status, unaligned count, current budget and next quarter's initiatives.
PORTFOLIO = """
WITH page AS (
    SELECT id, name, fiscal_year_start_month, created_position FROM clients_view
    WHERE created_position > %(after)s ORDER BY created_position LIMIT %(limit)s)
SELECT c.id, c.name, c.created_position,
    (SELECT json_build_object('id', s.id, 'title', s.title) FROM strategies_view s
     WHERE s.client_id = c.id AND s.status = 'active'
     ORDER BY s.created_position DESC LIMIT 1) AS active_strategy,
    (SELECT json_object_agg(x.status, x.n) FROM (SELECT status, count(*) AS n
     FROM plan_initiatives_view i WHERE i.client_id = c.id GROUP BY status) x) AS counts,
    (SELECT count(*) FROM plan_initiatives_view i
     WHERE i.client_id = c.id AND i.status <> 'cancelled'
       AND NOT i.goal_ids && goals.ids) AS unaligned,
    (SELECT json_build_object('id', b.id, 'fiscal_year', b.fiscal_year, 'status', b.status,
       'planned', b.planned_minor, 'actual', b.actual_minor, 'currency', b.currency)
     FROM budgets_view b WHERE b.client_id = c.id
       AND b.fiscal_year = (%(years)s::int[])[c.fiscal_year_start_month]
     ORDER BY b.status = 'closed', b.created_position DESC LIMIT 1) AS budget,
    (SELECT json_agg(json_build_object('id', i.id, 'plan_id', i.plan_id, 'title', i.title,
       'category', i.category, 'goal_ids', i.goal_ids, 'target_quarter', i.target_quarter,
       'one_time_cost', i.one_time_cost, 'recurring_cost', i.recurring_cost,
       'priority', i.priority, 'status', i.status) ORDER BY i.created_position)
     FROM plan_initiatives_view i WHERE i.client_id = c.id AND i.status <> 'cancelled'
       AND i.target_quarter = (%(quarters)s::text[])[c.fiscal_year_start_month])
     AS upcoming
FROM page c CROSS JOIN LATERAL (
    SELECT coalesce(array_agg(g.id), '{}') AS ids FROM strategies_view s
    JOIN strategy_goals_view g ON g.strategy_id = s.id AND g.status = 'active'
    WHERE s.client_id = c.id AND s.status = 'active') goals
ORDER BY c.created_position
"""

LISTS: dict[str, str] = {
    "clients": "SELECT * FROM clients_view WHERE created_position > 0"
    " ORDER BY created_position LIMIT %(limit)s",
    "plans": "SELECT p.*, (SELECT count(*) FROM plan_initiatives_view i"
    " WHERE i.plan_id = p.id) AS n FROM plans_view p WHERE p.client_id = %(id)s"
    " ORDER BY p.created_position LIMIT %(limit)s",
    "budgets": "SELECT * FROM budgets_view WHERE client_id = %(id)s"
    " ORDER BY created_position LIMIT %(limit)s",
    "audit": "SELECT position, client_id, aggregate_type, aggregate_id, version, type,"
    " occurred_at, actor, rationale, changes, correlation_id FROM audit_events"
    " ORDER BY position DESC LIMIT %(limit)s",
    "roadmap": f"SELECT {INITIATIVE} FROM plan_initiatives_view i WHERE client_id = %(id)s"
    " AND status <> 'cancelled' ORDER BY created_position",
    "alignment": f"SELECT {INITIATIVE}, (SELECT json_agg(g) FROM strategy_goals_view g"
    " JOIN strategies_view s ON s.id = g.strategy_id WHERE s.client_id = %(id)s"
    " AND s.status = 'active' AND g.status = 'active') AS goals"
    " FROM plan_initiatives_view i WHERE client_id = %(id)s AND status <> 'cancelled'"
    " ORDER BY created_position",
    "portfolio": PORTFOLIO,
}


def calendar_params(today: date) -> dict[str, list[Any]]:
    """The fiscal year and next quarter containing `today`, per fiscal year start month."""
    months = range(1, 13)
    return {
        "years": [FiscalYear.containing(today, m).year for m in months],
        "quarters": [str(FiscalQuarter.containing(today, m).next()) for m in months],
    }


def create() -> Litestar:
    url = os.environ["DATABASE_URL"]
    tenant = os.environ["TECHPLAN_BENCH_TENANT"]
    settings = Settings.from_env()
    pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
        url,
        min_size=settings.db_pool_size,
        max_size=settings.db_pool_size + settings.db_pool_max_overflow,
        kwargs={"row_factory": dict_row, "options": "-c timezone=UTC"},
        open=False,
    )
    store = EventStore(settings.eventsourcing_env(), settings.snapshot_interval)
    actor = Actor("k-bench", "Bench", "editor")

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await pool.open(wait=True)
        try:
            yield
        finally:
            await pool.close()
            store.close()

    @get("/list/{name:str}")
    async def list_rows(name: str, id: str | None = None, limit: int = 50) -> Response[Any]:
        params: dict[str, Any] = {"id": id, "limit": limit + 1, "after": 0}
        if name == "portfolio":
            params.update(calendar_params(datetime.now(UTC).date()))
        async with pool.connection() as conn, conn.transaction():
            cur = conn.cursor()
            await cur.execute("SELECT set_config('techplan.tenant_id', %s, true)", (tenant,))
            await cur.execute(LISTS[name], params)
            rows = await cur.fetchall()
        return Response({"items": rows[:limit], "next_cursor": None})

    @get("/plans/{plan_id:uuid}", sync_to_thread=True)
    def get_plan(plan_id: UUID) -> dict[str, Any]:
        plan: TechnologyPlan = store.repository.get(plan_id)
        return plan.view()

    @post("/plans/{plan_id:uuid}/initiatives", sync_to_thread=True, status_code=201)
    def propose(plan_id: UUID, data: dict[str, Any]) -> dict[str, Any]:
        plan: TechnologyPlan = store.repository.get(plan_id)
        plan.propose_initiative(
            initiative_id=uuid4(),
            title=str(data["title"]),
            category=str(data["category"]),
            goal_ids=[],
            target_quarter=None,
            one_time_cost=None,
            recurring_cost=None,
            priority=Priority(data["priority"]),
            currency="EUR",
            by=Decision(actor, datetime.now(UTC), uuid4().hex, data.get("rationale")),
        )
        store.save(plan)
        return plan.view()

    return Litestar(
        route_handlers=[list_rows, get_plan, propose],
        lifespan=[lifespan],
        state=State({}),
    )
