"""Fiscal years and quarters of a client's calendar, and Money sums."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.calendar import FiscalQuarter, FiscalYear
from domain.category import Category
from domain.shared import Money, RuleViolation

months = st.integers(min_value=1, max_value=12)
quarters = st.builds(FiscalQuarter, st.integers(min_value=1901, max_value=9999), st.integers(1, 4))
days = st.dates(min_value=date(1902, 1, 1), max_value=date(9998, 12, 31))


# ---------------------------------------------------------------- examples from API.md


def test_july_start_fy2027_runs_from_july_2026_to_june_2027() -> None:
    fy = FiscalYear(2027)
    assert fy.starts_on(7) == date(2026, 7, 1)
    assert fy.ends_on(7) == date(2027, 6, 30)


def test_january_start_fiscal_year_is_the_calendar_year() -> None:
    assert FiscalYear(2027).starts_on(1) == date(2027, 1, 1)
    assert FiscalYear(2027).ends_on(1) == date(2027, 12, 31)


def test_quarter_dates_follow_the_start_month() -> None:
    q2 = FiscalQuarter.parse("FY2027-Q2")
    assert (q2.starts_on(7), q2.ends_on(7)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert (q2.starts_on(1), q2.ends_on(1)) == (date(2027, 4, 1), date(2027, 6, 30))
    q1 = FiscalQuarter(2025, 1)
    assert (q1.starts_on(2), q1.ends_on(2)) == (date(2024, 2, 1), date(2024, 4, 30))
    assert FiscalQuarter(2024, 4).ends_on(12) == date(2024, 11, 30)


def test_the_fiscal_year_containing_a_date() -> None:
    assert FiscalYear.containing(date(2026, 7, 1), 7) == FiscalYear(2027)
    assert FiscalYear.containing(date(2026, 6, 30), 7) == FiscalYear(2026)
    assert FiscalYear.containing(date(2026, 12, 31), 1) == FiscalYear(2026)
    assert FiscalQuarter.containing(date(2026, 7, 1), 7) == FiscalQuarter(2027, 1)
    assert FiscalQuarter.containing(date(2027, 6, 30), 7) == FiscalQuarter(2027, 4)


def test_quarters_order_across_years_and_range_includes_both_ends() -> None:
    first, last = FiscalQuarter.parse("FY2027-Q3"), FiscalQuarter.parse("FY2028-Q2")
    assert FiscalQuarter(2026, 4) < first < FiscalQuarter(2027, 4) < last
    assert [str(q) for q in FiscalQuarter.range(first, last)] == [
        "FY2027-Q3",
        "FY2027-Q4",
        "FY2028-Q1",
        "FY2028-Q2",
    ]
    assert list(FiscalQuarter.range(last, first)) == []
    assert FiscalQuarter(2027, 4).next() == FiscalQuarter(2028, 1)
    assert FiscalQuarter(2028, 1).previous() == FiscalQuarter(2027, 4)


def test_budget_quarter_labels_name_quarters_of_the_year() -> None:
    assert FiscalYear(2027).quarter_labelled("Q3") == FiscalQuarter(2027, 3)
    assert FiscalQuarter(2027, 3).label == "Q3"
    assert [q.label for q in FiscalYear(2027).quarters()] == ["Q1", "Q2", "Q3", "Q4"]
    with pytest.raises(RuleViolation) as error:
        FiscalYear(2027).quarter_labelled("Q5")
    assert error.value.field == "quarter"


@pytest.mark.parametrize(
    "text", ["FY2027-Q5", "FY2027-Q0", "fy2027-q1", "FY27-Q1", "2027-Q1", " FY2027-Q1", ""]
)
def test_a_malformed_quarter_is_a_rule_violation_on_its_field(text: str) -> None:
    with pytest.raises(RuleViolation) as error:
        FiscalQuarter.parse(text, field="target_quarter")
    assert error.value.field == "target_quarter"


@pytest.mark.parametrize("month", [0, 13, -1])
def test_a_start_month_outside_1_to_12_is_refused(month: int) -> None:
    with pytest.raises(RuleViolation) as error:
        FiscalQuarter(2027, 1).starts_on(month)
    assert error.value.field == "fiscal_year_start_month"


def test_the_last_representable_quarter_ends_on_a_real_date() -> None:
    assert FiscalQuarter(9999, 4).ends_on(1) == date(9999, 12, 31)
    assert list(FiscalQuarter.range(FiscalQuarter(9999, 4), FiscalQuarter(9999, 4))) == [
        FiscalQuarter(9999, 4)
    ]


def test_categories_are_the_ones_api_md_lists() -> None:
    assert [c.value for c in Category] == [
        "hardware",
        "software",
        "security",
        "backup_dr",
        "network",
        "cloud",
        "compliance",
        "training",
        "other",
    ]
    with pytest.raises(RuleViolation):
        Category.parse("furniture")


# ---------------------------------------------------------------- properties


@given(quarters)
def test_parse_and_print_round_trip(quarter: FiscalQuarter) -> None:
    assert FiscalQuarter.parse(str(quarter)) == quarter
    assert FiscalYear.parse(str(quarter.fiscal_year)) == quarter.fiscal_year


@given(quarters, quarters, months)
def test_ordering_agrees_with_start_dates(a: FiscalQuarter, b: FiscalQuarter, month: int) -> None:
    assert (a < b) == (a.starts_on(month) < b.starts_on(month))
    assert (a == b) == (a.starts_on(month) == b.starts_on(month))


@given(days, months)
def test_every_date_falls_in_exactly_one_quarter(day: date, month: int) -> None:
    quarter = FiscalQuarter.containing(day, month)
    assert quarter.starts_on(month) <= day <= quarter.ends_on(month)
    for other in (quarter.previous(), quarter.next()):
        assert not other.contains(day, month)
    assert quarter.fiscal_year == FiscalYear.containing(day, month)
    assert quarter.fiscal_year.ends_on(month).year == quarter.year


@given(st.integers(min_value=1902, max_value=9998), months)
def test_quarters_tile_the_fiscal_year_without_gaps(year: int, month: int) -> None:
    fy = FiscalYear(year)
    qs = fy.quarters()
    assert qs[0].starts_on(month) == fy.starts_on(month)
    assert qs[-1].ends_on(month) == fy.ends_on(month)
    for earlier, later in pairwise(qs):
        assert earlier.ends_on(month) + timedelta(days=1) == later.starts_on(month)
    assert fy.ends_on(month) + timedelta(days=1) == fy.next().starts_on(month)
    assert 365 <= (fy.ends_on(month) - fy.starts_on(month)).days + 1 <= 366


@given(quarters.filter(lambda q: q < FiscalQuarter(9999, 4)))
def test_next_is_the_quarter_after_and_previous_undoes_it(quarter: FiscalQuarter) -> None:
    assert quarter < quarter.next()
    assert quarter.next().previous() == quarter
    assert list(FiscalQuarter.range(quarter, quarter.next())) == [quarter, quarter.next()]


amounts = st.lists(st.integers(min_value=-(10**15), max_value=10**15), max_size=30)


@given(amounts, amounts)
def test_money_total_is_the_integer_sum_and_splits_freely(xs: list[int], ys: list[int]) -> None:
    total = Money.total((Money(x, "EUR") for x in xs + ys), "EUR")
    assert total == Money(sum(xs) + sum(ys), "EUR")
    assert total == Money.total(
        [
            Money.total((Money(x, "EUR") for x in xs), "EUR"),
            Money.total((Money(y, "EUR") for y in ys), "EUR"),
        ],
        "EUR",
    )
    assert isinstance(total.amount_minor, int)


@given(amounts)
def test_money_total_of_another_currency_is_refused(xs: list[int]) -> None:
    with pytest.raises(RuleViolation):
        Money.total([*(Money(x, "EUR") for x in xs), Money(1, "USD")], "EUR")


def test_money_from_dict_names_the_bad_member() -> None:
    assert Money.from_dict({"amount_minor": 5, "currency": "EUR"}, field="x") == Money(5, "EUR")
    for data, field in [
        ({"amount_minor": 1.5, "currency": "EUR"}, "cost.amount_minor"),
        ({"amount_minor": 1, "currency": "eur"}, "cost.currency"),
        ({"currency": "EUR"}, "cost.amount_minor"),
        ("5 EUR", "cost"),
    ]:
        with pytest.raises(RuleViolation) as error:
            Money.from_dict(data, field="cost")
        assert error.value.field == field
