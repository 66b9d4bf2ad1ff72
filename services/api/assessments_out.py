"""Response bodies of /v1/clients/{cid}/assessments and /v1/assessments
(services/api/responses.py)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec

from domain.assessment import AssessmentStatus
from domain.category import Category
from domain.scoring import Result
from domain.standard import Severity
from services.api.responses import Instant, Out, Resource
from services.api.standards_out import InitiativeTemplateOut

Percent = Annotated[int, msgspec.Meta(ge=0, le=100)]
ByCategory = Annotated[
    dict[Category, Percent | None],
    msgspec.Meta(
        description="every category the assessment checks, in the catalogue's order",
        extra_json_schema={"propertyNames": {"enum": [c.value for c in Category]}},
    ),
]


class AssessmentScoreOut(Out, kw_only=True):
    """round(100 x weight aligned / weight answered, not_applicable left out), or null."""

    overall: Percent | None
    by_category: ByCategory


class AssessmentItemOut(Out, kw_only=True):
    """A standard as copied, its answer, and the initiative (and plan) its finding became."""

    standard_id: UUID
    title: str
    category: Category
    question: str | None
    weight: int
    severity: Severity
    initiative_template: InitiativeTemplateOut | None
    result: Result | None
    note: str | None
    initiative_id: UUID | None
    plan_id: UUID | None


class AssessmentOut(Resource, kw_only=True):
    """An assessment of one client; `completed_at` is null while it is open."""

    id: UUID
    client_id: UUID
    title: str
    status: AssessmentStatus
    items: list[AssessmentItemOut]
    score: AssessmentScoreOut
    completed_at: Instant | None
    version: int


class AssessmentSummaryOut(Out, kw_only=True):
    """An assessment in a client's list: its items counted (`items`), answered and proposed."""

    id: UUID
    client_id: UUID
    title: str
    status: AssessmentStatus
    score: AssessmentScoreOut
    items: int
    answered: int
    findings_proposed: int
    completed_at: Instant | None
    version: int


class AssessmentPage(Out, kw_only=True):
    items: list[AssessmentSummaryOut]
    next_cursor: str | None
