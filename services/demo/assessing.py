"""The demo's verbs for the standards library, assessments and reviews (the runner's other
verbs are in runner.py). Each calls the same use cases as the API."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from domain.calendar import FiscalQuarter
from domain.category import Category
from domain.plan import Period, RecurringCost
from domain.scoring import Result
from domain.shared import Money, Priority
from domain.standard import InitiativeTemplate, Severity
from services.commands import assessments, reviews, standards
from services.commands.context import Context

ASSESSMENT_ACTIONS = frozenset(
    {"standard", "assessment", "answers", "complete_assessment", "propose_finding", "review"}
)


class StepLibrary:
    """The library as the demo made it so far: every standard it created, none retired."""

    def __init__(self, ids: Sequence[UUID]) -> None:
        self.ids = list(ids)

    def active_standard_ids(self, tenant_id: UUID) -> list[UUID]:
        return list(self.ids)


class AssessmentActions:
    """Mixed into `Demo`, which provides these."""

    ids: dict[str, UUID]
    now: datetime
    library: list[UUID]

    def ctx(self, by: str | None = None) -> Context:
        raise NotImplementedError

    def quarter(self, client: str, days_ahead: int) -> FiscalQuarter:
        raise NotImplementedError

    def standard(
        self,
        key: str,
        title: str,
        category: str,
        weight: int,
        severity: str,
        question: str | None = None,
        template: dict[str, Any] | None = None,
    ) -> None:
        """A standard of the library; the template's costs in major units (USD), `monthly`
        is (price, quantity)."""
        command = standards.CreateStandard(
            title=title,
            category=Category(category),
            weight=weight,
            severity=Severity(severity),
            question=question,
            initiative_template=None if template is None else _template(template),
        )
        standard, _ = standards.create_standard(self.ctx(), command)
        self.ids[key] = standard.id
        self.library.append(standard.id)

    def assessment(self, key: str, client: str, title: str) -> None:
        """An assessment of every standard of the library."""
        command = assessments.CreateAssessment(client_id=self.ids[client], title=title)
        made, _ = assessments.create_assessment(self.ctx(), command, StepLibrary(self.library))
        self.ids[key] = made.id

    def answers(
        self, assessment: str, results: dict[str, str], notes: dict[str, str] | None = None
    ) -> None:
        """Answers by standard key: aligned, misaligned or not_applicable."""
        for standard, result in results.items():
            command = assessments.Answer(
                assessment_id=self.ids[assessment],
                standard_id=self.ids[standard],
                result=Result(result),
                note=(notes or {}).get(standard),
            )
            assessments.answer(self.ctx(), command)

    def complete_assessment(self, assessment: str, rationale: str) -> None:
        assessments.complete(self.ctx(), self.ids[assessment], rationale)

    def propose_finding(
        self,
        key: str,
        assessment: str,
        standard: str,
        plan: str,
        client: str,
        goals: list[str],
        days_ahead: int,
        rationale: str,
    ) -> None:
        command = assessments.ProposeFinding(
            assessment_id=self.ids[assessment],
            standard_id=self.ids[standard],
            plan_id=self.ids[plan],
            goal_ids=[self.ids[g] for g in goals],
            target_quarter=self.quarter(client, days_ahead),
            rationale=rationale,
        )
        _, _, self.ids[key] = assessments.propose_finding(self.ctx(), command)

    def review(self, key: str, client: str, title: str, summary: str, attendees: list[str]) -> None:
        """A review held at this step: planned for today and completed."""
        command = reviews.CreateReview(
            client_id=self.ids[client],
            title=title,
            scheduled_for=(self.now + timedelta(hours=1)).date(),
            attendees=attendees,
        )
        review, _ = reviews.create_review(self.ctx(), command)
        self.ids[key] = review.id
        reviews.complete_review(self.ctx(), review.id, summary, "held as planned")


def _template(data: dict[str, Any]) -> InitiativeTemplate:
    one_time, monthly = data.get("one_time"), data.get("monthly")
    return InitiativeTemplate(
        title=data["title"],
        description=data.get("description"),
        category=Category(data["category"]),
        one_time_cost=None if one_time is None else Money(one_time * 100, "USD"),
        recurring_cost=None
        if monthly is None
        else RecurringCost(monthly[0] * 100, "USD", Period.MONTH, monthly[1]),
        priority=Priority(data["priority"]),
    )
