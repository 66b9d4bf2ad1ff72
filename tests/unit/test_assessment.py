"""Assessments: given these events, when this command, then these events or this error."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain import limits
from domain.assessment import Assessment
from domain.shared import (
    Actor,
    Decision,
    ItemNotFound,
    LimitExceeded,
    RuleViolation,
    StateConflict,
)
from domain.standard import Standard
from tests.unit.conftest import Replay
from tests.unit.test_standard import a_standard

VERA = Actor("u1", "Vera", "editor")
TENANT = uuid4()


def by(rationale: str | None = "because") -> Decision:
    return Decision(VERA, datetime(2027, 3, 1, 9, 30, tzinfo=UTC), "req-1", rationale)


def library() -> list[Standard]:
    return [
        a_standard(tenant_id=TENANT, weight=8),
        a_standard(tenant_id=TENANT, title="MFA everywhere", category="security", weight=10),
        a_standard(
            tenant_id=TENANT,
            title="Laptops under 5 years old",
            category="hardware",
            weight=1,
            initiative_template=None,
        ),
    ]


def an_assessment(standards: list[Standard] | None = None, **changes: Any) -> Assessment:
    fields: dict[str, Any] = {
        "id": uuid4(),
        "tenant_id": TENANT,
        "client_id": uuid4(),
        "title": "Q1 baseline",
        "standards": standards if standards is not None else library(),
        "by": by(None),
        **changes,
    }
    return Assessment.create(**fields)


def ids(assessment: Assessment) -> list[UUID]:
    return list(assessment.items)


def test_opening_copies_each_standard_once_and_scores_nothing(replay: Replay) -> None:
    standards = library()
    assessment = an_assessment([*standards, standards[0]])
    view = assessment.view()
    assert view["status"] == "open"
    assert [i["standard_id"] for i in view["items"]] == [str(s.id) for s in standards]
    first = view["items"][0]
    assert (first["title"], first["weight"], first["severity"], first["result"]) == (
        standards[0].title,
        8,
        "critical",
        None,
    )
    assert view["score"] == {
        "overall": None,
        "by_category": {"hardware": None, "security": None, "backup_dr": None},
    }
    events = assessment.collect_events()
    assert [e.type_name() for e in events] == ["assessment.created"]
    assert replay(events).view() == view


def test_later_edits_to_the_library_change_nothing() -> None:
    standards = library()
    assessment = an_assessment(standards)
    standards[0].update(title="Renamed", weight=2, by=by("library cleanup"))
    item = assessment.item(standards[0].id)
    assert (item.title, item.weight) == ("Offsite immutable backups tested quarterly", 8)


def test_a_retired_standard_another_tenants_or_none_at_all_is_refused() -> None:
    standards = library()
    standards[0].retire(by("obsolete"))
    with pytest.raises(RuleViolation, match="retired"):
        an_assessment(standards)
    with pytest.raises(RuleViolation):
        an_assessment([a_standard()])  # another tenant's
    with pytest.raises(RuleViolation, match="at least one"):
        an_assessment([])


def test_at_most_the_limit_of_standards() -> None:
    many = [a_standard(tenant_id=TENANT) for _ in range(limits.STANDARDS_PER_ASSESSMENT + 1)]
    with pytest.raises(LimitExceeded):
        an_assessment(many)
    assert len(an_assessment(many[:-1]).items) == limits.STANDARDS_PER_ASSESSMENT


def test_answers_move_the_score_and_answering_again_replaces(replay: Replay) -> None:
    assessment = an_assessment()
    backup, mfa, laptops = ids(assessment)
    created = assessment.collect_events()
    assessment.answer(backup, result="misaligned", note="no immutable copy", by=by(None))
    assessment.answer(mfa, result="aligned", note=None, by=by(None))
    assessment.answer(laptops, result="not_applicable", note="all leased", by=by(None))
    assert assessment.score() == {
        "overall": 56,  # 10 of 18
        "by_category": {"hardware": None, "security": 100, "backup_dr": 0},
    }
    assessment.answer(backup, result="aligned", note="fixed on site", by=by(None))
    assessment.answer(backup, result="aligned", note="fixed on site", by=by(None))  # no change
    events = assessment.collect_events()
    assert [e.type_name() for e in events] == ["assessment.answered"] * 4
    assert assessment.score()["overall"] == 100
    assert replay([*created, *events]).view() == assessment.view()


def test_a_bad_answer_or_an_unknown_standard_is_refused() -> None:
    assessment = an_assessment()
    with pytest.raises(RuleViolation) as error:
        assessment.answer(ids(assessment)[0], result="maybe", note=None, by=by())
    assert error.value.field == "result"
    with pytest.raises(ItemNotFound):
        assessment.answer(uuid4(), result="aligned", note=None, by=by())


def test_completing_needs_a_rationale_and_fixes_answers_and_score(replay: Replay) -> None:
    assessment = an_assessment()
    backup, mfa, _ = ids(assessment)
    assessment.answer(backup, result="misaligned", note=None, by=by(None))
    assessment.answer(mfa, result="aligned", note=None, by=by(None))
    before = assessment.collect_events()
    with pytest.raises(RuleViolation):
        assessment.complete(by(None))
    assessment.complete(by("reviewed with the office manager"))
    [completed] = assessment.collect_events()
    assert completed.type_name() == "assessment.completed"
    assert completed.score == {  # type: ignore[attr-defined]
        "overall": 56,
        "by_category": {"hardware": None, "security": 100, "backup_dr": 0},
    }
    view = assessment.view()
    assert view["status"] == "completed" and view["completed_at"] == "2027-03-01T09:30:00.000000Z"
    with pytest.raises(StateConflict):
        assessment.answer(backup, result="aligned", note=None, by=by())
    with pytest.raises(StateConflict):
        assessment.complete(by("twice"))
    assert replay([*before, completed]).view() == view


def test_a_misaligned_answer_with_a_template_is_proposed_once(replay: Replay) -> None:
    assessment = an_assessment()
    backup, mfa, laptops = ids(assessment)
    assessment.answer(backup, result="misaligned", note=None, by=by(None))
    assessment.answer(mfa, result="aligned", note=None, by=by(None))
    assessment.answer(laptops, result="misaligned", note=None, by=by(None))
    assessment.complete(by("done"))
    events = assessment.collect_events()
    template = assessment.finding(backup)
    assert template.title == "Immutable offsite backups"
    plan_id, initiative_id = uuid4(), uuid4()
    assessment.propose_finding(backup, plan_id=plan_id, initiative_id=initiative_id, by=by(None))
    [proposed] = assessment.collect_events()
    assert proposed.type_name() == "assessment.finding_proposed"
    item = assessment.view()["items"][0]
    assert (item["initiative_id"], item["plan_id"]) == (str(initiative_id), str(plan_id))
    with pytest.raises(StateConflict, match="already proposed"):
        assessment.propose_finding(backup, plan_id=plan_id, initiative_id=uuid4(), by=by())
    with pytest.raises(RuleViolation, match="misaligned"):
        assessment.finding(mfa)
    with pytest.raises(RuleViolation, match="no initiative template"):
        assessment.finding(laptops)
    assert replay([*events, proposed]).view() == assessment.view()


def test_a_proposed_findings_answer_is_kept_while_open() -> None:
    assessment = an_assessment()
    backup = ids(assessment)[0]
    assessment.answer(backup, result="misaligned", note=None, by=by(None))
    assessment.propose_finding(backup, plan_id=uuid4(), initiative_id=uuid4(), by=by(None))
    with pytest.raises(StateConflict, match="became an initiative"):
        assessment.answer(backup, result="aligned", note=None, by=by())
    assessment.answer(backup, result="misaligned", note="vendor quote attached", by=by())
    assert assessment.item(backup).note == "vendor quote attached"
