"""Reviews and "what changed since" a review or a time, answered from projections after
`min_position`."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.api.readside_helpers import fresh
from tests.api.tactical import initiative, setup

# ---------------------------------------------------------------- reviews


def test_review_lifecycle_locks_on_completion(api: Api) -> None:
    client = api.client()
    r = api.post(
        f"/v1/clients/{client['id']}/reviews",
        {"title": "Q2 QBR", "scheduled_for": "2027-04-15", "attendees": ["Vera", "Sam"]},
    )
    assert r.status_code == 201, r.text
    review = r.json()
    assert review["status"] == "planned" and review["version"] == 1
    assert review["client_id"] == client["id"] and review["attendees"] == ["Vera", "Sam"]
    assert review["scheduled_for"] == "2027-04-15" and review["position"] > 0
    path = f"/v1/reviews/{review['id']}"
    assert api.patch(path, {"title": "QBR"}).status_code == 422  # rationale required
    r = api.patch(
        path, {"scheduled_for": "2027-04-22", "rationale": "CFO away"}, headers={"If-Match": '"1"'}
    )
    assert r.status_code == 200 and r.json()["scheduled_for"] == "2027-04-22"
    assert (
        api.patch(path, {"title": "x", "rationale": "r"}, headers={"If-Match": '"1"'}).status_code
        == 412
    )
    r = api.post(f"{path}/complete", {"summary": "Agreed the roadmap", "rationale": "held"})
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["status"] == "completed" and done["summary"] == "Agreed the roadmap"
    assert done["completed_at"].endswith("Z")
    assert 0 < done["completed_position"] < done["position"]
    assert api.patch(path, {"title": "again", "rationale": "r"}).status_code == 409
    assert api.post(f"{path}/complete", {}).status_code == 409
    got = api.get(path)
    assert got.status_code == 200 and got.headers["etag"] == '"3"'
    history = api.get(f"{path}/history").json()["items"]
    assert [h["type"] for h in history] == [
        "review.created",
        "review.rescheduled",
        "review.completed",
    ]
    listed = fresh(api, f"/v1/clients/{client['id']}/reviews", done["position"])
    assert [(i["id"], i["status"], i["completed_position"]) for i in listed["items"]] == [
        (review["id"], "completed", done["completed_position"])
    ]
    assert listed["items"][0] == {k: v for k, v in done.items() if k != "position"}


def test_review_validation_and_roles(api: Api) -> None:
    client = api.client()
    base = f"/v1/clients/{client['id']}/reviews"
    assert api.post(base, {"title": "x", "scheduled_for": "not a date"}).status_code == 422
    assert api.post(base, {"title": "", "scheduled_for": "2027-01-01"}).status_code == 422
    assert (
        api.post(base, {"title": "x", "scheduled_for": "2027-01-01", "extra": 1}).status_code == 422
    )
    viewer = api.key_for("viewer")
    assert viewer.post(base, {"title": "x", "scheduled_for": "2027-01-01"}).status_code == 403
    assert viewer.get(base).status_code == 200
    assert api.get("/v1/reviews/00000000-0000-0000-0000-000000000000").status_code == 404
    assert api.get("/v1/clients/00000000-0000-0000-0000-000000000000/reviews").status_code == 404


# ---------------------------------------------------------------- what changed since


def test_changes_since_a_review(api: Api) -> None:
    s = setup(api)
    iid = initiative(api, s.plan, [s.goal], target_quarter="FY2027-Q2")
    review = api.post(
        f"/v1/clients/{s.client_id}/reviews", {"title": "QBR", "scheduled_for": "2027-01-10"}
    ).json()
    path = f"/v1/clients/{s.client_id}/changes"
    assert api.get(path, params={"since_review": review["id"]}).status_code == 409
    done = api.post(f"/v1/reviews/{review['id']}/complete", {"summary": "ok"}).json()
    # after the review: reschedule, then change it back and forth: the net change is one
    for quarter, why in (("FY2027-Q4", "vendor delay"), ("FY2027-Q3", "vendor recovered")):
        r = api.patch(
            f"/v1/plans/{s.plan}/initiatives/{iid}", {"target_quarter": quarter, "rationale": why}
        )
        assert r.status_code == 200, r.text
    r = api.patch(
        f"/v1/strategies/{s.strategy}/goals/{s.goal}",
        {"priority": "critical", "rationale": "breach"},
    )
    assert r.status_code == 200, r.text
    later_review = api.post(
        f"/v1/clients/{s.client_id}/reviews", {"title": "Next", "scheduled_for": "2027-04-10"}
    ).json()
    body = fresh(api, path, later_review["position"], since_review=review["id"])
    assert body["since_position"] == done["completed_position"]
    assert body["since"] == done["completed_at"]
    assert [(d["type"], d["rationale"]) for d in body["decisions"]] == [
        ("plan.initiative_rescheduled", "vendor delay"),
        ("plan.initiative_rescheduled", "vendor recovered"),
        ("strategy.goal_reprioritized", "breach"),
    ]  # oldest first, review events left out
    nets = {a["aggregate_id"]: a for a in body["aggregates"]}
    assert set(nets) == {s.plan, s.strategy}
    assert nets[s.plan]["aggregate_type"] == "plan" and nets[s.plan]["title"] == "Plan FY2027"
    assert nets[s.plan]["changes"] == [
        {"path": f"/initiatives/{iid}/target_quarter", "before": "FY2027-Q2", "after": "FY2027-Q3"}
    ]
    assert nets[s.strategy]["changes"] == [
        {"path": f"/goals/{s.goal}/priority", "before": "high", "after": "critical"}
    ]
    # since a time: everything of the client, creations included
    everything = fresh(api, path, later_review["position"], since="2000-01-01T00:00:00Z")
    created = {a["aggregate_id"]: a for a in everything["aggregates"]}
    assert {s.client_id, s.strategy, s.plan} <= set(created)
    assert {"path": "/title", "before": None, "after": "Plan FY2027"} in created[s.plan]["changes"]
    nothing = fresh(
        api,
        path,
        later_review["position"],
        since="2000-01-01T00:00:00Z",
        until="2000-01-02T00:00:00Z",
    )
    assert nothing["decisions"] == [] and nothing["aggregates"] == []


def test_changes_parameters(api: Api, other: Api) -> None:
    client = api.client()
    path = f"/v1/clients/{client['id']}/changes"
    assert api.get(path).status_code == 422
    both = {"since": "2027-01-01T00:00:00Z", "since_review": client["id"]}
    assert api.get(path, params=both).status_code == 422
    assert api.get(path, params={"since": "2027-01-01T00:00:00"}).status_code == 422
    assert api.get(path, params={"since_review": client["id"]}).status_code == 404
    theirs = other.client()
    review = other.post(
        f"/v1/clients/{theirs['id']}/reviews", {"title": "QBR", "scheduled_for": "2027-01-10"}
    ).json()
    assert api.get(path, params={"since_review": review["id"]}).status_code == 404
    assert (
        api.get(
            f"/v1/clients/{theirs['id']}/changes", params={"since": "2027-01-01T00:00:00Z"}
        ).status_code
        == 404
    )
