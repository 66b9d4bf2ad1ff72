"""Response bodies of /v1/clients/{cid}/strategies and /v1/strategies
(services/api/responses.py)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from services.api.responses import Out, Resource

StrategyStatus = Literal["draft", "active", "superseded", "archived"]
Priority = Literal["critical", "high", "medium", "low"]


class StrategyGoalOut(Out, kw_only=True):
    """A business goal; a retired goal stays listed, and no initiative aligns with it."""

    id: UUID
    title: str
    description: str | None
    priority: Priority
    status: Literal["active", "retired"]


class StrategyPrincipleOut(Out, kw_only=True):
    """A guiding principle."""

    id: UUID
    statement: str
    status: Literal["active"]


class StrategyOut(Resource, kw_only=True):
    """An IT strategy of a client, as of its latest (or the requested) version; after a goal
    or principle was added, `created_id` is the new item's id."""

    id: UUID
    client_id: UUID
    title: str
    vision: str | None
    status: StrategyStatus
    goals: list[StrategyGoalOut]
    principles: list[StrategyPrincipleOut]
    version: int


class GoalCountsOut(Out, kw_only=True):
    active: int
    retired: int


class StrategySummaryOut(Out, kw_only=True):
    """A strategy in its client's list: its goals and principles counted, not listed."""

    id: UUID
    client_id: UUID
    title: str
    vision: str | None
    status: StrategyStatus
    goal_counts: GoalCountsOut
    principle_count: int
    version: int


class StrategyPage(Out, kw_only=True):
    items: list[StrategySummaryOut]
    next_cursor: str | None
