"""The strategies list: one row per strategy with its status and goal counts."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.strategy import Strategy
from infra.db import Cursor
from projections.base import Projection

projection = Projection()
projection.name = "strategies"
projection.tables = ("strategies_view",)
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


@projection.on(Strategy.GoalAdded)
def goal_added(cur: Cursor, e: Any, position: int) -> None:
    _touch(cur, e, "active_goals = active_goals + 1")


@projection.on(Strategy.GoalRetired)
def goal_retired(cur: Cursor, e: Any, position: int) -> None:
    _touch(cur, e, "active_goals = active_goals - 1, retired_goals = retired_goals + 1")


@projection.on(Strategy.PrincipleAdded)
def principle_added(cur: Cursor, e: Any, position: int) -> None:
    _touch(cur, e, "principles = principles + 1")


@projection.on(Strategy.GoalRetitled)
@projection.on(Strategy.GoalReprioritized)
def goal_changed(cur: Cursor, e: Any, position: int) -> None:
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


def list_strategies(
    cur: Cursor, client_id: UUID, *, after: int, limit: int
) -> list[tuple[int, dict[str, Any]]]:
    cur.execute(
        "SELECT * FROM strategies_view WHERE client_id = %s AND created_position > %s"
        " ORDER BY created_position LIMIT %s",
        (client_id, after, limit),
    )
    return [(r["created_position"], view(r)) for r in cur.fetchall()]
