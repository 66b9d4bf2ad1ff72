"""A client company of an MSP: its name, fiscal calendar and currency.

The client also records which of its strategies is active and which budget is open for each
fiscal year. Those rules span several aggregates, and putting the decision on the client makes
them race-free: two concurrent adoptions (or budget creations) both write the client, and the
event store's optimistic concurrency lets only one of them through.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.shared import (
    Decision,
    RuleViolation,
    StateConflict,
    TechplanAggregate,
    TechplanCreated,
    TechplanEvent,
    created_fields,
)


class Client(TechplanAggregate):
    aggregate_type = "client"

    class Created(TechplanCreated):
        """A client company was added."""

        name: str
        fiscal_year_start_month: int
        currency: str

        def apply(self, client: Client) -> None:
            client.tenant_id = self.tenant_id
            client.client_id = self.client_id
            client.name = self.name
            client.fiscal_year_start_month = self.fiscal_year_start_month
            client.currency = self.currency
            client.active_strategy_id = None
            client.open_budgets = {}

    class Renamed(TechplanEvent):
        """The client's name changed."""

        name: str

        def apply(self, client: Client) -> None:
            client.name = self.name

    class FiscalYearChanged(TechplanEvent):
        """The month the client's fiscal year starts in changed."""

        fiscal_year_start_month: int

        def apply(self, client: Client) -> None:
            client.fiscal_year_start_month = self.fiscal_year_start_month

    class StrategyActivated(TechplanEvent):
        """One of the client's strategies became its active strategy."""

        strategy_id: UUID
        previous_strategy_id: UUID | None

        def apply(self, client: Client) -> None:
            client.active_strategy_id = self.strategy_id

    class StrategyDeactivated(TechplanEvent):
        """The client's active strategy was archived: no strategy is active."""

        strategy_id: UUID

        def apply(self, client: Client) -> None:
            client.active_strategy_id = None

    class BudgetOpened(TechplanEvent):
        """A budget was opened for a fiscal year (at most one that is not closed)."""

        budget_id: UUID
        fiscal_year: int

        def apply(self, client: Client) -> None:
            client.open_budgets[self.fiscal_year] = self.budget_id

    class BudgetClosed(TechplanEvent):
        """The fiscal year's budget was closed: another may be opened."""

        budget_id: UUID
        fiscal_year: int

        def apply(self, client: Client) -> None:
            client.open_budgets.pop(self.fiscal_year, None)

    name: str
    fiscal_year_start_month: int
    currency: str
    active_strategy_id: UUID | None
    open_budgets: dict[int, UUID]  # the budget that is not closed, by fiscal year

    @classmethod
    def create(
        cls,
        *,
        id: UUID,
        tenant_id: UUID,
        name: str,
        fiscal_year_start_month: int,
        currency: str,
        by: Decision,
    ) -> Client:
        _check_month(fiscal_year_start_month)
        return cls._create(
            cls.Created,
            id=id,
            name=name,
            fiscal_year_start_month=fiscal_year_start_month,
            currency=currency,
            **created_fields(tenant_id, id, by),
        )

    def update(
        self, *, name: str | None = None, fiscal_year_start_month: int | None = None, by: Decision
    ) -> None:
        self._require_rationale(by)
        if name is not None and name != self.name:
            self._record(self.Renamed, by, name=name)
        if fiscal_year_start_month is not None:
            _check_month(fiscal_year_start_month)
            if fiscal_year_start_month != self.fiscal_year_start_month:
                self._record(
                    self.FiscalYearChanged, by, fiscal_year_start_month=fiscal_year_start_month
                )

    def activate_strategy(self, strategy_id: UUID, by: Decision) -> UUID | None:
        """Record `strategy_id` as active; returns the strategy it replaces, if any."""
        previous = self.active_strategy_id
        if previous == strategy_id:
            raise StateConflict("this strategy is already the client's active strategy")
        self._record(
            self.StrategyActivated, by, strategy_id=strategy_id, previous_strategy_id=previous
        )
        return previous

    def deactivate_strategy(self, strategy_id: UUID, by: Decision) -> None:
        if self.active_strategy_id == strategy_id:
            self._record(self.StrategyDeactivated, by, strategy_id=strategy_id)

    def open_budget(self, budget_id: UUID, fiscal_year: int, by: Decision) -> None:
        if fiscal_year in self.open_budgets:
            raise StateConflict(
                f"the client already has a budget for FY{fiscal_year} that is not closed"
            )
        self._record(self.BudgetOpened, by, budget_id=budget_id, fiscal_year=fiscal_year)

    def close_budget(self, budget_id: UUID, fiscal_year: int, by: Decision) -> None:
        if self.open_budgets.get(fiscal_year) == budget_id:
            self._record(self.BudgetClosed, by, budget_id=budget_id, fiscal_year=fiscal_year)

    def view(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "fiscal_year_start_month": self.fiscal_year_start_month,
            "currency": self.currency,
            "active_strategy_id": str(self.active_strategy_id) if self.active_strategy_id else None,
            "version": self.version,
        }

    def primitive_state(self) -> dict[str, Any]:
        state = super().primitive_state()
        state["open_budgets"] = {str(year): bid for year, bid in self.open_budgets.items()}
        return state

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        # JSON object keys are strings: a snapshot holds the years as text.
        state["open_budgets"] = {int(year): bid for year, bid in state["open_budgets"].items()}


def _check_month(month: int) -> None:
    if not 1 <= month <= 12:
        raise RuleViolation("fiscal_year_start_month must be 1-12", field="fiscal_year_start_month")
