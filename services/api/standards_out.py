"""Response bodies of /v1/standards (services/api/responses.py)."""

from __future__ import annotations

from uuid import UUID

from domain.category import Category
from domain.shared import Priority
from domain.standard import Severity, StandardStatus
from services.api.plans_out import RecurringCostOut
from services.api.responses import MoneyOut, Out, Resource


class InitiativeTemplateOut(Out, kw_only=True):
    """The initiative a standard recommends when a client falls short of it."""

    title: str
    description: str | None
    category: Category
    one_time_cost: MoneyOut | None
    recurring_cost: RecurringCostOut | None
    priority: Priority


class StandardOut(Resource, kw_only=True):
    """A standard of the tenant's library; `retired` ones are kept for past assessments."""

    id: UUID
    title: str
    category: Category
    question: str | None
    weight: int
    severity: Severity
    initiative_template: InitiativeTemplateOut | None
    status: StandardStatus
    version: int


class StandardPage(Out, kw_only=True):
    items: list[StandardOut]
    next_cursor: str | None
