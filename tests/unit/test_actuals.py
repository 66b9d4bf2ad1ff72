"""Budgets: actual spending against approved lines, and the totals of planned, actual and
variance. Given these events, when this command, then these events or this error."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.budget import Actual, BudgetLine, LineKind, budget_totals
from domain.calendar import FiscalYear
from domain.category import Category
from domain.shared import Money, RuleViolation, StateConflict
from tests.unit.test_budget import (
    APPROVED,
    AT,
    CLOSED,
    DRAFT,
    SUBMITTED,
    B,
    Step,
    a_budget,
    add_line,
    approve,
    by,
    eur,
    figures,
    given_budget,
    submit,
    then,
)

# ---------------------------------------------------------------- actuals


def test_actuals_are_recorded_on_approved_lines_at_the_decision_time(replay: Any) -> None:
    budget = a_budget()
    line_id = add_line(budget)
    submit(budget)
    approve(budget)
    actual_id = uuid4()
    at = datetime(2027, 3, 1, 10, 30, 0, 123456, tzinfo=timezone(timedelta(hours=1)))
    budget.record_actual(
        actual_id=actual_id,
        line_id=line_id,
        amount_minor=480_000,
        note="Invoice 17",
        by=by(None, at),
    )
    events = then(budget)
    recorded = events[-1]
    assert isinstance(recorded, B.ActualRecorded)
    assert recorded.type_name() == "budget.actual_recorded"
    assert budget.view()["actuals"] == [
        {
            "id": str(actual_id),
            "line_id": str(line_id),
            "amount_minor": 480_000,
            "note": "Invoice 17",
            "recorded_at": "2027-03-01T09:30:00.123456Z",
        }
    ]
    assert replay(events).view() == budget.view()


def test_a_credit_note_is_a_negative_actual() -> None:
    budget, line_id = given_budget(*APPROVED)
    budget.record_actual(actual_id=uuid4(), line_id=line_id, amount_minor=-20_000, by=by(None))
    assert budget.totals()["actual"] == eur(-20_000)
    assert budget.totals()["variance"] == eur(520_000)


@pytest.mark.parametrize("steps", [DRAFT, SUBMITTED, CLOSED])
def test_actuals_only_on_approved_budgets(steps: tuple[Step, ...]) -> None:
    budget, line_id = given_budget(*steps)
    with pytest.raises(StateConflict):
        budget.record_actual(actual_id=uuid4(), line_id=line_id, amount_minor=1, by=by())


def test_an_actual_names_a_line_of_the_budget() -> None:
    budget, _ = given_budget(*APPROVED)
    with pytest.raises(RuleViolation) as error:
        budget.record_actual(actual_id=uuid4(), line_id=uuid4(), amount_minor=1, by=by())
    assert error.value.field == "line_id"
    with pytest.raises(RuleViolation) as error:
        budget.record_actual(actual_id=uuid4(), line_id="nope", amount_minor=1, by=by())
    assert error.value.field == "line_id"


# ---------------------------------------------------------------- totals


def test_totals_by_quarter_category_and_kind() -> None:
    budget = a_budget()
    laptops = add_line(budget, category="hardware", quarter="Q1", amount_minor=500_000)
    add_line(budget, category="hardware", quarter="Q3", amount_minor=200_000)
    m365 = add_line(budget, category="software", quarter="Q1", amount_minor=90_000, kind="opex")
    submit(budget)
    approve(budget)
    budget.record_actual(actual_id=uuid4(), line_id=laptops, amount_minor=510_000, by=by())
    budget.record_actual(actual_id=uuid4(), line_id=m365, amount_minor=30_000, by=by())
    budget.record_actual(actual_id=uuid4(), line_id=m365, amount_minor=-5_000, by=by())
    assert budget.totals() == {
        **figures(790_000, 535_000),
        "by_quarter": {
            "Q1": figures(590_000, 535_000),
            "Q2": figures(0, 0),
            "Q3": figures(200_000, 0),
            "Q4": figures(0, 0),
        },
        "by_category": {"hardware": figures(700_000, 510_000), "software": figures(90_000, 25_000)},
        "by_kind": {"capex": figures(700_000, 510_000), "opex": figures(90_000, 25_000)},
    }
    assert budget.view()["totals"] == budget.totals()


lines_and_actuals = st.lists(
    st.tuples(
        st.sampled_from(["Q1", "Q2", "Q3", "Q4"]),
        st.sampled_from(["hardware", "cloud", "training"]),
        st.integers(min_value=0, max_value=10**12),
        st.lists(st.integers(min_value=-(10**12), max_value=10**12), max_size=4),
    ),
    max_size=12,
)


@given(lines_and_actuals)
def test_totals_add_up_however_they_are_split(rows: list[tuple[str, str, int, list[int]]]) -> None:
    lines: dict[UUID, BudgetLine] = {}
    actuals: list[Actual] = []
    year = FiscalYear(2027)
    for n, (quarter, category, amount, spent) in enumerate(rows):
        line = BudgetLine(
            id=uuid4(),
            category=Category(category),
            quarter=year.quarter_labelled(quarter),
            amount=Money(amount, "USD"),
            kind=LineKind.CAPEX if n % 2 else LineKind.OPEX,
            initiative_id=None,
            description=None,
        )
        lines[line.id] = line
        actuals += [
            Actual(id=uuid4(), line_id=line.id, amount=Money(a, "USD"), note=None, recorded_at=AT)
            for a in spent
        ]
    totals = budget_totals(lines, actuals, "USD")
    for split in ("by_quarter", "by_category", "by_kind"):
        for figure in ("planned", "actual", "variance"):
            parts = [cell[figure]["amount_minor"] for cell in totals[split].values()]
            assert sum(parts) == totals[figure]["amount_minor"]
            assert all(type(p) is int for p in parts)
    planned = sum(line.amount.amount_minor for line in lines.values())
    assert totals["planned"]["amount_minor"] == planned
    assert totals["actual"]["amount_minor"] == sum(a.amount.amount_minor for a in actuals)
    assert totals["variance"]["amount_minor"] == (
        totals["planned"]["amount_minor"] - totals["actual"]["amount_minor"]
    )
    assert list(totals["by_quarter"]) == ["Q1", "Q2", "Q3", "Q4"]
    assert {
        m["currency"]
        for split in ("by_quarter", "by_category", "by_kind")
        for c in totals[split].values()
        for m in c.values()
    } == {"USD"}
