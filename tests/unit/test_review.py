"""Reviews: given these events, when this command, then these events or this error."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from domain.review import Review
from domain.shared import Actor, Decision, RuleViolation, StateConflict
from tests.unit.conftest import Replay

VERA = Actor("u1", "Vera", "editor")


def by(rationale: str | None = "because") -> Decision:
    return Decision(VERA, datetime(2027, 3, 1, 9, 30, tzinfo=UTC), "req-1", rationale)


def a_review(**fields: object) -> Review:
    values: dict[str, object] = {
        "id": uuid4(),
        "tenant_id": uuid4(),
        "client_id": uuid4(),
        "title": "Q1 QBR",
        "scheduled_for": date(2027, 3, 15),
        "attendees": ["Vera", "Sam", "Vera"],
        "by": by(None),
        **fields,
    }
    return Review.create(**values)  # type: ignore[arg-type]


def types(review: Review) -> list[str]:
    return [e.type_name() for e in review.collect_events()]


def test_a_review_is_planned_with_its_attendees_once_each(replay: Replay) -> None:
    review = a_review()
    view = review.view()
    assert view["status"] == "planned" and view["scheduled_for"] == "2027-03-15"
    assert view["attendees"] == ["Vera", "Sam"]
    assert view["completed_at"] is None and view["completed_position"] is None
    events = review.collect_events()
    assert [e.type_name() for e in events] == ["review.created"]
    assert replay(events).view() == view


def test_update_records_one_event_per_kind_of_change_and_needs_a_rationale() -> None:
    review = a_review()
    review.collect_events()
    with pytest.raises(RuleViolation):
        review.update(title="QBR", by=by(None))
    review.update(
        title="Q1 review",
        scheduled_for=date(2027, 3, 22),
        attendees=["Vera"],
        by=by("CFO away"),
    )
    assert types(review) == ["review.retitled", "review.rescheduled", "review.attendees_changed"]
    review.update(title="Q1 review", scheduled_for=date(2027, 3, 22), by=by())
    assert types(review) == []  # nothing changed, nothing recorded


def test_completing_records_the_position_and_locks_the_review(replay: Replay) -> None:
    review = a_review()
    review.complete(summary="Agreed the roadmap", head_position=41, by=by(None))
    view = review.view()
    assert view["status"] == "completed" and view["completed_position"] == 41
    assert view["completed_at"] == "2027-03-01T09:30:00.000000Z"
    assert replay(review.collect_events()).view() == view
    with pytest.raises(StateConflict):
        review.update(title="again", by=by())
    with pytest.raises(StateConflict):
        review.complete(summary=None, head_position=42, by=by())


def test_positions_and_dates_are_checked() -> None:
    review = a_review()
    with pytest.raises(RuleViolation):
        review.complete(summary=None, head_position=-1, by=by())
    with pytest.raises(RuleViolation):
        a_review(scheduled_for="2027-03-15")
    with pytest.raises(RuleViolation):
        a_review(attendees="Vera")
