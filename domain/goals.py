"""The items of a strategy: its business goals and guiding principles, as their events left
them. `as_dict` is their shape in the strategy's view, and in its snapshots."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.shared import Priority


class GoalStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"


class PrincipleStatus(StrEnum):
    ACTIVE = "active"


@dataclass(frozen=True, kw_only=True, slots=True)
class Goal:
    id: UUID
    title: str
    description: str | None
    priority: Priority
    status: GoalStatus = GoalStatus.ACTIVE

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Goal:
        return cls(
            id=UUID(data["id"]),
            title=data["title"],
            description=data["description"],
            priority=Priority(data["priority"]),
            status=GoalStatus(data["status"]),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "title": self.title,
            "description": self.description,
            "priority": self.priority.value,
            "status": self.status.value,
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class Principle:
    id: UUID
    statement: str
    status: PrincipleStatus = PrincipleStatus.ACTIVE

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Principle:
        return cls(
            id=UUID(data["id"]),
            statement=data["statement"],
            status=PrincipleStatus(data["status"]),
        )

    def as_dict(self) -> dict[str, Any]:
        return {"id": str(self.id), "statement": self.statement, "status": self.status.value}
