"""The strategies list: one row per strategy with its status and goal counts, and one row per
goal (its current fields), which the alignment and the portfolio query."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.strategy import Strategy
from infra.db import OWN_TENANT, Cursor
from projections.base import Projection

projection = Projection()
projection.name = "strategies"
projection.tables = ("strategies_view", "strategy_goals_view")
projection.version = 2  # 2: strategy_goals_view
projection.ddl = (
    """CREATE TABLE IF NOT EXISTS strategies_view (
        tenant_id uuid NOT NULL,
        client_id uuid NOT NULL,
        id uuid PRIMARY KEY,
        title text NOT NULL,
        vision text,
        status text NOT NULL,
        active_goals int NOT NULL DEFAULT 0,
        retired_goals int NOT NULL DEFAULT 0,
        principles int NOT NULL DEFAULT 0,
        version int NOT NULL,
        created_position bigint NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS strategies_view_client"
    " ON strategies_view (tenant_id, client_id, created_position)",
    "CREATE INDEX IF NOT EXISTS strategies_view_status ON strategies_view (client_id, status)",
    """CREATE TABLE IF NOT EXISTS strategy_goals_view (
        tenant_id uuid NOT NULL,
        client_id uuid NOT NULL,
        strategy_id uuid NOT NULL,
        id uuid PRIMARY KEY,
        title text NOT NULL,
        description text,
        priority text NOT NULL,
        status text NOT NULL,
        created_position bigint NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS strategy_goals_view_strategy"
    " ON strategy_goals_view (strategy_id, created_position)",
)


strategies_view = projection.buffered("strategies_view")
goals_view = projection.buffered("strategy_goals_view")


def _touch(e: Any, **values: Any) -> None:
    strategies_view.set(
        e.originator_id, **values, version=e.originator_version, updated_at=e.timestamp
    )


@projection.on(Strategy.Created)
def created(cur: Cursor, e: Strategy.Created, position: int) -> None:
    strategies_view.insert(
        {
            "tenant_id": e.tenant_id,
            "client_id": e.client_id,
            "id": e.originator_id,
            "title": e.title,
            "vision": e.vision,
            "status": "draft",
            "active_goals": 0,
            "retired_goals": 0,
            "principles": 0,
            "version": e.originator_version,
            "created_position": position,
            "created_at": e.timestamp,
            "updated_at": e.timestamp,
        }
    )


@projection.on(Strategy.GoalAdded)
def goal_added(cur: Cursor, e: Strategy.GoalAdded, position: int) -> None:
    goals_view.insert(
        {
            "tenant_id": e.tenant_id,
            "client_id": e.client_id,
            "strategy_id": e.originator_id,
            "id": e.goal_id,
            "title": e.title,
            "description": e.description,
            "priority": e.priority,
            "status": "active",
            "created_position": position,
        }
    )
    strategies_view.add(e.originator_id, active_goals=1)
    _touch(e)


@projection.on(Strategy.GoalRetired)
def goal_retired(cur: Cursor, e: Strategy.GoalRetired, position: int) -> None:
    goals_view.set(e.goal_id, status="retired")
    strategies_view.add(e.originator_id, active_goals=-1, retired_goals=1)
    _touch(e)


@projection.on(Strategy.PrincipleAdded)
def principle_added(cur: Cursor, e: Any, position: int) -> None:
    strategies_view.add(e.originator_id, principles=1)
    _touch(e)


@projection.on(Strategy.GoalRetitled)
def goal_retitled(cur: Cursor, e: Strategy.GoalRetitled, position: int) -> None:
    goals_view.set(e.goal_id, title=e.title, description=e.description)
    _touch(e)


@projection.on(Strategy.GoalReprioritized)
def goal_reprioritized(cur: Cursor, e: Strategy.GoalReprioritized, position: int) -> None:
    goals_view.set(e.goal_id, priority=e.priority)
    _touch(e)


@projection.on(Strategy.Adopted)
def adopted(cur: Cursor, e: Any, position: int) -> None:
    _touch(e, status="active")


@projection.on(Strategy.Superseded)
def superseded(cur: Cursor, e: Any, position: int) -> None:
    _touch(e, status="superseded")


@projection.on(Strategy.Archived)
def archived(cur: Cursor, e: Any, position: int) -> None:
    _touch(e, status="archived")


# ---------------------------------------------------------------- queries


def view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "client_id": str(row["client_id"]),
        "title": row["title"],
        "vision": row["vision"],
        "status": row["status"],
        "goal_counts": {"active": row["active_goals"], "retired": row["retired_goals"]},
        "principle_count": row["principles"],
        "version": row["version"],
    }


def goal_view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "strategy_id": str(row["strategy_id"]),
        "title": row["title"],
        "description": row["description"],
        "priority": row["priority"],
        "status": row["status"],
    }


def list_strategies(
    cur: Cursor, client_id: UUID, *, after: int, limit: int
) -> list[tuple[int, dict[str, Any]]]:
    cur.execute(
        f"SELECT * FROM strategies_view WHERE {OWN_TENANT} AND client_id = %s"
        " AND created_position > %s"
        " ORDER BY created_position LIMIT %s",
        (client_id, after, limit),
    )
    return [(r["created_position"], view(r)) for r in cur.fetchall()]


def active_strategy(cur: Cursor, client_id: UUID) -> dict[str, Any] | None:
    """The client's active strategy (the newest, should there ever be two)."""
    cur.execute(
        "SELECT id, title FROM strategies_view WHERE client_id = %s AND status = 'active'"
        " ORDER BY created_position DESC LIMIT 1",
        (client_id,),
    )
    return cur.fetchone()


def active_goals(cur: Cursor, strategy_id: UUID) -> list[dict[str, Any]]:
    cur.execute(
        "SELECT * FROM strategy_goals_view WHERE strategy_id = %s AND status = 'active'"
        " ORDER BY created_position",
        (strategy_id,),
    )
    return [goal_view(g) for g in cur.fetchall()]
