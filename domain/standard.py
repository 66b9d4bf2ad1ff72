"""The standards library of a tenant: what a well-run client should have, how much it weighs,
and optionally the initiative that closes the gap (its template).

A standard belongs to the tenant, not to a client (its client id is `TENANT_WIDE`).
Assessments copy what they check when they are opened, so editing or retiring a standard
never changes an assessment already made; a retired standard is kept for them and is no
longer offered to new ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.category import Category
from domain.plan.costs import RecurringCost, checked_recurring_cost
from domain.shared import (
    TENANT_WIDE,
    UNSET,
    Decision,
    Money,
    Priority,
    RuleViolation,
    StateConflict,
    TechplanAggregate,
    TechplanCreated,
    TechplanEvent,
    Unset,
    created_fields,
)

MIN_WEIGHT, MAX_WEIGHT = 1, 10


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls(value)
        except ValueError:
            raise RuleViolation(
                "severity is one of low, medium, high, critical", field="severity"
            ) from None


class StandardStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"


@dataclass(frozen=True, kw_only=True, slots=True)
class InitiativeTemplate:
    """The initiative a standard recommends when a client falls short of it."""

    title: str
    description: str | None
    category: Category
    one_time_cost: Money | None
    recurring_cost: RecurringCost | None
    priority: Priority

    def __post_init__(self) -> None:
        field = "initiative_template"
        if not isinstance(self.title, str) or not self.title.strip():
            raise RuleViolation("a template needs a title", field=f"{field}.title")
        object.__setattr__(
            self, "category", Category.parse(self.category, field=f"{field}.category")
        )
        try:
            object.__setattr__(self, "priority", Priority(self.priority))
        except ValueError:
            raise RuleViolation(
                "priority is one of critical, high, medium, low", field=f"{field}.priority"
            ) from None
        if self.one_time_cost is not None and self.one_time_cost.amount_minor < 0:
            raise RuleViolation("a cost is not negative", field=f"{field}.one_time_cost")
        if self.recurring_cost is not None:
            try:
                checked_recurring_cost(self.recurring_cost, self.recurring_cost.currency)
            except RuleViolation as error:
                raise RuleViolation(error.message, field=f"{field}.{error.field}") from None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> InitiativeTemplate | None:
        if data is None:
            return None
        one_time, recurring = data.get("one_time_cost"), data.get("recurring_cost")
        return cls(
            title=data["title"],
            description=data.get("description"),
            category=Category(data["category"]),
            one_time_cost=None if one_time is None else Money.from_dict(one_time, field="cost"),
            recurring_cost=None if recurring is None else RecurringCost.from_dict(recurring),
            priority=Priority(data["priority"]),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "description": self.description,
            "category": self.category.value,
            "one_time_cost": None if self.one_time_cost is None else self.one_time_cost.as_dict(),
            "recurring_cost": None
            if self.recurring_cost is None
            else self.recurring_cost.as_dict(),
            "priority": self.priority.value,
        }


def template_dict(template: InitiativeTemplate | None) -> dict[str, Any] | None:
    return None if template is None else template.as_dict()


def checked_weight(weight: int) -> int:
    if isinstance(weight, bool) or not isinstance(weight, int):
        raise RuleViolation("weight is a whole number", field="weight")
    if not MIN_WEIGHT <= weight <= MAX_WEIGHT:
        raise RuleViolation(f"weight is {MIN_WEIGHT} to {MAX_WEIGHT}", field="weight")
    return weight


class Standard(TechplanAggregate):
    aggregate_type = "standard"

    class Created(TechplanCreated):
        """A standard was added to the tenant's library."""

        title: str
        category: str
        question: str | None
        weight: int
        severity: str
        initiative_template: dict[str, Any] | None

        def apply(self, standard: Standard) -> None:
            standard.tenant_id = self.tenant_id
            standard.client_id = self.client_id
            standard.title = self.title
            standard.category = Category(self.category)
            standard.question = self.question
            standard.weight = self.weight
            standard.severity = Severity(self.severity)
            standard.initiative_template = InitiativeTemplate.from_dict(self.initiative_template)
            standard.status = StandardStatus.ACTIVE

    class Retitled(TechplanEvent):
        """A standard was renamed."""

        title: str

        def apply(self, standard: Standard) -> None:
            standard.title = self.title

    class Recategorized(TechplanEvent):
        """A standard was put in another category."""

        category: str

        def apply(self, standard: Standard) -> None:
            standard.category = Category(self.category)

    class Reworded(TechplanEvent):
        """The question an assessor asks for a standard changed (or was cleared: null)."""

        question: str | None

        def apply(self, standard: Standard) -> None:
            standard.question = self.question

    class Reweighted(TechplanEvent):
        """How much a standard weighs in a score (1 to 10) changed."""

        weight: int

        def apply(self, standard: Standard) -> None:
            standard.weight = self.weight

    class SeverityChanged(TechplanEvent):
        """How severe falling short of a standard is changed."""

        severity: str

        def apply(self, standard: Standard) -> None:
            standard.severity = Severity(self.severity)

    class TemplateChanged(TechplanEvent):
        """The initiative a standard recommends changed (or was removed: null)."""

        initiative_template: dict[str, Any] | None

        def apply(self, standard: Standard) -> None:
            standard.initiative_template = InitiativeTemplate.from_dict(self.initiative_template)

    class Retired(TechplanEvent):
        """A standard was retired: kept by past assessments, offered to no new one."""

        def apply(self, standard: Standard) -> None:
            standard.status = StandardStatus.RETIRED

    title: str
    category: Category
    question: str | None
    weight: int
    severity: Severity
    initiative_template: InitiativeTemplate | None
    status: StandardStatus

    @classmethod
    def create(
        cls,
        *,
        id: UUID,
        tenant_id: UUID,
        title: str,
        category: Category | str,
        question: str | None = None,
        weight: int,
        severity: Severity | str,
        initiative_template: InitiativeTemplate | None = None,
        by: Decision,
    ) -> Standard:
        return cls._create(
            cls.Created,
            id=id,
            title=title,
            category=Category.parse(category).value,
            question=question,
            weight=checked_weight(weight),
            severity=Severity.parse(severity).value,
            initiative_template=template_dict(initiative_template),
            **created_fields(tenant_id, TENANT_WIDE, by),
        )

    # ------------------------------------------------------------ commands

    def update(
        self,
        *,
        title: str | None = None,
        category: Category | str | None = None,
        question: str | Unset | None = UNSET,
        weight: int | None = None,
        severity: Severity | str | None = None,
        initiative_template: InitiativeTemplate | Unset | None = UNSET,
        by: Decision,
    ) -> None:
        """Change what is given: one event per kind of change, none when nothing changes."""
        self._require_rationale(by)
        self._require_active()
        changes: list[tuple[type[TechplanEvent], dict[str, Any]]] = []
        if title is not None and title != self.title:
            changes.append((self.Retitled, {"title": title}))
        if category is not None and (new := Category.parse(category)) != self.category:
            changes.append((self.Recategorized, {"category": new.value}))
        if question is not UNSET and question != self.question:
            changes.append((self.Reworded, {"question": question}))
        if weight is not None and checked_weight(weight) != self.weight:
            changes.append((self.Reweighted, {"weight": weight}))
        if severity is not None and (level := Severity.parse(severity)) != self.severity:
            changes.append((self.SeverityChanged, {"severity": level.value}))
        if initiative_template is not UNSET and initiative_template != self.initiative_template:
            changes.append(
                (self.TemplateChanged, {"initiative_template": template_dict(initiative_template)})
            )
        for event_class, fields in changes:
            self._record(event_class, by, **fields)

    def retire(self, by: Decision) -> None:
        self._require_rationale(by)
        self._require_active()
        self._record(self.Retired, by)

    def _require_active(self) -> None:
        if self.status is StandardStatus.RETIRED:
            raise StateConflict("a retired standard cannot change")

    # ------------------------------------------------------------ views

    @property
    def active(self) -> bool:
        return self.status is StandardStatus.ACTIVE

    def view(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "title": self.title,
            "category": self.category.value,
            "question": self.question,
            "weight": self.weight,
            "severity": self.severity.value,
            "initiative_template": template_dict(self.initiative_template),
            "status": self.status.value,
            "version": self.version,
        }

    def primitive_state(self) -> dict[str, Any]:
        state = super().primitive_state()
        state["category"] = self.category.value
        state["severity"] = self.severity.value
        state["initiative_template"] = template_dict(self.initiative_template)
        state["status"] = self.status.value
        return state

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["category"] = Category(state["category"])
        state["severity"] = Severity(state["severity"])
        state["initiative_template"] = InitiativeTemplate.from_dict(state["initiative_template"])
        state["status"] = StandardStatus(state["status"])
