"""The demo's standards library and assessments: a starter library across the MSP's usual
categories, two clients assessed, one twice a quarter apart with its score moving, and
findings that became initiatives."""

from __future__ import annotations

from typing import Any
from uuid import UUID


def test_the_demo_library_and_assessments(container: Any) -> None:
    from domain.assessment import Assessment, AssessmentStatus
    from domain.plan import TechnologyPlan
    from domain.scoring import Result
    from domain.standard import Standard
    from services.auth import authenticate
    from services.demo import load_demo

    demo = load_demo(container)
    principal = authenticate(container.db, f"Bearer {demo['api_key']}")
    ids = {name: UUID(value) for name, value in demo["ids"].items()}
    store = container.store

    library = [store.load(Standard, i, principal) for k, i in ids.items() if k.startswith("std.")]
    assert len(library) >= 20
    categories = {s.category.value for s in library}
    assert {"backup_dr", "security", "hardware", "network", "cloud", "compliance"} <= categories
    with_template = [s for s in library if s.initiative_template is not None]
    assert len(with_template) >= 19
    assert all(t.initiative_template.description for t in with_template)  # type: ignore[union-attr]

    first = store.load(Assessment, ids["dental.assess1"], principal)
    second = store.load(Assessment, ids["dental.assess2"], principal)
    mfg = store.load(Assessment, ids["mfg.assess1"], principal)
    assert {a.status for a in (first, second, mfg)} == {AssessmentStatus.COMPLETED}
    assert first.completed_at is not None and second.completed_at is not None
    days = _day(second.completed_at) - _day(first.completed_at)  # a quarter apart, give or take
    assert 80 <= days <= 120
    before, after = first.score()["overall"], second.score()["overall"]
    assert before is not None and after is not None and after > before

    for assessment, plan_key in ((first, "dental.plan"), (mfg, "mfg.plan")):
        plan = store.load(TechnologyPlan, ids[plan_key], principal)
        proposed = [i for i in assessment.items.values() if i.initiative_id is not None]
        assert proposed and all(i.result is Result.MISALIGNED for i in proposed)
        for item in proposed:
            assert item.initiative_id is not None
            initiative = plan.initiative(item.initiative_id)
            assert initiative.source is not None
            assert initiative.source.assessment_id == assessment.id
            assert initiative.description


def _day(rfc3339: str) -> int:
    from datetime import date

    return date.fromisoformat(rfc3339[:10]).toordinal()
