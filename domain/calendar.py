"""Fiscal years and quarters of a client's calendar.

Fiscal year N is the one that ends in calendar year N: with a fiscal year starting in July,
FY2027 runs from 2026-07-01 to 2027-06-30; starting in January, it is calendar 2027.
A quarter is named by its fiscal year alone (`FY2027-Q2`), so quarters order the same way
whatever the start month; only their dates need the client's `fiscal_year_start_month`.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from domain.shared import RuleViolation

MIN_YEAR = 1901  # FY1901 may start in 1900
MAX_YEAR = 9999  # `date` ends there
QUARTER_LABELS = ("Q1", "Q2", "Q3", "Q4")

_FISCAL_YEAR = re.compile(r"FY(\d{4})")
_FISCAL_QUARTER = re.compile(r"FY(\d{4})-Q([1-4])")


def check_start_month(start_month: int) -> int:
    if isinstance(start_month, bool) or not isinstance(start_month, int):
        raise RuleViolation(
            "fiscal_year_start_month must be an integer", field="fiscal_year_start_month"
        )
    if not 1 <= start_month <= 12:
        raise RuleViolation("fiscal_year_start_month must be 1-12", field="fiscal_year_start_month")
    return start_month


def _check_year(year: int, field: str) -> None:
    if isinstance(year, bool) or not isinstance(year, int):
        raise RuleViolation("a fiscal year is an integer", field=field)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise RuleViolation(f"a fiscal year lies in {MIN_YEAR}-{MAX_YEAR}", field=field)


def _month_start(year: int, month_index: int) -> date:
    """The first day of month `month_index` counted from January of `year` (0-based)."""
    return date(year + month_index // 12, month_index % 12 + 1, 1)


def _fiscal_year_of(day: date, start_month: int) -> int:
    return day.year + 1 if start_month > 1 and day.month >= start_month else day.year


@dataclass(frozen=True, order=True)
class FiscalYear:
    year: int

    def __post_init__(self) -> None:
        _check_year(self.year, "fiscal_year")

    @classmethod
    def parse(cls, text: str, *, field: str = "fiscal_year") -> FiscalYear:
        match = _FISCAL_YEAR.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise RuleViolation("a fiscal year reads like FY2027", field=field)
        year = int(match.group(1))
        _check_year(year, field)
        return cls(year)

    @classmethod
    def containing(cls, day: date, start_month: int) -> FiscalYear:
        return cls(_fiscal_year_of(day, check_start_month(start_month)))

    def __str__(self) -> str:
        return f"FY{self.year:04d}"

    def starts_on(self, start_month: int) -> date:
        return self.quarter(1).starts_on(start_month)

    def ends_on(self, start_month: int) -> date:
        return self.quarter(4).ends_on(start_month)

    def quarter(self, number: int) -> FiscalQuarter:
        return FiscalQuarter(self.year, number)

    def quarter_labelled(self, label: str, *, field: str = "quarter") -> FiscalQuarter:
        """The quarter of this year named `Q1`...`Q4`, as budget lines name them."""
        if label not in QUARTER_LABELS:
            raise RuleViolation("a quarter is one of Q1, Q2, Q3, Q4", field=field)
        return self.quarter(QUARTER_LABELS.index(label) + 1)

    def quarters(self) -> tuple[FiscalQuarter, ...]:
        return tuple(self.quarter(n) for n in range(1, 5))

    def next(self) -> FiscalYear:
        return FiscalYear(self.year + 1)

    def previous(self) -> FiscalYear:
        return FiscalYear(self.year - 1)


@dataclass(frozen=True, order=True)
class FiscalQuarter:
    year: int
    quarter: int

    def __post_init__(self) -> None:
        _check_year(self.year, "quarter")
        if isinstance(self.quarter, bool) or self.quarter not in (1, 2, 3, 4):
            raise RuleViolation("a quarter is numbered 1-4", field="quarter")

    @classmethod
    def parse(cls, text: str, *, field: str = "target_quarter") -> FiscalQuarter:
        match = _FISCAL_QUARTER.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise RuleViolation("a quarter reads like FY2027-Q2", field=field)
        year = int(match.group(1))
        _check_year(year, field)
        return cls(year, int(match.group(2)))

    @classmethod
    def containing(cls, day: date, start_month: int) -> FiscalQuarter:
        check_start_month(start_month)
        return cls(_fiscal_year_of(day, start_month), (day.month - start_month) % 12 // 3 + 1)

    @classmethod
    def range(cls, first: FiscalQuarter, last: FiscalQuarter) -> Iterator[FiscalQuarter]:
        """Every quarter from `first` to `last`, both included; nothing if `last` < `first`."""
        quarter = first
        while quarter <= last:
            yield quarter
            if quarter.year == MAX_YEAR and quarter.quarter == 4:
                return
            quarter = quarter.next()

    def __str__(self) -> str:
        return f"FY{self.year:04d}-Q{self.quarter}"

    @property
    def fiscal_year(self) -> FiscalYear:
        return FiscalYear(self.year)

    @property
    def label(self) -> str:
        """`Q1`...`Q4`: the quarter within its fiscal year."""
        return QUARTER_LABELS[self.quarter - 1]

    def starts_on(self, start_month: int) -> date:
        return _month_start(
            self._first_calendar_year(start_month), 3 * (self.quarter - 1) + start_month - 1
        )

    def ends_on(self, start_month: int) -> date:
        last_month = _month_start(
            self._first_calendar_year(start_month), 3 * self.quarter + start_month - 2
        )
        return last_month.replace(day=monthrange(last_month.year, last_month.month)[1])

    def _first_calendar_year(self, start_month: int) -> int:
        """The calendar year in which this quarter's fiscal year begins."""
        return self.year if check_start_month(start_month) == 1 else self.year - 1

    def contains(self, day: date, start_month: int) -> bool:
        return self.starts_on(start_month) <= day <= self.ends_on(start_month)

    def next(self) -> FiscalQuarter:
        if self.quarter == 4:
            return FiscalQuarter(self.year + 1, 1)
        return FiscalQuarter(self.year, self.quarter + 1)

    def previous(self) -> FiscalQuarter:
        if self.quarter == 1:
            return FiscalQuarter(self.year - 1, 4)
        return FiscalQuarter(self.year, self.quarter - 1)
