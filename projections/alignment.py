"""Alignment: which initiatives serve which goals of the client's active strategy, which serve
none (a plan that follows no strategy is a checklist), and which goals nothing serves."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from infra.db import Cursor
from projections import shared
from projections.base import Projection

projection = Projection()
projection.name = "alignment"
projection.tables = ("alignment_strategies", "alignment_goals", "alignment_initiatives")
projection.ddl = (
    *shared.goals_ddl("alignment_strategies", "alignment_goals"),
    *shared.initiatives_ddl("alignment_initiatives"),
)
shared.track_goals(projection, "alignment_strategies", "alignment_goals")
shared.track_initiatives(projection, "alignment_initiatives")


# ---------------------------------------------------------------- queries


def alignment(cur: Cursor, client_id: UUID) -> dict[str, Any]:
    cur.execute(
        "SELECT id, title FROM alignment_strategies WHERE client_id = %s AND status = 'active'"
        " ORDER BY created_position DESC LIMIT 1",
        (client_id,),
    )
    strategy = cur.fetchone()
    goals: list[dict[str, Any]] = []
    if strategy is not None:
        cur.execute(
            "SELECT * FROM alignment_goals WHERE strategy_id = %s AND status = 'active'"
            " ORDER BY created_position",
            (strategy["id"],),
        )
        goals = [shared.goal_view(g) for g in cur.fetchall()]
    cur.execute(
        "SELECT * FROM alignment_initiatives WHERE client_id = %s AND status <> 'cancelled'"
        " ORDER BY created_position",
        (client_id,),
    )
    initiatives = [shared.initiative_view(i) for i in cur.fetchall()]
    served: dict[str, list[dict[str, Any]]] = {g["id"]: [] for g in goals}
    unaligned = []
    for item in initiatives:
        mine = [g for g in item["goal_ids"] if g in served]
        for goal_id in mine:
            served[goal_id].append(item)
        if not mine:
            unaligned.append(item)
    return {
        "strategy": None
        if strategy is None
        else {"id": str(strategy["id"]), "title": strategy["title"]},
        "goals": [{"goal": g, "initiatives": served[g["id"]]} for g in goals],
        "unaligned_initiatives": unaligned,
        "goals_without_initiatives": [g for g in goals if not served[g["id"]]],
    }
