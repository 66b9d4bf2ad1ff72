"""The IT strategy of a client: vision, business goals and guiding principles.

A strategy is drafted, adopted (becoming the client's one active strategy), later superseded
by another adoption or archived. Superseded and archived strategies are read-only.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain import limits
from domain.goals import Goal, GoalStatus, Principle
from domain.shared import (
    Decision,
    Priority,
    StateConflict,
    TechplanAggregate,
    TechplanCreated,
    TechplanEvent,
    check_room,
    created_fields,
    find,
)

__all__ = ["Goal", "GoalStatus", "Principle", "Strategy", "StrategyStatus"]


class StrategyStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    SUPERSEDED = "superseded"
    ARCHIVED = "archived"


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
            strategy.status = StrategyStatus.DRAFT
            strategy.goals = {}
            strategy.principles = {}

    class GoalAdded(TechplanEvent):
        """A business goal was added to the strategy."""

        goal_id: UUID
        title: str
        description: str | None
        priority: str

        def apply(self, strategy: Strategy) -> None:
            strategy.goals[self.goal_id] = Goal(
                id=self.goal_id,
                title=self.title,
                description=self.description,
                priority=Priority(self.priority),
            )

    class GoalRetitled(TechplanEvent):
        """A goal's title or description was reworded."""

        goal_id: UUID
        title: str
        description: str | None

        def apply(self, strategy: Strategy) -> None:
            strategy._change(self.goal_id, title=self.title, description=self.description)

    class GoalReprioritized(TechplanEvent):
        """A goal's priority changed."""

        goal_id: UUID
        priority: str

        def apply(self, strategy: Strategy) -> None:
            strategy._change(self.goal_id, priority=Priority(self.priority))

    class GoalRetired(TechplanEvent):
        """A goal was retired: initiatives no longer align with it."""

        goal_id: UUID

        def apply(self, strategy: Strategy) -> None:
            strategy._change(self.goal_id, status=GoalStatus.RETIRED)

    class PrincipleAdded(TechplanEvent):
        """A guiding principle was added."""

        principle_id: UUID
        statement: str

        def apply(self, strategy: Strategy) -> None:
            strategy.principles[self.principle_id] = Principle(
                id=self.principle_id, statement=self.statement
            )

    class Adopted(TechplanEvent):
        """The strategy was adopted: it is the client's active strategy."""

        def apply(self, strategy: Strategy) -> None:
            strategy.status = StrategyStatus.ACTIVE

    class Superseded(TechplanEvent):
        """Another strategy was adopted in this one's place."""

        superseded_by: UUID

        def apply(self, strategy: Strategy) -> None:
            strategy.status = StrategyStatus.SUPERSEDED

    class Archived(TechplanEvent):
        """The strategy was archived."""

        def apply(self, strategy: Strategy) -> None:
            strategy.status = StrategyStatus.ARCHIVED

    title: str
    vision: str | None
    status: StrategyStatus
    goals: dict[UUID, Goal]  # by id, in the order they were added
    principles: dict[UUID, Principle]

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
            raise StateConflict(f"a {self.status.value} strategy is read-only")

    def _change(self, goal_id: UUID, **changes: Any) -> None:
        self.goals[goal_id] = replace(self.goal(goal_id), **changes)

    # ------------------------------------------------------------ queries

    def goal(self, goal_id: UUID | str) -> Goal:
        return find(self.goals, goal_id, "goal")

    def active_goal_ids(self) -> set[UUID]:
        return {g.id for g in self.goals.values() if g.status is GoalStatus.ACTIVE}

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
        check_room(len(self.goals), limits.GOALS_PER_STRATEGY, "goals in a strategy")
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
        goal = self.goal(goal_id)
        if goal.status is GoalStatus.RETIRED:
            raise StateConflict("a retired goal cannot change")
        new_title = goal.title if title is None else title
        new_description = goal.description if description is None else description
        if (new_title, new_description) != (goal.title, goal.description):
            self._record(
                self.GoalRetitled,
                by,
                goal_id=goal_id,
                title=new_title,
                description=new_description,
            )
        if priority is not None and Priority(priority) is not goal.priority:
            self._record(
                self.GoalReprioritized, by, goal_id=goal_id, priority=Priority(priority).value
            )

    def retire_goal(self, goal_id: UUID, by: Decision) -> None:
        self._require_rationale(by)
        self._require_editable()
        if self.goal(goal_id).status is GoalStatus.RETIRED:
            raise StateConflict("the goal is already retired")
        self._record(self.GoalRetired, by, goal_id=goal_id)

    def add_principle(self, *, principle_id: UUID, statement: str, by: Decision) -> None:
        self._require_editable()
        check_room(len(self.principles), limits.PRINCIPLES_PER_STRATEGY, "principles in a strategy")
        self._record(self.PrincipleAdded, by, principle_id=principle_id, statement=statement)

    def adopt(self, by: Decision) -> None:
        self._require_rationale(by)
        if self.status is not StrategyStatus.DRAFT:
            raise StateConflict(
                f"only a draft strategy can be adopted, this one is {self.status.value}"
            )
        self._record(self.Adopted, by)

    def supersede(self, superseded_by: UUID, by: Decision) -> None:
        if self.status is not StrategyStatus.ACTIVE:
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
            "status": self.status.value,
            "goals": [g.as_dict() for g in self.goals.values()],
            "principles": [p.as_dict() for p in self.principles.values()],
            "version": self.version,
        }

    def primitive_state(self) -> dict[str, Any]:
        state = super().primitive_state()
        state["status"] = self.status.value
        state["goals"] = [g.as_dict() for g in self.goals.values()]
        state["principles"] = [p.as_dict() for p in self.principles.values()]
        return state

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["status"] = StrategyStatus(state["status"])
        goals = (Goal.from_dict(g) for g in state["goals"])
        state["goals"] = {g.id: g for g in goals}
        principles = (Principle.from_dict(p) for p in state["principles"])
        state["principles"] = {p.id: p for p in principles}
