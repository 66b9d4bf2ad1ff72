"""An initiative: its typed state, its status moves and the checks on its fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.calendar import FiscalQuarter
from domain.category import Category
from domain.plan.costs import RecurringCost
from domain.shared import Money, Priority, RuleViolation, canonical_id


class InitiativeStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


_P, _A, _I = InitiativeStatus.PROPOSED, InitiativeStatus.APPROVED, InitiativeStatus.IN_PROGRESS
# The statuses each action may start from; anything else is a 409.
MOVES_FROM: dict[str, set[InitiativeStatus]] = {
    "approve": {_P},
    "start": {_A},
    "complete": {_I},
    "defer": {_P, _A},
    "cancel": {_P, _A, _I},
}
LOCKED = {InitiativeStatus.DONE, InitiativeStatus.CANCELLED}


@dataclass(frozen=True, kw_only=True, slots=True)
class InitiativeSource:
    """Where an initiative came from: the assessment finding it was proposed to fix."""

    assessment_id: UUID
    standard_id: UUID

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> InitiativeSource | None:
        if data is None:
            return None
        return cls(
            assessment_id=UUID(str(data["assessment_id"])),
            standard_id=UUID(str(data["standard_id"])),
        )

    def as_dict(self) -> dict[str, str]:
        return {"assessment_id": str(self.assessment_id), "standard_id": str(self.standard_id)}


@dataclass(frozen=True, kw_only=True, slots=True)
class Initiative:
    """An initiative of a plan, as its events left it."""

    id: UUID
    title: str
    description: str | None = None  # the business case a client reads
    category: Category
    goal_ids: tuple[UUID, ...]
    target_quarter: FiscalQuarter | None
    one_time_cost: Money | None
    recurring_cost: RecurringCost | None
    priority: Priority
    status: InitiativeStatus = InitiativeStatus.PROPOSED
    source: InitiativeSource | None = None  # None: typed in by hand

    # its shape in views, made once: every view shares it, so nobody may change it
    _shape: dict[str, Any] | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Initiative:
        """From the shape `as_dict` writes (what snapshots hold). Snapshots taken before
        initiatives had a description and a source hold neither: both are None there."""
        initiative = cls(
            id=UUID(data["id"]),
            title=data["title"],
            description=data.get("description"),
            category=Category(data["category"]),
            goal_ids=goal_uuids(data["goal_ids"]),
            target_quarter=quarter_of(data["target_quarter"]),
            one_time_cost=money_of(data["one_time_cost"]),
            recurring_cost=recurring_of(data["recurring_cost"]),
            priority=Priority(data["priority"]),
            status=InitiativeStatus(data["status"]),
            source=InitiativeSource.from_dict(data.get("source")),
        )
        if _in_view_shape(data) and data["id"] == str(initiative.id):
            # exactly what as_dict would build: a full plan need not build it again
            object.__setattr__(initiative, "_shape", data)
        return initiative

    def serves_any(self, goal_ids: Iterable[UUID | str]) -> bool:
        return bool(set(self.goal_ids) & {UUID(canonical_id(g, "goal_ids")) for g in goal_ids})

    def as_dict(self) -> dict[str, Any]:
        """The initiative as a plan's view shows it (key order included)."""
        shape = self._shape
        if shape is None:
            shape = {
                "id": str(self.id),
                "title": self.title,
                "description": self.description,
                "category": self.category.value,
                "goal_ids": [str(g) for g in self.goal_ids],
                "target_quarter": quarter_text(self.target_quarter),
                "one_time_cost": None
                if self.one_time_cost is None
                else self.one_time_cost.as_dict(),
                "recurring_cost": None
                if self.recurring_cost is None
                else self.recurring_cost.as_dict(),
                "priority": self.priority.value,
                "status": self.status.value,
                "source": None if self.source is None else self.source.as_dict(),
            }
            object.__setattr__(self, "_shape", shape)
        return shape


KEYS = (
    "id",
    "title",
    "description",
    "category",
    "goal_ids",
    "target_quarter",
    "one_time_cost",
    "recurring_cost",
    "priority",
    "status",
    "source",
)
MONEY_KEYS = ("amount_minor", "currency")
SOURCE_KEYS = ("assessment_id", "standard_id")
RECURRING_KEYS = ("amount_minor", "currency", "per", "quantity")


def _in_view_shape(data: Mapping[str, Any]) -> bool:
    """The same keys in the same order as `as_dict` writes, down to the costs (an old
    recurring cost without `quantity` is not)."""
    once, recurring = data.get("one_time_cost"), data.get("recurring_cost")
    source = data.get("source")
    return (
        type(data) is dict
        and tuple(data) == KEYS
        and type(data["goal_ids"]) is list
        and (once is None or tuple(once) == MONEY_KEYS)
        and (recurring is None or tuple(recurring) == RECURRING_KEYS)
        and (source is None or tuple(source) == SOURCE_KEYS)
    )


# ---------------------------------------------------------------- from events' fields


def goal_uuids(goal_ids: Iterable[str]) -> tuple[UUID, ...]:
    return tuple(UUID(g) for g in goal_ids)


def quarter_of(text: str | None) -> FiscalQuarter | None:
    return None if text is None else FiscalQuarter.parse(text)


def money_of(data: Mapping[str, Any] | None) -> Money | None:
    return None if data is None else Money.from_dict(data, field="one_time_cost")


def recurring_of(data: Mapping[str, Any] | None) -> RecurringCost | None:
    return None if data is None else RecurringCost.from_dict(data)


# ---------------------------------------------------------------- checks on commands


def checked_goal_ids(
    goal_ids: Iterable[UUID | str], strategy_goal_ids: Iterable[UUID | str] | None
) -> list[str]:
    ids = list(dict.fromkeys(canonical_id(g, "goal_ids") for g in goal_ids))
    if strategy_goal_ids is not None:
        known = {canonical_id(g, "strategy_goal_ids") for g in strategy_goal_ids}
        if any(g not in known for g in ids):
            raise RuleViolation("a goal id is not a goal of the plan's strategy", field="goal_ids")
    return ids


def quarter_text(quarter: FiscalQuarter | None) -> str | None:
    return None if quarter is None else str(quarter)


def checked_priority(priority: Priority | str) -> Priority:
    try:
        return Priority(priority)
    except ValueError:
        raise RuleViolation(
            "priority is one of critical, high, medium, low", field="priority"
        ) from None


def checked_deferral(current: FiscalQuarter | None, target: FiscalQuarter | None) -> FiscalQuarter:
    """A deferral's target: given, and after the quarter the initiative had."""
    if target is None:
        raise RuleViolation("deferring needs a target_quarter", field="target_quarter")
    if current is not None and target <= current:
        raise RuleViolation(
            f"an initiative is deferred to a quarter after {current}", field="target_quarter"
        )
    return target
