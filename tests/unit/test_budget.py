"""Budgets: given these events, when this command, then these events or this error."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.budget import Budget, BudgetLine, LineKind
from domain.calendar import FiscalQuarter
from domain.category import Category
from domain.shared import Actor, Decision, ItemNotFound, Money, RuleViolation, StateConflict

B = Budget
CARLA = Actor("c1", "Carla", "client")
INITIATIVE = uuid4()
AT = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def by(rationale: str | None = "because", at: datetime | None = None) -> Decision:
    return Decision(CARLA, at or datetime(2027, 2, 1, 10, 30, tzinfo=UTC), "req-2", rationale)


def a_budget(plan_id: UUID | None = None) -> Budget:
    return Budget.create(
        id=uuid4(),
        tenant_id=uuid4(),
        client_id=uuid4(),
        fiscal_year=2027,
        currency="EUR",
        plan_id=plan_id,
        title="FY2027",
        by=by(None),
    )


def add_line(budget: Budget, **changes: Any) -> UUID:
    line_id = uuid4()
    fields: dict[str, Any] = {
        "category": "hardware",
        "quarter": "Q2",
        "amount_minor": 500_000,
        "kind": "capex",
        "description": "Laptops",
        "by": by(None),
    }
    fields.update(changes)
    budget.add_line(line_id=line_id, **fields)
    return line_id


Step = Callable[[Budget], None]


def submit(b: Budget) -> None:
    b.submit(by())


def approve(b: Budget) -> None:
    b.approve(by())


def reject(b: Budget) -> None:
    b.reject(by())


def reopen(b: Budget) -> None:
    b.reopen(by())


def close(b: Budget) -> None:
    b.close(by())


APPROVED = (submit, approve)


def given_budget(*steps: Step, plan_id: UUID | None = None) -> tuple[Budget, UUID]:
    """A budget with one line (Q2 hardware capex, 5,000.00 EUR) that went through `steps`."""
    budget = a_budget(plan_id)
    line_id = add_line(budget)
    for step in steps:
        step(budget)
    budget.collect_events()
    return budget, line_id


def then(budget: Budget) -> list[Any]:
    return list(budget.collect_events())


def eur(amount: int) -> dict[str, Any]:
    return {"amount_minor": amount, "currency": "EUR"}


def figures(planned: int, actual: int) -> dict[str, Any]:
    return {"planned": eur(planned), "actual": eur(actual), "variance": eur(planned - actual)}


# ---------------------------------------------------------------- creating


def test_a_new_budget_is_an_empty_draft_in_the_clients_currency(replay: Any) -> None:
    budget = a_budget()
    [created] = then(budget)
    assert isinstance(created, B.Created)
    assert created.type_name() == "budget.created"
    view = budget.view()
    assert {k: view[k] for k in ("fiscal_year", "currency", "status", "lines", "actuals")} == {
        "fiscal_year": 2027,
        "currency": "EUR",
        "status": "draft",
        "lines": [],
        "actuals": [],
    }
    assert view["totals"] == {
        **figures(0, 0),
        "by_quarter": {q: figures(0, 0) for q in ("Q1", "Q2", "Q3", "Q4")},
        "by_category": {},
        "by_kind": {"capex": figures(0, 0), "opex": figures(0, 0)},
    }
    assert view["version"] == 1
    assert replay([created]).view() == view


@pytest.mark.parametrize(
    ("fields", "field"), [({"fiscal_year": 27}, "fiscal_year"), ({"currency": "eur"}, "currency")]
)
def test_a_bad_year_or_currency_is_refused(fields: dict[str, Any], field: str) -> None:
    args: dict[str, Any] = {"fiscal_year": 2027, "currency": "EUR", **fields}
    with pytest.raises(RuleViolation) as error:
        Budget.create(id=uuid4(), tenant_id=uuid4(), client_id=uuid4(), by=by(), **args)
    assert error.value.field == field


# ---------------------------------------------------------------- lines


def test_adding_a_line_needs_no_rationale(replay: Any) -> None:
    budget = a_budget()
    line_id = add_line(budget)
    created, added = then(budget)
    assert isinstance(added, B.LineAdded)
    assert added.type_name() == "budget.line_added"
    assert budget.view()["lines"] == [
        {
            "id": str(line_id),
            "category": "hardware",
            "quarter": "Q2",
            "amount_minor": 500_000,
            "kind": "capex",
            "initiative_id": None,
            "description": "Laptops",
        }
    ]
    assert replay([created, added]).view() == budget.view()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount_minor": -1}, "amount_minor"),
        ({"amount_minor": 1.5}, "amount_minor"),
        ({"amount_minor": True}, "amount_minor"),
        ({"quarter": "Q5"}, "quarter"),
        ({"quarter": "FY2027-Q1"}, "quarter"),
        ({"kind": "other"}, "kind"),
        ({"category": "furniture"}, "category"),
        ({"initiative_id": INITIATIVE}, "initiative_id"),
    ],
)
def test_a_bad_line_is_refused_naming_the_field(fields: dict[str, Any], field: str) -> None:
    budget = a_budget()
    budget.collect_events()
    with pytest.raises(RuleViolation) as error:
        add_line(budget, **fields)
    assert error.value.field == field
    assert then(budget) == []


def test_a_line_may_pay_for_an_initiative_of_the_budgets_plan() -> None:
    budget = a_budget(plan_id=uuid4())
    budget.collect_events()
    add_line(budget, initiative_id=INITIATIVE, plan_initiative_ids={str(INITIATIVE)})
    [added] = then(budget)
    assert added.initiative_id == INITIATIVE
    assert budget.view()["lines"][0]["initiative_id"] == str(INITIATIVE)
    with pytest.raises(RuleViolation) as error:
        add_line(budget, initiative_id=uuid4(), plan_initiative_ids={str(INITIATIVE)})
    assert error.value.field == "initiative_id"


def test_each_kind_of_line_change_is_its_own_decision(replay: Any) -> None:
    plan_id = uuid4()
    budget = a_budget(plan_id)
    line_id = add_line(budget)
    budget.update_line(
        line_id,
        amount_minor=650_000,
        quarter="Q3",
        category="software",
        kind="opex",
        initiative_id=INITIATIVE,
        description="Laptop leases",
        plan_initiative_ids=[INITIATIVE],
        by=by("leasing is cheaper"),
    )
    events = then(budget)
    assert [type(e) for e in events[2:]] == [
        B.LineReestimated,
        B.LineRescheduled,
        B.LineRecategorized,
        B.LineReclassified,
        B.LineRelinked,
        B.LineRedescribed,
    ]
    assert [e.type_name() for e in events[2:]] == [
        "budget.line_reestimated",
        "budget.line_rescheduled",
        "budget.line_recategorized",
        "budget.line_reclassified",
        "budget.line_relinked",
        "budget.line_redescribed",
    ]
    assert events[2].amount_minor == 650_000
    assert all(e.rationale == "leasing is cheaper" for e in events[2:])
    assert budget.line(line_id) == BudgetLine(
        id=line_id,
        category=Category.SOFTWARE,
        quarter=FiscalQuarter(2027, 3),
        amount=Money(650_000, "EUR"),
        kind=LineKind.OPEX,
        initiative_id=INITIATIVE,
        description="Laptop leases",
    )
    assert budget.line(line_id).as_dict() == {
        "id": str(line_id),
        "category": "software",
        "quarter": "Q3",
        "amount_minor": 650_000,
        "kind": "opex",
        "initiative_id": str(INITIATIVE),
        "description": "Laptop leases",
    }
    assert replay(events).view() == budget.view()


def test_an_amount_change_alone_reads_as_a_reestimate() -> None:
    budget, line_id = given_budget()
    budget.update_line(line_id, amount_minor=400_000, quarter="Q2", by=by("quote"))
    [event] = then(budget)
    assert isinstance(event, B.LineReestimated)
    assert (event.line_id, event.amount_minor) == (line_id, 400_000)


def test_null_unlinks_and_clears_the_description() -> None:
    budget = a_budget(uuid4())
    line_id = add_line(budget, initiative_id=INITIATIVE, plan_initiative_ids=[INITIATIVE])
    budget.collect_events()
    budget.update_line(line_id, initiative_id=None, description=None, by=by())
    relinked, redescribed = then(budget)
    assert relinked.initiative_id is None
    assert redescribed.description is None


def test_a_line_change_needs_a_rationale_and_a_known_line() -> None:
    budget, line_id = given_budget()
    with pytest.raises(RuleViolation) as error:
        budget.update_line(line_id, amount_minor=1, by=by(None))
    assert error.value.field == "rationale"
    with pytest.raises(ItemNotFound):
        budget.update_line(uuid4(), amount_minor=1, by=by())
    with pytest.raises(ItemNotFound):
        budget.remove_line(uuid4(), by())


def test_a_bad_field_leaves_no_half_update() -> None:
    budget, line_id = given_budget()
    with pytest.raises(RuleViolation):
        budget.update_line(line_id, amount_minor=1, quarter="Q9", by=by())
    assert then(budget) == []


def test_removing_a_line() -> None:
    budget, line_id = given_budget()
    budget.remove_line(line_id, by("not needed"))
    [event] = then(budget)
    assert isinstance(event, B.LineRemoved)
    assert event.type_name() == "budget.line_removed"
    assert budget.view()["lines"] == []


@pytest.mark.parametrize("steps", [(submit,), APPROVED, (*APPROVED, close)])
def test_lines_change_only_in_draft(steps: tuple[Step, ...]) -> None:
    budget, line_id = given_budget(*steps)
    with pytest.raises(StateConflict):
        add_line(budget)
    with pytest.raises(StateConflict):
        budget.update_line(line_id, amount_minor=1, by=by())
    with pytest.raises(StateConflict):
        budget.remove_line(line_id, by())
    assert then(budget) == []


def test_a_line_with_actuals_cannot_be_removed_after_reopening() -> None:
    budget, line_id = given_budget(*APPROVED)
    budget.record_actual(actual_id=uuid4(), line_id=line_id, amount_minor=100, by=by())
    budget.reopen(by())
    budget.collect_events()
    with pytest.raises(StateConflict):
        budget.remove_line(line_id, by())


# ---------------------------------------------------------------- status moves

MOVES: list[tuple[tuple[Step, ...], Step, type[Any], str, str]] = [
    ((), submit, B.Submitted, "submitted", "budget.submitted"),
    ((submit,), approve, B.Approved, "approved", "budget.approved"),
    ((submit,), reject, B.Rejected, "draft", "budget.rejected"),
    (APPROVED, reopen, B.Reopened, "draft", "budget.reopened"),
    (APPROVED, close, B.Closed, "closed", "budget.closed"),
]


@pytest.mark.parametrize(("steps", "action", "event_class", "status", "type_name"), MOVES)
def test_allowed_moves(
    steps: tuple[Step, ...], action: Step, event_class: type[Any], status: str, type_name: str
) -> None:
    budget, _ = given_budget(*steps)
    action(budget)
    [event] = then(budget)
    assert type(event) is event_class
    assert event.type_name() == type_name
    assert event.rationale == "because"
    assert budget.status == status


DRAFT, SUBMITTED, CLOSED = (), (submit,), (*APPROVED, close)
REFUSED: list[tuple[tuple[Step, ...], Step]] = [
    (DRAFT, approve),
    (DRAFT, reject),
    (DRAFT, reopen),
    (DRAFT, close),
    (SUBMITTED, submit),
    (SUBMITTED, reopen),
    (SUBMITTED, close),
    (APPROVED, submit),
    (APPROVED, approve),
    (APPROVED, reject),
    *[(CLOSED, action) for action in (submit, approve, reject, reopen, close)],
]


@pytest.mark.parametrize(("steps", "action"), REFUSED)
def test_any_other_move_is_a_conflict(steps: tuple[Step, ...], action: Step) -> None:
    budget, _ = given_budget(*steps)
    with pytest.raises(StateConflict):
        action(budget)
    assert then(budget) == []


def test_a_move_needs_a_rationale() -> None:
    budget, _ = given_budget()
    with pytest.raises(RuleViolation) as error:
        budget.submit(by("  "))
    assert error.value.field == "rationale"
