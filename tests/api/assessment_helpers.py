"""Shortcuts for the standards and assessment tests; each asserts its own success."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api


def template(**fields: Any) -> dict[str, Any]:
    return {
        "title": "Immutable offsite backups",
        "description": "Object-locked copies in a second region; restores tested quarterly.",
        "category": "backup_dr",
        "one_time_cost": {"amount_minor": 180_000, "currency": "EUR"},
        "recurring_cost": {"amount_minor": 4_500, "currency": "EUR", "per": "month"},
        "priority": "high",
        **fields,
    }


def standard(api: Api, **fields: Any) -> dict[str, Any]:
    body = {
        "title": "Offsite immutable backups tested quarterly",
        "category": "backup_dr",
        "question": "Is an immutable offsite copy restored at least every 90 days?",
        "weight": 8,
        "severity": "critical",
        "initiative_template": template(),
        **fields,
    }
    r = api.post("/v1/standards", body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def assessment(api: Api, client_id: str, **fields: Any) -> dict[str, Any]:
    r = api.post(f"/v1/clients/{client_id}/assessments", {"title": "Baseline", **fields})
    assert r.status_code == 201, r.text
    return dict(r.json())


def answer(api: Api, assessment_id: str, standard_id: str, result: str, **more: Any) -> Any:
    r = api.post(
        f"/v1/assessments/{assessment_id}/answers",
        {"standard_id": standard_id, "result": result, **more},
    )
    assert r.status_code == 200, r.text
    return r.json()
