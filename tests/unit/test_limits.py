"""Given an aggregate at one of its size limits, when one more item is added, then 422
`limit-exceeded` and no event; below the limit it is added. The limits are lowered here so
the rule is tested at its edge without thousands of events (the API test meets a real one)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest

from domain import limits
from domain.shared import LimitExceeded, Priority
from tests.unit.test_budget import a_budget, add_line, approve, by, submit
from tests.unit.test_plan import a_plan, propose
from tests.unit.test_strategy import given_strategy


def goal(s: Any) -> None:
    s.add_goal(goal_id=uuid4(), title="G", description=None, priority=Priority.HIGH, by=by())


def principle(s: Any) -> None:
    s.add_principle(principle_id=uuid4(), statement="Cloud first", by=by())


def actual(b: Any) -> None:
    b.record_actual(actual_id=uuid4(), line_id=next(iter(b.lines)), amount_minor=1, by=by())


def approved_budget() -> Any:
    b = a_budget()
    add_line(b)
    submit(b)
    approve(b)
    return b


CASES: list[tuple[str, Callable[[], Any], Callable[[Any], Any]]] = [
    ("INITIATIVES_PER_PLAN", a_plan, propose),
    ("LINES_PER_BUDGET", a_budget, add_line),
    ("ACTUALS_PER_BUDGET", approved_budget, actual),
    ("GOALS_PER_STRATEGY", given_strategy, goal),
    ("PRINCIPLES_PER_STRATEGY", given_strategy, principle),
]


@pytest.mark.parametrize(("limit", "given", "add"), CASES, ids=[c[0] for c in CASES])
def test_an_aggregate_at_its_limit_takes_no_more(
    monkeypatch: pytest.MonkeyPatch, limit: str, given: Callable[[], Any], add: Callable[[Any], Any]
) -> None:
    aggregate = given()
    aggregate.collect_events()
    already = {
        "ACTUALS_PER_BUDGET": len(getattr(aggregate, "actuals", {})),
        "LINES_PER_BUDGET": len(getattr(aggregate, "lines", {})),
    }.get(limit, 0)
    monkeypatch.setattr(limits, limit, already + 3)
    for _ in range(3):
        add(aggregate)
    assert len(aggregate.collect_events()) == 3
    with pytest.raises(LimitExceeded) as refused:
        add(aggregate)
    assert refused.value.problem_type == "limit-exceeded"
    assert f"at most {already + 3}" in refused.value.message
    assert aggregate.collect_events() == []


def test_the_limits_are_the_contract() -> None:
    assert (
        limits.INITIATIVES_PER_PLAN,
        limits.LINES_PER_BUDGET,
        limits.ACTUALS_PER_BUDGET,
        limits.GOALS_PER_STRATEGY,
        limits.PRINCIPLES_PER_STRATEGY,
    ) == (1_000, 2_000, 20_000, 200, 200)
