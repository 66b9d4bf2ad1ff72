"""The vCIO's way in, end to end: library -> assessment -> answers -> completion -> proposal
-> approval -> budget line -> portfolio health_score -> /changes since the last review,
showing the score's move."""

from __future__ import annotations

from tests.api.assessment_helpers import answer, assessment, standard
from tests.api.conftest import Api
from tests.api.readside_helpers import fresh
from tests.api.tactical import act, setup


def test_the_whole_workflow(api: Api) -> None:
    s = setup(api)  # a client in EUR, an adopted strategy with one goal, a plan
    backup = standard(api)
    mfa = standard(api, title="MFA on remote access", category="security", weight=10)
    first = assessment(api, s.client_id, title="Q1 baseline")
    answer(api, first["id"], backup["id"], "misaligned")
    answer(api, first["id"], mfa["id"], "misaligned")
    r = api.post(f"/v1/assessments/{first['id']}/complete", {"rationale": "Q1 walk-through"})
    assert r.status_code == 200 and r.json()["score"]["overall"] == 0
    # The QBR where the baseline was presented.
    r = api.post(
        f"/v1/clients/{s.client_id}/reviews", {"title": "Q1 QBR", "scheduled_for": "2027-03-30"}
    )
    review = r.json()["id"]
    r = api.post(f"/v1/reviews/{review}/complete", {"summary": "Baseline agreed"})
    assert r.status_code == 200, r.text

    # The finding becomes an initiative, is approved and gets a budget line.
    r = api.post(
        f"/v1/assessments/{first['id']}/findings/{backup['id']}/propose",
        {"plan_id": s.plan, "goal_ids": [s.goal], "target_quarter": "FY2027-Q2"},
    )
    assert r.status_code == 201, r.text
    initiative = r.json()["created_id"]
    r = act(api, s.plan, initiative, "approve")
    assert r.status_code == 200 and r.json()["initiatives"][0]["status"] == "approved"
    r = api.post(f"/v1/clients/{s.client_id}/budgets", {"fiscal_year": 2027, "plan_id": s.plan})
    assert r.status_code == 201, r.text
    budget = r.json()["id"]
    r = api.post(
        f"/v1/budgets/{budget}/lines",
        {
            "category": "backup_dr",
            "quarter": "Q2",
            "amount_minor": 180_000,
            "kind": "capex",
            "initiative_id": initiative,
        },
    )
    assert r.status_code == 201, r.text

    # A quarter later: backups fixed, MFA still missing.
    second = assessment(api, s.client_id, title="Q2 follow-up")
    answer(api, second["id"], backup["id"], "aligned")
    answer(api, second["id"], mfa["id"], "misaligned")
    r = api.post(f"/v1/assessments/{second['id']}/complete", {"rationale": "Q2 walk-through"})
    assert r.json()["score"] == {"overall": 44, "by_category": {"security": 0, "backup_dr": 100}}
    position = r.json()["position"]

    portfolio = fresh(api, "/v1/portfolio", position)["items"]
    [row] = [p for p in portfolio if p["client_id"] == s.client_id]
    assert row["health_score"] == 44
    assert row["initiatives_by_status"]["approved"] == 1

    params = {"from": "FY2027-Q2", "to": "FY2027-Q2"}
    roadmap = fresh(api, f"/v1/clients/{s.client_id}/roadmap", position, **params)
    [planned] = roadmap["quarters"][0]["initiatives"]
    assert planned["source"] == {"assessment_id": first["id"], "standard_id": backup["id"]}
    assert planned["description"].startswith("Object-locked copies")

    changes = fresh(api, f"/v1/clients/{s.client_id}/changes", position, since_review=review)
    assert changes["health_score"] == {"before": 0, "after": 44}
    types = [d["type"] for d in changes["decisions"]]
    assert "plan.initiative_proposed" in types and "assessment.finding_proposed" in types
    assert types[-1] == "assessment.completed"
    assert "budget.line_added" in types
    touched = {a["aggregate_id"]: a for a in changes["aggregates"]}
    assert second["id"] in touched and first["id"] in touched
    assert {
        "path": f"/items/{backup['id']}/initiative_id",
        "before": None,
        "after": initiative,
    } in touched[first["id"]]["changes"]

    audit = fresh(api, "/v1/audit", position, aggregate_type="assessment")["items"]
    assert {a["aggregate_id"] for a in audit} == {first["id"], second["id"]}
    library = fresh(api, "/v1/audit", position, aggregate_type="standard")["items"]
    assert {a["aggregate_id"] for a in library} == {backup["id"], mfa["id"]}
    assert all(a["client_id"] is None for a in library)
    # A client contact sees its assessments' decisions, not the library's.
    contact = api.key_for("client", [s.client_id])
    seen = fresh(contact, "/v1/audit", position)["items"]
    assert {a["aggregate_type"] for a in seen} >= {"assessment", "plan"}
    assert "standard" not in {a["aggregate_type"] for a in seen}
    theirs = fresh(contact, f"/v1/clients/{s.client_id}/changes", position, since_review=review)
    assert theirs["health_score"] == {"before": 0, "after": 44}
    assert "standard" not in {d["aggregate_type"] for d in theirs["decisions"]}
