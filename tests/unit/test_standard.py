"""Standards: given these events, when this command, then these events or this error."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest

from domain.category import Category
from domain.plan import Period, RecurringCost
from domain.shared import (
    TENANT_WIDE,
    Actor,
    Decision,
    Money,
    Priority,
    RuleViolation,
    StateConflict,
)
from domain.standard import InitiativeTemplate, Standard
from tests.unit.conftest import Replay

VERA = Actor("u1", "Vera", "editor")


def by(rationale: str | None = "because") -> Decision:
    return Decision(VERA, datetime(2027, 3, 1, 9, 30, tzinfo=UTC), "req-1", rationale)


def a_template(**changes: Any) -> InitiativeTemplate:
    fields: dict[str, Any] = {
        "title": "Immutable offsite backups",
        "description": "Object-lock copies, restore tested every quarter.",
        "category": Category.BACKUP_DR,
        "one_time_cost": Money(250_000, "USD"),
        "recurring_cost": RecurringCost(9_900, "USD", Period.MONTH, 1),
        "priority": Priority.HIGH,
        **changes,
    }
    return InitiativeTemplate(**fields)


def a_standard(**changes: Any) -> Standard:
    fields: dict[str, Any] = {
        "id": uuid4(),
        "tenant_id": uuid4(),
        "title": "Offsite immutable backups tested quarterly",
        "category": "backup_dr",
        "question": "Is there an immutable offsite copy restored in the last 90 days?",
        "weight": 8,
        "severity": "critical",
        "initiative_template": a_template(),
        "by": by(None),
        **changes,
    }
    return Standard.create(**fields)


def types(standard: Standard) -> list[str]:
    return [e.type_name() for e in standard.collect_events()]


def test_a_standard_is_created_active_for_the_whole_tenant(replay: Replay) -> None:
    standard = a_standard()
    view = standard.view()
    assert view["status"] == "active" and view["weight"] == 8
    assert view["initiative_template"]["one_time_cost"] == {
        "amount_minor": 250_000,
        "currency": "USD",
    }
    assert standard.client_id == TENANT_WIDE
    events = standard.collect_events()
    assert [e.type_name() for e in events] == ["standard.created"]
    assert replay(events).view() == view


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"weight": 0}, "weight"),
        ({"weight": 11}, "weight"),
        ({"weight": True}, "weight"),
        ({"severity": "dire"}, "severity"),
        ({"category": "furniture"}, "category"),
    ],
)
def test_bad_fields_are_refused(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(RuleViolation) as error:
        a_standard(**changes)
    assert error.value.field == field


def test_weights_one_and_ten_are_the_bounds() -> None:
    assert a_standard(weight=1).weight == 1
    assert a_standard(weight=10).weight == 10


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "initiative_template.title"),
        ({"category": "nope"}, "initiative_template.category"),
        ({"priority": "urgent"}, "initiative_template.priority"),
        ({"one_time_cost": Money(-1, "USD")}, "initiative_template.one_time_cost"),
        (
            {"recurring_cost": RecurringCost(-5, "USD", Period.YEAR)},
            "initiative_template.recurring_cost.amount_minor",
        ),
    ],
)
def test_a_bad_template_is_refused(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(RuleViolation) as error:
        a_template(**changes)
    assert error.value.field == field


def test_update_records_one_event_per_kind_of_change(replay: Replay) -> None:
    standard = a_standard()
    created = standard.collect_events()
    with pytest.raises(RuleViolation):
        standard.update(title="Backups", by=by(None))
    standard.update(
        title="Immutable backups",
        category="security",
        question=None,
        weight=9,
        severity="high",
        initiative_template=None,
        by=by("ransomware season"),
    )
    events = standard.collect_events()
    assert [e.type_name() for e in events] == [
        "standard.retitled",
        "standard.recategorized",
        "standard.reworded",
        "standard.reweighted",
        "standard.severity_changed",
        "standard.template_changed",
    ]
    assert all(e.rationale == "ransomware season" for e in events)
    view = standard.view()
    assert (view["category"], view["question"], view["initiative_template"]) == (
        "security",
        None,
        None,
    )
    assert replay([*created, *events]).view() == view


def test_an_update_that_changes_nothing_records_nothing() -> None:
    standard = a_standard()
    standard.collect_events()
    standard.update(
        title=standard.title, weight=8, initiative_template=a_template(), by=by("no-op")
    )
    assert types(standard) == []


def test_a_bad_weight_in_an_update_records_nothing() -> None:
    standard = a_standard()
    standard.collect_events()
    with pytest.raises(RuleViolation):
        standard.update(title="New title", weight=42, by=by("typo"))
    assert types(standard) == []
    assert standard.title == "Offsite immutable backups tested quarterly"


def test_retiring_needs_a_rationale_and_locks_the_standard(replay: Replay) -> None:
    standard = a_standard()
    created = standard.collect_events()
    with pytest.raises(RuleViolation):
        standard.retire(by(None))
    standard.retire(by("superseded by the 3-2-1-1 standard"))
    retired = standard.collect_events()
    assert [e.type_name() for e in retired] == ["standard.retired"]
    assert standard.view()["status"] == "retired" and not standard.active
    with pytest.raises(StateConflict):
        standard.update(title="x", by=by("late edit"))
    with pytest.raises(StateConflict):
        standard.retire(by("again"))
    assert replay([*created, *retired]).view() == standard.view()
