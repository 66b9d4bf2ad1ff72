"""The baseline the HTTP bench compares Techplan with: a bare Litestar app on uvicorn, on the
same database, doing only what each request must do at the least:

- a list: in a thread, one checkout of a plain psycopg pool of the same size as ours, the
  tenant set for the transaction (row-level security stays on), the equivalent query (with
  the tenant named; the portfolio's own statement), the rows encoded as JSON;
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
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from litestar import Litestar, Response, get, post
from litestar.datastructures import State
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from domain.plan import TechnologyPlan
from domain.shared import Actor, Decision, Priority
from infra.eventstore import EventStore
from projections import portfolio
from services.settings import Settings

INITIATIVE = (
    "i.id, i.plan_id, i.title, i.category, i.goal_ids, i.target_quarter, i.one_time_cost,"
    " i.recurring_cost, i.priority, i.status"
)

# Each names the tenant as well (row-level security still applies): the policy's
# `tenant_id = <setting> OR <projector>` cannot be an index condition, so without it a list
# filters every tenant's rows (infra/db.py `rls`; the large store of `--scale` shows it).
LISTS: dict[str, str] = {
    "clients": "SELECT * FROM clients_view WHERE tenant_id = %(tenant)s AND created_position > 0"
    " ORDER BY created_position LIMIT %(limit)s",
    "plans": "SELECT p.*, (SELECT count(*) FROM plan_initiatives_view i"
    " WHERE i.plan_id = p.id) AS n FROM plans_view p WHERE p.tenant_id = %(tenant)s"
    " AND p.client_id = %(id)s ORDER BY p.created_position LIMIT %(limit)s",
    "budgets": "SELECT * FROM budgets_view WHERE tenant_id = %(tenant)s AND client_id = %(id)s"
    " ORDER BY created_position LIMIT %(limit)s",
    "audit": "SELECT position, client_id, aggregate_type, aggregate_id, version, type,"
    " occurred_at, actor, rationale, changes, correlation_id FROM audit_events"
    " WHERE tenant_id = %(tenant)s ORDER BY position DESC LIMIT %(limit)s",
    "roadmap": f"SELECT {INITIATIVE} FROM plan_initiatives_view i WHERE tenant_id = %(tenant)s"
    " AND client_id = %(id)s AND status <> 'cancelled' ORDER BY created_position",
    "alignment": f"SELECT {INITIATIVE}, (SELECT json_agg(g) FROM strategy_goals_view g"
    " JOIN strategies_view s ON s.id = g.strategy_id WHERE s.tenant_id = %(tenant)s"
    " AND s.client_id = %(id)s AND s.status = 'active' AND g.status = 'active') AS goals"
    " FROM plan_initiatives_view i WHERE i.tenant_id = %(tenant)s AND client_id = %(id)s"
    " AND status <> 'cancelled' ORDER BY created_position",
    "portfolio": portfolio.PAGE,  # the portfolio's own statement
    # A subscription's deliveries, newest first, each with its attempts, in one statement.
    "deliveries": "SELECT d.id, d.event_id, d.event_type, d.position, d.status,"
    " d.next_attempt_at, d.replay_of, d.created_at, (SELECT coalesce(json_agg(json_build_object("
    "'at', a.at, 'status_code', a.status_code, 'error', a.error, 'duration_ms', a.duration_ms)"
    " ORDER BY a.n), '[]') FROM webhook_attempts a WHERE a.delivery_id = d.id) AS attempts"
    " FROM webhook_deliveries d WHERE d.tenant_id = %(tenant)s AND d.subscription_id = %(id)s"
    " ORDER BY d.seq DESC LIMIT %(limit)s",
}


def create() -> Litestar:
    url = os.environ["DATABASE_URL"]
    tenant = os.environ["TECHPLAN_BENCH_TENANT"]
    settings = Settings.from_env()
    pool: ConnectionPool[Any] = ConnectionPool(
        url,
        min_size=settings.db_pool_size,
        max_size=settings.db_pool_size + settings.db_pool_max_overflow,
        kwargs={"row_factory": dict_row, "options": "-c timezone=UTC"},
        open=False,
    )
    env = settings.eventsourcing_env()
    env.pop("AGGREGATE_CACHE_MAXSIZE", None)  # the library's plain repository.get
    store = EventStore(env, settings.snapshot_interval)
    actor = Actor("k-bench", "Bench", "editor")

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        pool.open(wait=True)
        try:
            yield
        finally:
            pool.close()
            store.close()

    @get("/list/{name:str}", sync_to_thread=True)
    def list_rows(name: str, id: str | None = None, limit: int = 50) -> Response[Any]:
        params: dict[str, Any] = {
            "id": id,
            "tenant": tenant,
            "limit": limit + 1,
            "after": 0,
            "ids": None,
        }
        if name == "portfolio":
            params.update(portfolio.calendar(datetime.now(UTC).date()))
        with pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute("SELECT set_config('techplan.tenant_id', %s, true)", (tenant,))
            cur.execute(LISTS[name], params)
            rows = cur.fetchall()
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
