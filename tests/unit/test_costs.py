"""What an initiative costs: money, recurring costs and their annual run-rate."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.plan import Period, RecurringCost, annual_run_rate
from domain.shared import DomainError, Money

# ---------------------------------------------------------------- costs


def test_recurring_cost_run_rate_per_year() -> None:
    assert RecurringCost(100, "EUR", Period.MONTH, 3).annual_run_rate() == Money(3_600, "EUR")
    assert RecurringCost(100, "EUR", Period.QUARTER).annual_run_rate() == Money(400, "EUR")
    assert RecurringCost(100, "EUR", Period.YEAR, 7).annual_run_rate() == Money(700, "EUR")
    assert annual_run_rate(None, "EUR") == Money(0, "EUR")
    assert annual_run_rate(
        {"amount_minor": 250, "currency": "EUR", "per": "quarter", "quantity": 2}, "EUR"
    ) == Money(2_000, "EUR")


@given(
    st.integers(min_value=0, max_value=10**12),
    st.sampled_from(list(Period)),
    st.integers(min_value=1, max_value=10_000),
)
def test_run_rate_is_an_integer_amount_times_periods_times_quantity(
    amount: int, per: Period, quantity: int
) -> None:
    cost = RecurringCost.from_dict(
        {"amount_minor": amount, "currency": "USD", "per": per.value, "quantity": quantity}
    )
    rate = cost.annual_run_rate()
    assert rate.amount_minor == amount * {"month": 12, "quarter": 4, "year": 1}[per] * quantity
    assert type(rate.amount_minor) is int


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"amount_minor": 1, "currency": "EUR", "per": "week"}, "recurring_cost.per"),
        ({"amount_minor": 1, "currency": "EUR"}, "recurring_cost.per"),
        ({"amount_minor": 1.0, "currency": "EUR", "per": "year"}, "recurring_cost.amount_minor"),
        (
            {"amount_minor": 1, "currency": "EUR", "per": "year", "quantity": "2"},
            "recurring_cost.quantity",
        ),
        (None, "recurring_cost"),
    ],
)
def test_a_malformed_recurring_cost_names_its_member(data: Any, field: str) -> None:
    with pytest.raises(DomainError) as error:
        RecurringCost.from_dict(data)
    assert error.value.field == field
