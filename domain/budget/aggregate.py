"""A client's budget for one fiscal year: planned lines per quarter, and actual spending.

Lines are drafted, the budget is submitted and approved (or rejected back to draft), and
actual spending is recorded against the approved lines. Amending an approved budget means
reopening it as a draft; closing it ends the year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

from domain import limits
from domain.budget.lines import (
    MOVES_FROM,
    Actual,
    BudgetLine,
    BudgetStatus,
    LineKind,
    checked_amount,
    checked_initiative,
    checked_kind,
    checked_line,
    checked_quarter,
    primitive_items,
    typed_items,
)
from domain.budget.view import budget_totals, budget_view
from domain.calendar import FiscalQuarter, FiscalYear
from domain.category import Category
from domain.shared import (
    UNSET,
    Decision,
    Money,
    StateConflict,
    TechplanAggregate,
    TechplanCreated,
    TechplanEvent,
    Unset,
    check_room,
    created_fields,
    find,
    rfc3339,
)


class Budget(TechplanAggregate):
    aggregate_type = "budget"

    class Created(TechplanCreated):
        """A budget was opened for one of the client's fiscal years."""

        fiscal_year: int
        currency: str
        plan_id: UUID | None
        title: str | None

        def apply(self, budget: Budget) -> None:
            budget.tenant_id = self.tenant_id
            budget.client_id = self.client_id
            budget.fiscal_year = self.fiscal_year
            budget.currency = self.currency
            budget.plan_id = self.plan_id
            budget.title = self.title
            budget.status = BudgetStatus.DRAFT
            budget.lines = {}
            budget.actuals = {}

    class LineAdded(TechplanEvent):
        """A line was added to the budget."""

        line_id: UUID
        category: str
        quarter: str
        amount_minor: int
        kind: str
        initiative_id: UUID | None
        description: str | None

        def apply(self, budget: Budget) -> None:
            budget.lines[self.line_id] = BudgetLine(
                id=self.line_id,
                category=Category(self.category),
                quarter=budget._quarter(self.quarter),
                amount=Money(self.amount_minor, budget.currency),
                kind=LineKind(self.kind),
                initiative_id=self.initiative_id,
                description=self.description,
            )

    class LineReestimated(TechplanEvent):
        """A line's planned amount changed."""

        line_id: UUID
        amount_minor: int

        def apply(self, budget: Budget) -> None:
            budget._change(self.line_id, amount=Money(self.amount_minor, budget.currency))

    class LineRescheduled(TechplanEvent):
        """A line was moved to another quarter."""

        line_id: UUID
        quarter: str

        def apply(self, budget: Budget) -> None:
            budget._change(self.line_id, quarter=budget._quarter(self.quarter))

    class LineRecategorized(TechplanEvent):
        """A line was put in another category."""

        line_id: UUID
        category: str

        def apply(self, budget: Budget) -> None:
            budget._change(self.line_id, category=Category(self.category))

    class LineReclassified(TechplanEvent):
        """A line changed between capital and operating expense."""

        line_id: UUID
        kind: str

        def apply(self, budget: Budget) -> None:
            budget._change(self.line_id, kind=LineKind(self.kind))

    class LineRelinked(TechplanEvent):
        """A line now pays for another initiative of the plan, or for none (null)."""

        line_id: UUID
        initiative_id: UUID | None

        def apply(self, budget: Budget) -> None:
            budget._change(self.line_id, initiative_id=self.initiative_id)

    class LineRedescribed(TechplanEvent):
        """A line's description changed."""

        line_id: UUID
        description: str | None

        def apply(self, budget: Budget) -> None:
            budget._change(self.line_id, description=self.description)

    class LineRemoved(TechplanEvent):
        """A line was removed from the budget."""

        line_id: UUID

        def apply(self, budget: Budget) -> None:
            del budget.lines[self.line_id]

    class Submitted(TechplanEvent):
        """The draft budget was submitted for approval."""

        def apply(self, budget: Budget) -> None:
            budget.status = BudgetStatus.SUBMITTED

    class Approved(TechplanEvent):
        """The submitted budget was approved."""

        def apply(self, budget: Budget) -> None:
            budget.status = BudgetStatus.APPROVED

    class Rejected(TechplanEvent):
        """The submitted budget was rejected and is a draft again."""

        def apply(self, budget: Budget) -> None:
            budget.status = BudgetStatus.DRAFT

    class Reopened(TechplanEvent):
        """The approved budget was reopened as a draft, to be amended."""

        def apply(self, budget: Budget) -> None:
            budget.status = BudgetStatus.DRAFT

    class Closed(TechplanEvent):
        """The approved budget was closed: its year is over."""

        def apply(self, budget: Budget) -> None:
            budget.status = BudgetStatus.CLOSED

    class ActualRecorded(TechplanEvent):
        """Actual spending (or a credit, if negative) was recorded against a line."""

        actual_id: UUID
        line_id: UUID
        amount_minor: int
        note: str | None
        recorded_at: str

        def apply(self, budget: Budget) -> None:
            budget.actuals[self.actual_id] = Actual(
                id=self.actual_id,
                line_id=self.line_id,
                amount=Money(self.amount_minor, budget.currency),
                note=self.note,
                recorded_at=datetime.fromisoformat(self.recorded_at),
            )

    fiscal_year: int
    currency: str
    plan_id: UUID | None
    title: str | None
    status: BudgetStatus
    lines: dict[UUID, BudgetLine]  # by id, in the order they were added
    actuals: dict[UUID, Actual]

    @classmethod
    def create(
        cls,
        *,
        id: UUID,
        tenant_id: UUID,
        client_id: UUID,
        fiscal_year: int,
        currency: str,
        plan_id: UUID | None = None,
        title: str | None = None,
        by: Decision,
    ) -> Budget:
        FiscalYear(fiscal_year)
        Money.zero(currency)
        return cls._create(
            cls.Created,
            id=id,
            fiscal_year=fiscal_year,
            currency=currency,
            plan_id=plan_id,
            title=title,
            **created_fields(tenant_id, client_id, by),
        )

    # ------------------------------------------------------------ queries

    def line(self, line_id: UUID | str) -> BudgetLine:
        return find(self.lines, line_id, "budget line")

    def totals(self) -> dict[str, Any]:
        return budget_totals(self.lines, self.actuals.values(), self.currency)

    def view(self) -> dict[str, Any]:
        return budget_view(self)

    def primitive_state(self) -> dict[str, Any]:
        state = super().primitive_state()
        state["status"] = self.status.value
        return state | primitive_items(self.lines, self.actuals)

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["status"] = BudgetStatus(state["status"])
        state.update(typed_items(state, FiscalYear(state["fiscal_year"]), state["currency"]))

    # ------------------------------------------------------------ lines

    def add_line(
        self,
        *,
        line_id: UUID,
        category: Category | str,
        quarter: str,
        amount_minor: int,
        kind: LineKind | str,
        initiative_id: UUID | None = None,
        description: str | None = None,
        plan_initiative_ids: Iterable[UUID | str] | None = None,
        by: Decision,
    ) -> None:
        """Add a planned line; `plan_initiative_ids` are the initiatives of the budget's plan
        that `initiative_id` may name."""
        self._require_draft()
        if line_id in self.lines:
            raise StateConflict("the budget already has a line with this id")
        check_room(len(self.lines), limits.LINES_PER_BUDGET, "lines in a budget")
        iid = checked_initiative(initiative_id, self.plan_id, plan_initiative_ids)
        self._record(
            self.LineAdded,
            by,
            line_id=line_id,
            category=Category.parse(category).value,
            quarter=checked_quarter(quarter),
            amount_minor=checked_amount(amount_minor),
            kind=checked_kind(kind).value,
            initiative_id=iid,
            description=description,
        )

    def update_line(
        self,
        line_id: UUID,
        *,
        category: Category | str | None = None,
        quarter: str | None = None,
        amount_minor: int | None = None,
        kind: LineKind | str | None = None,
        initiative_id: UUID | Unset | None = UNSET,
        description: str | Unset | None = UNSET,
        plan_initiative_ids: Iterable[UUID | str] | None = None,
        by: Decision,
    ) -> None:
        """Change what is given (None for initiative_id or description means "set to null"):
        one event per kind of change, and none when nothing changes."""
        self._require_rationale(by)
        self._require_draft()
        line = self.line(line_id)
        # Check everything before recording anything, so a bad field leaves no half-update.
        changes: list[tuple[type[TechplanEvent], dict[str, Any]]] = []
        if amount_minor is not None and checked_amount(amount_minor) != line.amount.amount_minor:
            changes.append((self.LineReestimated, {"amount_minor": amount_minor}))
        if quarter is not None and checked_quarter(quarter) != line.quarter.label:
            changes.append((self.LineRescheduled, {"quarter": quarter}))
        if category is not None and (new := Category.parse(category)) != line.category:
            changes.append((self.LineRecategorized, {"category": new.value}))
        if kind is not None and (new_kind := checked_kind(kind)) != line.kind:
            changes.append((self.LineReclassified, {"kind": new_kind.value}))
        if initiative_id is not UNSET:
            iid = checked_initiative(initiative_id, self.plan_id, plan_initiative_ids)
            if iid != line.initiative_id:
                changes.append((self.LineRelinked, {"initiative_id": iid}))
        if description is not UNSET and description != line.description:
            changes.append((self.LineRedescribed, {"description": description}))
        for event_class, fields in changes:
            self._record(event_class, by, line_id=line_id, **fields)

    def remove_line(self, line_id: UUID, by: Decision) -> None:
        self._require_rationale(by)
        self._require_draft()
        self.line(line_id)
        if any(actual.line_id == line_id for actual in self.actuals.values()):
            raise StateConflict("actual spending is recorded against this line")
        self._record(self.LineRemoved, by, line_id=line_id)

    # ------------------------------------------------------------ actuals

    def record_actual(
        self,
        *,
        actual_id: UUID,
        line_id: UUID | str,
        amount_minor: int,
        note: str | None = None,
        by: Decision,
    ) -> None:
        """Record spending on an approved budget's line; a negative amount is a credit.
        It is recorded at the decision's time."""
        if self.status is not BudgetStatus.APPROVED:
            raise StateConflict(
                f"actuals are recorded on approved budgets, this one is {self.status.value}"
            )
        if actual_id in self.actuals:
            raise StateConflict("the budget already has an actual with this id")
        check_room(len(self.actuals), limits.ACTUALS_PER_BUDGET, "actuals in a budget")
        self._record(
            self.ActualRecorded,
            by,
            actual_id=actual_id,
            line_id=checked_line(line_id, self.lines),
            amount_minor=checked_amount(amount_minor, may_be_negative=True),
            note=note,
            recorded_at=rfc3339(by.at),
        )

    # ------------------------------------------------------------ status

    def submit(self, by: Decision) -> None:
        self._move("submit", self.Submitted, by)

    def approve(self, by: Decision) -> None:
        self._move("approve", self.Approved, by)

    def reject(self, by: Decision) -> None:
        self._move("reject", self.Rejected, by)

    def reopen(self, by: Decision) -> None:
        self._move("reopen", self.Reopened, by)

    def close(self, by: Decision) -> None:
        self._move("close", self.Closed, by)

    # ------------------------------------------------------------ rules

    def _require_draft(self) -> None:
        if self.status is not BudgetStatus.DRAFT:
            raise StateConflict(f"lines change only in a draft budget, this one is {self.status}")

    def _move(self, action: str, event_class: type[TechplanEvent], by: Decision) -> None:
        self._require_rationale(by)
        if self.status is not MOVES_FROM[action]:
            raise StateConflict(f"cannot {action} a budget that is {self.status.value}")
        self._record(event_class, by)

    def _quarter(self, label: str) -> FiscalQuarter:
        return FiscalYear(self.fiscal_year).quarter_labelled(label)

    def _change(self, line_id: UUID, **changes: Any) -> None:
        self.lines[line_id] = replace(self.line(line_id), **changes)
