"""The IT strategy of a client: vision, business goals and guiding principles.

A strategy is drafted, adopted (becoming the client's one active strategy), later superseded
by another adoption or archived. Superseded and archived strategies are read-only.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.shared import (
    Decision,
    ItemNotFound,
    Priority,
    StateConflict,
    TechplanAggregate,
    TechplanCreated,
    TechplanEvent,
    created_fields,
)


class StrategyStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    SUPERSEDED = "superseded"
    ARCHIVED = "archived"


class GoalStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"


class Strategy(TechplanAggregate):
    aggregate_type = "strategy"

    class Created(TechplanCreated):
        """A strategy was drafted for a client."""

        title: str
        vision: str | None

        def apply(self, strategy: Strategy) -> None:
            strategy.tenant_id = self.tenant_id
            strategy.client_id = self.client_id
            strategy.title = self.title
            strategy.vision = self.vision
            strategy.status = StrategyStatus.DRAFT.value
            strategy.goals = []
            strategy.principles = []

    class GoalAdded(TechplanEvent):
        """A business goal was added to the strategy."""

        goal_id: UUID
        title: str
        description: str | None
        priority: str

        def apply(self, strategy: Strategy) -> None:
            strategy.goals.append(
                {
                    "id": str(self.goal_id),
                    "title": self.title,
                    "description": self.description,
                    "priority": self.priority,
                    "status": GoalStatus.ACTIVE.value,
                }
            )

    class GoalRetitled(TechplanEvent):
        """A goal's title or description was reworded."""

        goal_id: UUID
        title: str
        description: str | None

        def apply(self, strategy: Strategy) -> None:
            goal = strategy._goal(self.goal_id)
            goal["title"] = self.title
            goal["description"] = self.description

    class GoalReprioritized(TechplanEvent):
        """A goal's priority changed."""

        goal_id: UUID
        priority: str

        def apply(self, strategy: Strategy) -> None:
            strategy._goal(self.goal_id)["priority"] = self.priority

    class GoalRetired(TechplanEvent):
        """A goal was retired: initiatives no longer align with it."""

        goal_id: UUID

        def apply(self, strategy: Strategy) -> None:
            strategy._goal(self.goal_id)["status"] = GoalStatus.RETIRED.value

    class PrincipleAdded(TechplanEvent):
        """A guiding principle was added."""

        principle_id: UUID
        statement: str

        def apply(self, strategy: Strategy) -> None:
            strategy.principles.append(
                {"id": str(self.principle_id), "statement": self.statement, "status": "active"}
            )

    class Adopted(TechplanEvent):
        """The strategy was adopted: it is the client's active strategy."""

        def apply(self, strategy: Strategy) -> None:
            strategy.status = StrategyStatus.ACTIVE.value

    class Superseded(TechplanEvent):
        """Another strategy was adopted in this one's place."""

        superseded_by: UUID

        def apply(self, strategy: Strategy) -> None:
            strategy.status = StrategyStatus.SUPERSEDED.value

    class Archived(TechplanEvent):
        """The strategy was archived."""

        def apply(self, strategy: Strategy) -> None:
            strategy.status = StrategyStatus.ARCHIVED.value

    title: str
    vision: str | None
    status: str
    goals: list[dict[str, Any]]
    principles: list[dict[str, Any]]

    @classmethod
    def create(
        cls,
        *,
        id: UUID,
        tenant_id: UUID,
        client_id: UUID,
        title: str,
        vision: str | None,
        by: Decision,
    ) -> Strategy:
        return cls._create(
            cls.Created,
            id=id,
            title=title,
            vision=vision,
            **created_fields(tenant_id, client_id, by),
        )

    # ------------------------------------------------------------ rules

    def _require_editable(self) -> None:
        if self.status in (StrategyStatus.SUPERSEDED, StrategyStatus.ARCHIVED):
            raise StateConflict(f"a {self.status} strategy is read-only")

    def _goal(self, goal_id: UUID) -> dict[str, Any]:
        for goal in self.goals:
            if goal["id"] == str(goal_id):
                return goal
        raise ItemNotFound("goal not found")

    def active_goal_ids(self) -> set[str]:
        return {g["id"] for g in self.goals if g["status"] == GoalStatus.ACTIVE}

    # ------------------------------------------------------------ commands

    def add_goal(
        self,
        *,
        goal_id: UUID,
        title: str,
        description: str | None,
        priority: Priority,
        by: Decision,
    ) -> None:
        self._require_editable()
        self._record(
            self.GoalAdded,
            by,
            goal_id=goal_id,
            title=title,
            description=description,
            priority=Priority(priority).value,
        )

    def update_goal(
        self,
        goal_id: UUID,
        *,
        title: str | None = None,
        description: str | None = None,
        priority: Priority | None = None,
        by: Decision,
    ) -> None:
        self._require_rationale(by)
        self._require_editable()
        goal = self._goal(goal_id)
        if goal["status"] == GoalStatus.RETIRED:
            raise StateConflict("a retired goal cannot change")
        new_title = goal["title"] if title is None else title
        new_description = goal["description"] if description is None else description
        if (new_title, new_description) != (goal["title"], goal["description"]):
            self._record(
                self.GoalRetitled,
                by,
                goal_id=goal_id,
                title=new_title,
                description=new_description,
            )
        if priority is not None and Priority(priority) != goal["priority"]:
            self._record(
                self.GoalReprioritized, by, goal_id=goal_id, priority=Priority(priority).value
            )

    def retire_goal(self, goal_id: UUID, by: Decision) -> None:
        self._require_rationale(by)
        self._require_editable()
        if self._goal(goal_id)["status"] == GoalStatus.RETIRED:
            raise StateConflict("the goal is already retired")
        self._record(self.GoalRetired, by, goal_id=goal_id)

    def add_principle(self, *, principle_id: UUID, statement: str, by: Decision) -> None:
        self._require_editable()
        self._record(self.PrincipleAdded, by, principle_id=principle_id, statement=statement)

    def adopt(self, by: Decision) -> None:
        self._require_rationale(by)
        if self.status != StrategyStatus.DRAFT:
            raise StateConflict(f"only a draft strategy can be adopted, this one is {self.status}")
        self._record(self.Adopted, by)

    def supersede(self, superseded_by: UUID, by: Decision) -> None:
        if self.status != StrategyStatus.ACTIVE:
            raise StateConflict("only the active strategy can be superseded")
        self._record(self.Superseded, by, superseded_by=superseded_by)

    def archive(self, by: Decision) -> None:
        self._require_rationale(by)
        self._require_editable()
        self._record(self.Archived, by)

    def view(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "client_id": str(self.client_id),
            "title": self.title,
            "vision": self.vision,
            "status": self.status,
            "goals": [dict(g) for g in self.goals],
            "principles": [dict(p) for p in self.principles],
            "version": self.version,
        }
