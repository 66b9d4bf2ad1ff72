"""The strategies list: one row per strategy with its status and goal counts, and one row per
goal (its current fields), which the alignment and the portfolio query."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.strategy import Strategy
from infra.db import Cursor
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


def _touch(cur: Cursor, e: Any, sets: str = "", **values: Any) -> None:
    prefix = f"{sets}, " if sets else ""
    cur.execute(
        f"UPDATE strategies_view SET {prefix}version = %(v)s, updated_at = %(at)s"
        " WHERE id = %(id)s",
        {**values, "v": e.originator_version, "at": e.timestamp, "id": e.originator_id},
    )


@projection.on(Strategy.Created)
def created(cur: Cursor, e: Strategy.Created, position: int) -> None:
    cur.execute(
        "INSERT INTO strategies_view (tenant_id, client_id, id, title, vision, status, version,"
        " created_position, created_at, updated_at)"
        " VALUES (%s, %s, %s, %s, %s, 'draft', %s, %s, %s, %s)",
        (
            e.tenant_id,
            e.client_id,
            e.originator_id,
            e.title,
            e.vision,
            e.originator_version,
            position,
            e.timestamp,
            e.timestamp,
        ),
    )


def _goal(cur: Cursor, e: Any, **values: Any) -> None:
    sets = ", ".join(f"{k} = %({k})s" for k in values)
    cur.execute(
        f"UPDATE strategy_goals_view SET {sets} WHERE id = %(gid)s", {**values, "gid": e.goal_id}
    )


@projection.on(Strategy.GoalAdded)
def goal_added(cur: Cursor, e: Strategy.GoalAdded, position: int) -> None:
    cur.execute(
        "INSERT INTO strategy_goals_view (tenant_id, client_id, strategy_id, id, title,"
        " description, priority, status, created_position)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, 'active', %s)",
        (
            e.tenant_id,
            e.client_id,
            e.originator_id,
            e.goal_id,
            e.title,
            e.description,
            e.priority,
            position,
        ),
    )
    _touch(cur, e, "active_goals = active_goals + 1")


@projection.on(Strategy.GoalRetired)
def goal_retired(cur: Cursor, e: Strategy.GoalRetired, position: int) -> None:
    _goal(cur, e, status="retired")
    _touch(cur, e, "active_goals = active_goals - 1, retired_goals = retired_goals + 1")


@projection.on(Strategy.PrincipleAdded)
def principle_added(cur: Cursor, e: Any, position: int) -> None:
    _touch(cur, e, "principles = principles + 1")


@projection.on(Strategy.GoalRetitled)
def goal_retitled(cur: Cursor, e: Strategy.GoalRetitled, position: int) -> None:
    _goal(cur, e, title=e.title, description=e.description)
    _touch(cur, e)


@projection.on(Strategy.GoalReprioritized)
def goal_reprioritized(cur: Cursor, e: Strategy.GoalReprioritized, position: int) -> None:
    _goal(cur, e, priority=e.priority)
    _touch(cur, e)


@projection.on(Strategy.Adopted)
def adopted(cur: Cursor, e: Any, position: int) -> None:
    _touch(cur, e, "status = 'active'")


@projection.on(Strategy.Superseded)
def superseded(cur: Cursor, e: Any, position: int) -> None:
    _touch(cur, e, "status = 'superseded'")


@projection.on(Strategy.Archived)
def archived(cur: Cursor, e: Any, position: int) -> None:
    _touch(cur, e, "status = 'archived'")


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
        "SELECT * FROM strategies_view WHERE client_id = %s AND created_position > %s"
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
