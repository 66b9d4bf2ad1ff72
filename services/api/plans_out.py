"""Response bodies of /v1/clients/{cid}/plans and /v1/plans (services/api/responses.py)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec

from domain.category import Category
from domain.plan import InitiativeStatus, Period
from domain.shared import Priority
from services.api.responses import CurrencyCode, MoneyOut, Out, Resource

QuarterText = Annotated[
    str,
    msgspec.Meta(
        extra_json_schema={"pattern": r"^FY\d{4}-Q[1-4]$"},
        description="a fiscal quarter, e.g. FY2027-Q2",
    ),
]


class RecurringCostOut(Out, kw_only=True):
    """`amount_minor` per unit and period, times `quantity` units (seats, devices...)."""

    amount_minor: int
    currency: CurrencyCode
    per: Period
    quantity: int


class InitiativeSourceOut(Out, kw_only=True):
    """The assessment finding an initiative was proposed to fix."""

    assessment_id: UUID
    standard_id: UUID


class InitiativeOut(Out, kw_only=True):
    """An initiative; `target_quarter` null: unscheduled; `source` null: typed in by hand."""

    id: UUID
    title: str
    description: str | None
    category: Category
    goal_ids: list[UUID]
    target_quarter: QuarterText | None
    one_time_cost: MoneyOut | None
    recurring_cost: RecurringCostOut | None
    priority: Priority
    status: InitiativeStatus
    source: InitiativeSourceOut | None


class PlanOut(Resource, kw_only=True):
    """A technology plan with its initiatives, in the order they were proposed."""

    id: UUID
    client_id: UUID
    strategy_id: UUID
    title: str
    initiatives: list[InitiativeOut]
    version: int


class InitiativeCountsOut(Out, kw_only=True):
    """A plan's initiatives counted by status (every status, zero included)."""

    proposed: int
    approved: int
    in_progress: int
    done: int
    cancelled: int


class PlanSummaryOut(Out, kw_only=True):
    """A plan in a client's list: its initiatives counted, not shown."""

    id: UUID
    client_id: UUID
    strategy_id: UUID
    title: str
    initiative_count: int
    initiatives_by_status: InitiativeCountsOut
    version: int


class PlanPage(Out, kw_only=True):
    items: list[PlanSummaryOut]
    next_cursor: str | None
