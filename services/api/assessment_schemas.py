"""Request bodies of the standards library and assessments, decoded and validated by msgspec.

PATCH bodies tell "not given" (UNSET) from an explicit null: `question: null` clears the
question, `initiative_template: null` removes the template.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from msgspec import UNSET, Meta, UnsetType

from domain import limits
from domain.category import Category
from domain.scoring import Result
from domain.shared import Priority
from domain.standard import InitiativeTemplate, Severity
from services.api.schemas import Body, Name, Rationale, Text
from services.api.tactical_schemas import GoalIds, MoneyIn, QuarterText, RecurringCostIn
from services.api.tactical_schemas import money as money_of
from services.api.tactical_schemas import recurring as recurring_of

Weight = Annotated[int, Meta(ge=1, le=10, description="how much it counts in a score, 1-10")]
StandardIds = Annotated[list[UUID], Meta(max_length=limits.STANDARDS_PER_ASSESSMENT)]


class TemplateIn(Body, kw_only=True):
    title: Name
    description: Text | None = None
    category: Category
    one_time_cost: MoneyIn | None = None
    recurring_cost: RecurringCostIn | None = None
    priority: Priority


class StandardIn(Body, kw_only=True):
    title: Name
    category: Category
    question: Text | None = None
    weight: Weight
    severity: Severity
    initiative_template: TemplateIn | None = None
    rationale: Rationale | None = None


class StandardPatch(Body, kw_only=True):
    rationale: Rationale
    title: Name | UnsetType = UNSET
    category: Category | UnsetType = UNSET
    question: Text | UnsetType | None = UNSET
    weight: Weight | UnsetType = UNSET
    severity: Severity | UnsetType = UNSET
    initiative_template: TemplateIn | UnsetType | None = UNSET


class AssessmentIn(Body, kw_only=True):
    title: Name
    standard_ids: StandardIds | None = None
    rationale: Rationale | None = None


class AnswerIn(Body, kw_only=True):
    standard_id: UUID
    result: Result
    note: Text | None = None
    rationale: Rationale | None = None


class FindingIn(Body, kw_only=True):
    plan_id: UUID
    goal_ids: GoalIds
    target_quarter: QuarterText | None = None
    rationale: Rationale | None = None


def template(data: TemplateIn | None) -> InitiativeTemplate | None:
    if data is None:
        return None
    return InitiativeTemplate(
        title=data.title,
        description=data.description,
        category=data.category,
        one_time_cost=money_of(data.one_time_cost, "initiative_template.one_time_cost"),
        recurring_cost=recurring_of(data.recurring_cost),
        priority=data.priority,
    )
