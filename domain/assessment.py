"""An assessment of one client against the tenant's standards.

Opening it copies each standard it checks (title, question, weight, severity, category and
template), so later edits to the library change nothing here. Answers change while it is
open; completing it fixes the answers and the score, which its event records. A misaligned
answer with a template is a finding: proposing it makes an initiative in a plan of the same
client (services/commands/assessments.py saves both in one transaction), and the item keeps
the initiative's id, so a finding is proposed at most once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain import limits
from domain.category import Category
from domain.scoring import Result, Scored, score
from domain.shared import (
    Decision,
    RuleViolation,
    StateConflict,
    TechplanAggregate,
    TechplanCreated,
    TechplanEvent,
    check_room,
    created_fields,
    find,
    rfc3339,
)
from domain.standard import InitiativeTemplate, Severity, Standard, template_dict


class AssessmentStatus(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"


@dataclass(frozen=True, kw_only=True, slots=True)
class AssessmentItem:
    """A standard as the assessment copied it, and the answer given."""

    standard_id: UUID
    title: str
    category: Category
    question: str | None
    weight: int
    severity: Severity
    initiative_template: InitiativeTemplate | None
    result: Result | None = None
    note: str | None = None
    initiative_id: UUID | None = None  # the initiative its finding became
    plan_id: UUID | None = None

    @classmethod
    def of(cls, standard: Standard) -> AssessmentItem:
        return cls(
            standard_id=standard.id,
            title=standard.title,
            category=standard.category,
            question=standard.question,
            weight=standard.weight,
            severity=standard.severity,
            initiative_template=standard.initiative_template,
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AssessmentItem:
        return cls(
            standard_id=UUID(data["standard_id"]),
            title=data["title"],
            category=Category(data["category"]),
            question=data["question"],
            weight=data["weight"],
            severity=Severity(data["severity"]),
            initiative_template=InitiativeTemplate.from_dict(data["initiative_template"]),
            result=None if data.get("result") is None else Result(data["result"]),
            note=data.get("note"),
            initiative_id=_uuid(data.get("initiative_id")),
            plan_id=_uuid(data.get("plan_id")),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "standard_id": str(self.standard_id),
            "title": self.title,
            "category": self.category.value,
            "question": self.question,
            "weight": self.weight,
            "severity": self.severity.value,
            "initiative_template": template_dict(self.initiative_template),
            "result": None if self.result is None else self.result.value,
            "note": self.note,
            "initiative_id": None if self.initiative_id is None else str(self.initiative_id),
            "plan_id": None if self.plan_id is None else str(self.plan_id),
        }

    def scored(self) -> Scored:
        return Scored(self.category, self.weight, self.result)


class Assessment(TechplanAggregate):
    aggregate_type = "assessment"

    class Created(TechplanCreated):
        """An assessment of a client was opened, copying the standards it checks."""

        title: str
        items: list[dict[str, Any]]

        def apply(self, assessment: Assessment) -> None:
            assessment.tenant_id = self.tenant_id
            assessment.client_id = self.client_id
            assessment.title = self.title
            items = (AssessmentItem.from_dict(i) for i in self.items)
            assessment.items = {i.standard_id: i for i in items}
            assessment.status = AssessmentStatus.OPEN
            assessment.completed_at = None

    class Answered(TechplanEvent):
        """A standard was answered in an assessment: aligned, misaligned or not applicable."""

        standard_id: UUID
        result: str
        note: str | None

        def apply(self, assessment: Assessment) -> None:
            assessment._change(self.standard_id, result=Result(self.result), note=self.note)

    class Completed(TechplanEvent):
        """An assessment was completed: its answers and its score are fixed."""

        score: dict[str, Any]

        def apply(self, assessment: Assessment) -> None:
            assessment.status = AssessmentStatus.COMPLETED
            assessment.completed_at = rfc3339(self.timestamp)

    class FindingProposed(TechplanEvent):
        """A misaligned answer became an initiative proposed in one of the client's plans."""

        standard_id: UUID
        plan_id: UUID
        initiative_id: UUID

        def apply(self, assessment: Assessment) -> None:
            assessment._change(
                self.standard_id, initiative_id=self.initiative_id, plan_id=self.plan_id
            )

    title: str
    items: dict[UUID, AssessmentItem]  # by standard id, in the order they were copied
    status: AssessmentStatus
    completed_at: str | None  # as API.md writes times

    @classmethod
    def create(
        cls,
        *,
        id: UUID,
        tenant_id: UUID,
        client_id: UUID,
        title: str,
        standards: Iterable[Standard],
        by: Decision,
    ) -> Assessment:
        """Open an assessment of the given standards (each once, in the order given)."""
        chosen: dict[UUID, Standard] = {}
        for standard in standards:
            if not standard.active:
                raise RuleViolation(f"standard {standard.id} is retired", field="standard_ids")
            if standard.tenant_id != tenant_id:
                raise RuleViolation(f"no standard {standard.id}", field="standard_ids")
            chosen.setdefault(standard.id, standard)
        if not chosen:
            raise RuleViolation(
                "an assessment checks at least one active standard", field="standard_ids"
            )
        check_room(
            len(chosen) - 1,
            limits.STANDARDS_PER_ASSESSMENT,
            "standards in an assessment",
            field="standard_ids",
        )
        return cls._create(
            cls.Created,
            id=id,
            title=title,
            items=[AssessmentItem.of(s).as_dict() for s in chosen.values()],
            **created_fields(tenant_id, client_id, by),
        )

    # ------------------------------------------------------------ queries

    def item(self, standard_id: UUID | str) -> AssessmentItem:
        return find(self.items, standard_id, "standard of this assessment")

    def score(self) -> dict[str, Any]:
        return score([i.scored() for i in self.items.values()])

    def finding(self, standard_id: UUID) -> InitiativeTemplate:
        """The template of a finding that may be proposed; the rules of `propose_finding`."""
        item = self.item(standard_id)
        if item.result is not Result.MISALIGNED:
            raise RuleViolation(
                "only a misaligned answer is a finding to propose", field="standard_id"
            )
        if item.initiative_template is None:
            raise RuleViolation(
                "the standard has no initiative template to propose", field="standard_id"
            )
        if item.initiative_id is not None:
            raise StateConflict(
                f"this finding was already proposed as initiative {item.initiative_id}"
            )
        return item.initiative_template

    # ------------------------------------------------------------ commands

    def answer(
        self, standard_id: UUID, *, result: Result | str, note: str | None, by: Decision
    ) -> None:
        """Answer (or answer again) while open; nothing is recorded when nothing changes."""
        self._require_open()
        item = self.item(standard_id)
        try:
            answer = Result(result)
        except ValueError:
            raise RuleViolation(
                "result is one of aligned, misaligned, not_applicable", field="result"
            ) from None
        if item.initiative_id is not None and answer is not item.result:
            raise StateConflict("this finding became an initiative; its answer is kept")
        if (answer, note) != (item.result, item.note):
            self._record(
                self.Answered, by, standard_id=item.standard_id, result=answer.value, note=note
            )

    def complete(self, by: Decision) -> None:
        self._require_rationale(by)
        self._require_open()
        self._record(self.Completed, by, score=self.score())

    def propose_finding(
        self, standard_id: UUID, *, plan_id: UUID, initiative_id: UUID, by: Decision
    ) -> None:
        """Record that the finding became `initiative_id` in `plan_id`; at most once."""
        self.finding(standard_id)
        self._record(
            self.FindingProposed,
            by,
            standard_id=standard_id,
            plan_id=plan_id,
            initiative_id=initiative_id,
        )

    # ------------------------------------------------------------ rules and views

    def _require_open(self) -> None:
        if self.status is AssessmentStatus.COMPLETED:
            raise StateConflict("a completed assessment is fixed: its answers cannot change")

    def _change(self, standard_id: UUID, **changes: Any) -> None:
        self.items[standard_id] = replace(self.item(standard_id), **changes)

    def view(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "client_id": str(self.client_id),
            "title": self.title,
            "status": self.status.value,
            "items": [i.as_dict() for i in self.items.values()],
            "score": self.score(),
            "completed_at": self.completed_at,
            "version": self.version,
        }

    def primitive_state(self) -> dict[str, Any]:
        state = super().primitive_state()
        state["items"] = [i.as_dict() for i in self.items.values()]
        state["status"] = self.status.value
        return state

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        items: Sequence[AssessmentItem] = [AssessmentItem.from_dict(i) for i in state["items"]]
        state["items"] = {i.standard_id: i for i in items}
        state["status"] = AssessmentStatus(state["status"])


def _uuid(value: str | None) -> UUID | None:
    return None if value is None else UUID(value)
