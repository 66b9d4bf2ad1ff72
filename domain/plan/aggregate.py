"""A client's technology plan: the initiatives that carry out its strategy, when, at what cost.

Each change to an initiative is its own event: the history reads as the decisions taken.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any
from uuid import UUID

from domain import limits
from domain.calendar import FiscalQuarter
from domain.category import Category
from domain.plan.changes import initiative_changes
from domain.plan.costs import (
    RecurringCost,
    checked_one_time_cost,
    checked_recurring_cost,
    cost_fields,
)
from domain.plan.initiative import (
    LOCKED,
    MOVES_FROM,
    Initiative,
    InitiativeSource,
    InitiativeStatus,
    checked_deferral,
    checked_goal_ids,
    checked_priority,
    goal_uuids,
    money_of,
    quarter_of,
    quarter_text,
    recurring_of,
)
from domain.shared import (
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
    check_room,
    created_fields,
    find,
    id_text,
)


class TechnologyPlan(TechplanAggregate):
    aggregate_type = "plan"

    class Created(TechplanCreated):
        """A technology plan was started, following one of the client's strategies."""

        title: str
        strategy_id: UUID

        def apply(self, plan: TechnologyPlan) -> None:
            plan.tenant_id = self.tenant_id
            plan.client_id = self.client_id
            plan.title = self.title
            plan.strategy_id = self.strategy_id
            plan.initiatives = {}

    class InitiativeProposed(TechplanEvent):
        """An initiative was proposed (by hand, or from an assessment's finding: `source`)."""

        # Version 2 added `description` and `source`; events stored before hold neither.
        class_version = 2

        initiative_id: UUID
        title: str
        description: str | None
        category: str
        goal_ids: list[str]
        target_quarter: str | None
        one_time_cost: dict[str, Any] | None
        recurring_cost: dict[str, Any] | None
        priority: str
        source: dict[str, str] | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["description"] = None
            state["source"] = None

        def apply(self, plan: TechnologyPlan) -> None:
            plan.initiatives[self.initiative_id] = Initiative(
                id=self.initiative_id,
                title=self.title,
                description=self.description,
                category=Category(self.category),
                goal_ids=goal_uuids(self.goal_ids),
                target_quarter=quarter_of(self.target_quarter),
                one_time_cost=money_of(self.one_time_cost),
                recurring_cost=recurring_of(self.recurring_cost),
                priority=Priority(self.priority),
                source=InitiativeSource.from_dict(self.source),
            )

    class InitiativeRetitled(TechplanEvent):
        """An initiative was renamed."""

        initiative_id: UUID
        title: str

        def apply(self, plan: TechnologyPlan) -> None:
            plan._change(self.initiative_id, title=self.title)

    class InitiativeDescribed(TechplanEvent):
        """An initiative's description (its business case) changed, or was cleared (null)."""

        initiative_id: UUID
        description: str | None

        def apply(self, plan: TechnologyPlan) -> None:
            plan._change(self.initiative_id, description=self.description)

    class InitiativeRecategorized(TechplanEvent):
        """An initiative was put in another category."""

        initiative_id: UUID
        category: str

        def apply(self, plan: TechnologyPlan) -> None:
            plan._change(self.initiative_id, category=Category(self.category))

    class InitiativeRealigned(TechplanEvent):
        """The strategy goals an initiative serves changed."""

        initiative_id: UUID
        goal_ids: list[str]

        def apply(self, plan: TechnologyPlan) -> None:
            plan._change(self.initiative_id, goal_ids=goal_uuids(self.goal_ids))

    class InitiativeRescheduled(TechplanEvent):
        """An initiative was moved to another quarter, or unscheduled (null)."""

        initiative_id: UUID
        target_quarter: str | None

        def apply(self, plan: TechnologyPlan) -> None:
            plan._change(self.initiative_id, target_quarter=quarter_of(self.target_quarter))

    class InitiativeReestimated(TechplanEvent):
        """An initiative's one-time or recurring cost estimate changed."""

        initiative_id: UUID
        one_time_cost: dict[str, Any] | None
        recurring_cost: dict[str, Any] | None

        def apply(self, plan: TechnologyPlan) -> None:
            plan._change(
                self.initiative_id,
                one_time_cost=money_of(self.one_time_cost),
                recurring_cost=recurring_of(self.recurring_cost),
            )

    class InitiativeReprioritized(TechplanEvent):
        """An initiative's priority changed."""

        initiative_id: UUID
        priority: str

        def apply(self, plan: TechnologyPlan) -> None:
            plan._change(self.initiative_id, priority=Priority(self.priority))

    class InitiativeApproved(TechplanEvent):
        """An initiative was approved."""

        initiative_id: UUID

        def apply(self, plan: TechnologyPlan) -> None:
            plan._change(self.initiative_id, status=InitiativeStatus.APPROVED)

    class InitiativeStarted(TechplanEvent):
        """Work on an approved initiative started."""

        initiative_id: UUID

        def apply(self, plan: TechnologyPlan) -> None:
            plan._change(self.initiative_id, status=InitiativeStatus.IN_PROGRESS)

    class InitiativeCompleted(TechplanEvent):
        """An initiative was completed."""

        initiative_id: UUID

        def apply(self, plan: TechnologyPlan) -> None:
            plan._change(self.initiative_id, status=InitiativeStatus.DONE)

    class InitiativeDeferred(TechplanEvent):
        """An initiative was deferred to a later quarter and is proposed again."""

        initiative_id: UUID
        target_quarter: str

        def apply(self, plan: TechnologyPlan) -> None:
            plan._change(
                self.initiative_id,
                target_quarter=FiscalQuarter.parse(self.target_quarter),
                status=InitiativeStatus.PROPOSED,
            )

    class InitiativeCancelled(TechplanEvent):
        """An initiative was cancelled."""

        initiative_id: UUID

        def apply(self, plan: TechnologyPlan) -> None:
            plan._change(self.initiative_id, status=InitiativeStatus.CANCELLED)

    title: str
    strategy_id: UUID
    initiatives: dict[UUID, Initiative]  # by id, in the order they were proposed

    @classmethod
    def create(
        cls,
        *,
        id: UUID,
        tenant_id: UUID,
        client_id: UUID,
        title: str,
        strategy_id: UUID,
        by: Decision,
    ) -> TechnologyPlan:
        return cls._create(
            cls.Created,
            id=id,
            title=title,
            strategy_id=strategy_id,
            **created_fields(tenant_id, client_id, by),
        )

    # ------------------------------------------------------------ queries

    def initiative(self, initiative_id: UUID | str) -> Initiative:
        return find(self.initiatives, initiative_id, "initiative")

    def initiative_ids(self) -> set[UUID]:
        return set(self.initiatives)

    def view(self) -> dict[str, Any]:
        return {
            "id": id_text(self.id),
            "client_id": id_text(self.client_id),
            "strategy_id": id_text(self.strategy_id),
            "title": self.title,
            "initiatives": [i.as_dict() for i in self.initiatives.values()],
            "version": self.version,
        }

    def primitive_state(self) -> dict[str, Any]:
        state = super().primitive_state()
        state["initiatives"] = [i.as_dict() for i in self.initiatives.values()]
        return state

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        initiatives = (Initiative.from_dict(i) for i in state["initiatives"])
        state["initiatives"] = {i.id: i for i in initiatives}

    # ------------------------------------------------------------ commands

    def propose_initiative(
        self,
        *,
        initiative_id: UUID,
        title: str,
        category: Category | str,
        goal_ids: Iterable[UUID | str],
        target_quarter: FiscalQuarter | None,
        one_time_cost: Money | None,
        recurring_cost: RecurringCost | None,
        priority: Priority | str,
        currency: str,
        description: str | None = None,
        source: InitiativeSource | None = None,
        strategy_goal_ids: Iterable[UUID | str] | None = None,
        by: Decision,
    ) -> None:
        """Propose an initiative; `strategy_goal_ids`, when given, are the goals it may serve."""
        if initiative_id in self.initiatives:
            raise StateConflict("the plan already has an initiative with this id")
        check_room(len(self.initiatives), limits.INITIATIVES_PER_PLAN, "initiatives in a plan")
        self._record(
            self.InitiativeProposed,
            by,
            initiative_id=initiative_id,
            title=title,
            description=description,
            category=Category.parse(category).value,
            goal_ids=checked_goal_ids(goal_ids, strategy_goal_ids),
            target_quarter=quarter_text(target_quarter),
            priority=checked_priority(priority).value,
            source=None if source is None else source.as_dict(),
            **cost_fields(
                checked_one_time_cost(one_time_cost, currency),
                checked_recurring_cost(recurring_cost, currency),
            ),
        )

    def update_initiative(
        self,
        initiative_id: UUID,
        *,
        title: str | None = None,
        description: str | Unset | None = UNSET,
        category: Category | str | None = None,
        goal_ids: Iterable[UUID | str] | None = None,
        target_quarter: FiscalQuarter | Unset | None = UNSET,
        one_time_cost: Money | Unset | None = UNSET,
        recurring_cost: RecurringCost | Unset | None = UNSET,
        priority: Priority | str | None = None,
        currency: str,
        strategy_goal_ids: Iterable[UUID | str] | None = None,
        by: Decision,
    ) -> None:
        """Change what is given (None for a nullable field means "set to null"): one event per
        kind of change, and none when nothing changes."""
        self._require_rationale(by)
        changes = initiative_changes(
            self._changeable(initiative_id),
            title=title,
            description=description,
            category=category,
            goal_ids=goal_ids,
            target_quarter=target_quarter,
            one_time_cost=one_time_cost,
            recurring_cost=recurring_cost,
            priority=priority,
            currency=currency,
            strategy_goal_ids=strategy_goal_ids,
        )
        for event_name, fields in changes:
            self._record(getattr(self, event_name), by, initiative_id=initiative_id, **fields)

    def approve_initiative(
        self,
        initiative_id: UUID,
        *,
        strategy_status: str,
        active_goal_ids: Iterable[UUID | str],
        by: Decision,
    ) -> None:
        """Approve a proposed initiative. `strategy_status` and `active_goal_ids` describe the
        plan's strategy now: while it is active, the initiative must serve one of its goals."""
        initiative = self._moving(initiative_id, "approve", by)
        if strategy_status == "active" and not initiative.serves_any(active_goal_ids):
            raise RuleViolation(
                "initiative serves no active goal of the adopted strategy", field="goal_ids"
            )
        self._record(self.InitiativeApproved, by, initiative_id=initiative_id)

    def start_initiative(self, initiative_id: UUID, by: Decision) -> None:
        self._moving(initiative_id, "start", by)
        self._record(self.InitiativeStarted, by, initiative_id=initiative_id)

    def complete_initiative(self, initiative_id: UUID, by: Decision) -> None:
        self._moving(initiative_id, "complete", by)
        self._record(self.InitiativeCompleted, by, initiative_id=initiative_id)

    def defer_initiative(
        self, initiative_id: UUID, *, target_quarter: FiscalQuarter | None, by: Decision
    ) -> None:
        """Move a proposed or approved initiative to a later quarter; it is proposed again."""
        initiative = self._moving(initiative_id, "defer", by)
        quarter = str(checked_deferral(initiative.target_quarter, target_quarter))
        self._record(
            self.InitiativeDeferred, by, initiative_id=initiative_id, target_quarter=quarter
        )

    def cancel_initiative(self, initiative_id: UUID, by: Decision) -> None:
        self._moving(initiative_id, "cancel", by)
        self._record(self.InitiativeCancelled, by, initiative_id=initiative_id)

    def _changeable(self, initiative_id: UUID) -> Initiative:
        initiative = self.initiative(initiative_id)
        if initiative.status in LOCKED:
            raise StateConflict(f"a {initiative.status.value} initiative cannot change")
        return initiative

    def _moving(self, initiative_id: UUID, action: str, by: Decision) -> Initiative:
        self._require_rationale(by)
        initiative = self.initiative(initiative_id)
        if initiative.status not in MOVES_FROM[action]:
            raise StateConflict(f"cannot {action} an initiative that is {initiative.status.value}")
        return initiative

    def _change(self, initiative_id: UUID, **changes: Any) -> None:
        self.initiatives[initiative_id] = replace(self.initiative(initiative_id), **changes)
