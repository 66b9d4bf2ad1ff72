"""The plans list: one row per plan, and one row per initiative (its current fields), from
which the list counts initiatives by status and the roadmap, the alignment and the portfolio
read a client's initiatives."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg.types.json import Jsonb

from domain.plan import InitiativeStatus, TechnologyPlan
from infra.db import OWN_TENANT, Cursor
from projections.base import Projection

P = TechnologyPlan
projection = Projection()
projection.name = "plans"
projection.tables = ("plans_view", "plan_initiatives_view")
projection.version = 2  # 2: initiatives' description and source
projection.ddl = (
    """CREATE TABLE IF NOT EXISTS plans_view (
        tenant_id uuid NOT NULL,
        client_id uuid NOT NULL,
        id uuid PRIMARY KEY,
        strategy_id uuid NOT NULL,
        title text NOT NULL,
        version int NOT NULL,
        created_position bigint NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS plans_view_client"
    " ON plans_view (tenant_id, client_id, created_position)",
    """CREATE TABLE IF NOT EXISTS plan_initiatives_view (
        tenant_id uuid NOT NULL,
        client_id uuid NOT NULL,
        plan_id uuid NOT NULL,
        id uuid PRIMARY KEY,
        title text NOT NULL,
        description text,
        category text NOT NULL,
        goal_ids uuid[] NOT NULL,
        target_quarter text,
        one_time_cost jsonb,
        recurring_cost jsonb,
        priority text NOT NULL,
        status text NOT NULL,
        source jsonb,
        created_position bigint NOT NULL,
        updated_at timestamptz NOT NULL)""",
    # Tables made before version 2 (migrate then rebuilds the projection).
    "ALTER TABLE plan_initiatives_view ADD COLUMN IF NOT EXISTS description text",
    "ALTER TABLE plan_initiatives_view ADD COLUMN IF NOT EXISTS source jsonb",
    "CREATE INDEX IF NOT EXISTS plan_initiatives_view_plan"
    " ON plan_initiatives_view (plan_id, created_position)",
    "CREATE INDEX IF NOT EXISTS plan_initiatives_view_client"
    " ON plan_initiatives_view (tenant_id, client_id, status)",
    "CREATE INDEX IF NOT EXISTS plan_initiatives_view_order"
    " ON plan_initiatives_view (client_id, created_position)",
    "CREATE INDEX IF NOT EXISTS plan_initiatives_view_quarter"
    " ON plan_initiatives_view (client_id, target_quarter)",
)


plans_view = projection.buffered("plans_view")
initiatives_view = projection.buffered("plan_initiatives_view")


def _touch(e: Any) -> None:
    plans_view.set(e.originator_id, version=e.originator_version, updated_at=e.timestamp)


def _initiative(cur: Cursor, e: Any, **values: Any) -> None:
    initiatives_view.set(e.initiative_id, **values, updated_at=e.timestamp)
    _touch(e)


def _json(value: dict[str, Any] | None) -> Jsonb | None:
    return None if value is None else Jsonb(value)


@projection.on(P.Created)
def created(cur: Cursor, e: P.Created, position: int) -> None:
    plans_view.insert(
        {
            "tenant_id": e.tenant_id,
            "client_id": e.client_id,
            "id": e.originator_id,
            "strategy_id": e.strategy_id,
            "title": e.title,
            "version": e.originator_version,
            "created_position": position,
            "created_at": e.timestamp,
            "updated_at": e.timestamp,
        }
    )


@projection.on(P.InitiativeProposed)
def proposed(cur: Cursor, e: P.InitiativeProposed, position: int) -> None:
    initiatives_view.insert(
        {
            "tenant_id": e.tenant_id,
            "client_id": e.client_id,
            "plan_id": e.originator_id,
            "id": e.initiative_id,
            "title": e.title,
            "description": e.description,
            "category": e.category,
            "goal_ids": [UUID(g) for g in e.goal_ids],
            "target_quarter": e.target_quarter,
            "one_time_cost": _json(e.one_time_cost),
            "recurring_cost": _json(e.recurring_cost),
            "priority": e.priority,
            "status": InitiativeStatus.PROPOSED.value,
            "source": _json(e.source),
            "created_position": position,
            "updated_at": e.timestamp,
        }
    )
    _touch(e)


@projection.on(P.InitiativeRetitled)
def retitled(cur: Cursor, e: P.InitiativeRetitled, position: int) -> None:
    _initiative(cur, e, title=e.title)


@projection.on(P.InitiativeRecategorized)
def recategorized(cur: Cursor, e: P.InitiativeRecategorized, position: int) -> None:
    _initiative(cur, e, category=e.category)


@projection.on(P.InitiativeRealigned)
def realigned(cur: Cursor, e: P.InitiativeRealigned, position: int) -> None:
    _initiative(cur, e, goal_ids=[UUID(g) for g in e.goal_ids])


@projection.on(P.InitiativeRescheduled)
def rescheduled(cur: Cursor, e: P.InitiativeRescheduled, position: int) -> None:
    _initiative(cur, e, target_quarter=e.target_quarter)


@projection.on(P.InitiativeReestimated)
def reestimated(cur: Cursor, e: P.InitiativeReestimated, position: int) -> None:
    _initiative(
        cur, e, one_time_cost=_json(e.one_time_cost), recurring_cost=_json(e.recurring_cost)
    )


@projection.on(P.InitiativeReprioritized)
def reprioritized(cur: Cursor, e: P.InitiativeReprioritized, position: int) -> None:
    _initiative(cur, e, priority=e.priority)


@projection.on(P.InitiativeDescribed)
def described(cur: Cursor, e: P.InitiativeDescribed, position: int) -> None:
    _initiative(cur, e, description=e.description)


@projection.on(P.InitiativeApproved)
def approved(cur: Cursor, e: Any, position: int) -> None:
    _initiative(cur, e, status=InitiativeStatus.APPROVED.value)


@projection.on(P.InitiativeStarted)
def started(cur: Cursor, e: Any, position: int) -> None:
    _initiative(cur, e, status=InitiativeStatus.IN_PROGRESS.value)


@projection.on(P.InitiativeCompleted)
def completed(cur: Cursor, e: Any, position: int) -> None:
    _initiative(cur, e, status=InitiativeStatus.DONE.value)


@projection.on(P.InitiativeDeferred)
def deferred(cur: Cursor, e: P.InitiativeDeferred, position: int) -> None:
    _initiative(cur, e, status=InitiativeStatus.PROPOSED.value, target_quarter=e.target_quarter)


@projection.on(P.InitiativeCancelled)
def cancelled(cur: Cursor, e: Any, position: int) -> None:
    _initiative(cur, e, status=InitiativeStatus.CANCELLED.value)


# ---------------------------------------------------------------- queries

_COUNTS = ", ".join(
    f"count(*) FILTER (WHERE status = '{s.value}') AS {s.value}" for s in InitiativeStatus
)


def view(row: dict[str, Any]) -> dict[str, Any]:
    by_status = {s.value: row[s.value] for s in InitiativeStatus}
    return {
        "id": str(row["id"]),
        "client_id": str(row["client_id"]),
        "strategy_id": str(row["strategy_id"]),
        "title": row["title"],
        "initiative_count": sum(by_status.values()),
        "initiatives_by_status": by_status,
        "version": row["version"],
    }


def initiative_view(row: dict[str, Any]) -> dict[str, Any]:
    """An initiative as the roadmap, alignment and portfolio show it, with its plan."""
    return {
        "id": str(row["id"]),
        "plan_id": str(row["plan_id"]),
        "title": row["title"],
        "description": row["description"],
        "category": row["category"],
        "goal_ids": [str(g) for g in row["goal_ids"]],
        "target_quarter": row["target_quarter"],
        "one_time_cost": row["one_time_cost"],
        "recurring_cost": row["recurring_cost"],
        "priority": row["priority"],
        "status": row["status"],
        "source": row["source"],
    }


def list_plans(
    cur: Cursor, client_id: UUID, *, after: int, limit: int
) -> list[tuple[int, dict[str, Any]]]:
    cur.execute(
        f"SELECT p.*, c.* FROM plans_view p"
        f" CROSS JOIN LATERAL (SELECT {_COUNTS} FROM plan_initiatives_view i"
        f" WHERE i.plan_id = p.id) c"
        f" WHERE p.{OWN_TENANT} AND p.client_id = %s AND p.created_position > %s"
        f" ORDER BY p.created_position LIMIT %s",
        (client_id, after, limit),
    )
    return [(r["created_position"], view(r)) for r in cur.fetchall()]
