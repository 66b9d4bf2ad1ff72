"""What an initiative costs: once, and per period for as long as it runs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from domain.shared import Money, RuleViolation


class Period(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    @property
    def per_year(self) -> int:
        return {"month": 12, "quarter": 4, "year": 1}[self.value]


@dataclass(frozen=True)
class RecurringCost:
    """`amount_minor` per unit and period, times `quantity` units (seats, devices...)."""

    amount_minor: int
    currency: str
    per: Period
    quantity: int = 1

    def __post_init__(self) -> None:
        Money(self.amount_minor, self.currency)  # the same type checks as any money
        try:
            object.__setattr__(self, "per", Period(self.per))
        except ValueError:
            raise RuleViolation("per is one of month, quarter, year", field="per") from None
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int):
            raise RuleViolation("quantity must be an integer", field="quantity")

    @classmethod
    def from_dict(cls, data: Any, *, field: str = "recurring_cost") -> RecurringCost:
        """From its JSON shape; errors name the member, e.g. `recurring_cost.quantity`."""
        if not isinstance(data, Mapping):
            raise RuleViolation(
                "a recurring cost is {amount_minor, currency, per, quantity}", field=field
            )
        for key in ("amount_minor", "currency", "per"):
            if key not in data:
                raise RuleViolation(f"{key} is required", field=f"{field}.{key}")
        if not isinstance(data["currency"], str):
            raise RuleViolation("currency must be an ISO 4217 code", field=f"{field}.currency")
        try:
            return cls(
                amount_minor=data["amount_minor"],
                currency=data["currency"],
                per=data["per"],
                quantity=data.get("quantity", 1),
            )
        except RuleViolation as error:
            raise RuleViolation(error.message, field=f"{field}.{error.field}") from None

    @property
    def per_period(self) -> Money:
        return Money(self.amount_minor * self.quantity, self.currency)

    def annual_run_rate(self) -> Money:
        """What it adds per year: month x12, quarter x4, year x1, times quantity."""
        return self.per_period * self.per.per_year

    def as_dict(self) -> dict[str, Any]:
        return {
            "amount_minor": self.amount_minor,
            "currency": self.currency,
            "per": self.per.value,
            "quantity": self.quantity,
        }


def annual_run_rate(recurring_cost: Mapping[str, Any] | None, currency: str) -> Money:
    """The run-rate of a recurring cost as a view or an event holds it (None costs nothing)."""
    if recurring_cost is None:
        return Money.zero(currency)
    return RecurringCost.from_dict(recurring_cost).annual_run_rate()


def checked_one_time_cost(cost: Money | None, currency: str) -> Money | None:
    if cost is not None:
        _check_amount(cost.amount_minor, cost.currency, currency, "one_time_cost")
    return cost


def checked_recurring_cost(cost: RecurringCost | None, currency: str) -> RecurringCost | None:
    if cost is None:
        return None
    _check_amount(cost.amount_minor, cost.currency, currency, "recurring_cost")
    if cost.quantity < 1:
        raise RuleViolation("quantity is at least 1", field="recurring_cost.quantity")
    return cost


def cost_fields(one_time: Money | None, recurring: RecurringCost | None) -> dict[str, Any]:
    """The costs as events carry them."""
    return {
        "one_time_cost": None if one_time is None else one_time.as_dict(),
        "recurring_cost": None if recurring is None else recurring.as_dict(),
    }


def _check_amount(amount_minor: int, currency: str, client_currency: str, field: str) -> None:
    if currency != client_currency:
        raise RuleViolation(
            f"costs are in the client's currency, {client_currency}", field=f"{field}.currency"
        )
    if amount_minor < 0:
        raise RuleViolation("a cost is not negative", field=f"{field}.amount_minor")
