"""Alignment: which initiatives serve which goals of the client's active strategy, which serve
none (a plan that follows no strategy is a checklist), and which goals nothing serves.

A view: it queries the strategies' and the plans' tables, folded once by their projections.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from infra.db import Cursor
from projections import plans, strategies
from projections.base import View

projection = View("alignment", reads=(strategies.projection, plans.projection))


def alignment(cur: Cursor, client_id: UUID) -> dict[str, Any]:
    strategy = strategies.active_strategy(cur, client_id)
    goals = [] if strategy is None else strategies.active_goals(cur, strategy["id"])
    cur.execute(
        "SELECT * FROM plan_initiatives_view WHERE client_id = %s AND status <> 'cancelled'"
        " ORDER BY created_position",
        (client_id,),
    )
    initiatives = [plans.initiative_view(i) for i in cur.fetchall()]
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
