"""The read side over HTTP: audit, portfolio, roadmap, alignment, reviews and "what changed
since", each answered from projections after `min_position`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.calendar import FiscalQuarter, FiscalYear
from tests.api.conftest import Api
from tests.api.tactical import act, budget, eur, initiative, line, move, setup


def fresh(api: Api, path: str, position: int, **params: Any) -> Any:
    r = api.get(path, params={"min_position": position, **params})
    assert r.status_code == 200, r.text
    return r.json()


def all_items(api: Api, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        body = api.get(path, params=query).json()
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return items


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


# ---------------------------------------------------------------- audit


def test_audit_filters(api: Api, other: Api) -> None:
    s = setup(api)
    iid = initiative(api, s.plan, [s.goal], one_time_cost=eur(1000))
    r = api.post(
        f"/v1/plans/{s.plan}/initiatives/{iid}/approve",
        {"rationale": "Insurance demands immutable backups"},
    )
    assert r.status_code == 200, r.text
    last = r.json()["position"]
    other.client("Not yours")

    items = fresh(api, "/v1/audit", last, limit=500)["items"]
    positions = [i["position"] for i in items]
    assert positions == sorted(positions, reverse=True)  # newest first
    assert items[0]["type"] == "plan.initiative_approved"
    assert items[0]["rationale"] == "Insurance demands immutable backups"
    assert items[0]["changes"] == [
        {"path": f"/initiatives/{iid}/status", "before": "proposed", "after": "approved"}
    ]
    assert items[0]["aggregate_type"] == "plan" and items[0]["aggregate_id"] == s.plan
    assert items[0]["client_id"] == s.client_id and items[0]["occurred_at"].endswith("Z")
    assert {i["client_id"] for i in items} == {s.client_id}  # never the other tenant's

    def ask(**params: Any) -> list[dict[str, Any]]:
        return all_items(api, "/v1/audit", limit=2, **params)

    assert [i["type"] for i in ask(q="immutable backup")] == ["plan.initiative_approved"]
    assert ask(q="ransomware") == []
    assert {i["aggregate_type"] for i in ask(aggregate_type="strategy")} == {"strategy"}
    assert {i["aggregate_id"] for i in ask(aggregate_id=s.plan)} == {s.plan}
    assert [i["type"] for i in ask(type="strategy.adopted")] == ["strategy.adopted"]
    actor = items[0]["actor"]["id"]
    assert len(ask(actor_id=actor)) == len(items)
    assert ask(actor_id="nobody") == []
    assert len(ask(client_id=s.client_id)) == len(items)
    moment = datetime.fromisoformat(items[0]["occurred_at"])
    assert [i["position"] for i in ask(since=moment.isoformat())] == [last]
    assert last not in [i["position"] for i in ask(until=moment.isoformat())]
    later = (moment + timedelta(hours=2)).astimezone(UTC).isoformat()
    assert ask(since=later) == []

    assert api.get("/v1/audit", params={"aggregate_type": "planet"}).status_code == 422
    assert api.get("/v1/audit", params={"type": "plan.exploded"}).status_code == 422
    assert api.get("/v1/audit", params={"since": "2027-01-01T00:00:00"}).status_code == 422
    assert api.get("/v1/audit", params={"aggregate_id": "nope"}).status_code == 422
    assert api.get("/v1/audit", params={"cursor": "!!"}).status_code == 400
    theirs = other.client("Theirs")["id"]
    assert api.get("/v1/audit", params={"client_id": theirs}).status_code == 404


def test_client_keys_see_only_their_clients_in_audit_and_portfolio(api: Api) -> None:
    mine = api.client("Mine")
    theirs = api.client("Theirs")
    contact = api.key_for("client", [mine["id"]])
    items = fresh(contact, "/v1/audit", theirs["position"], limit=500)["items"]
    assert {i["client_id"] for i in items} == {mine["id"]}
    assert contact.get("/v1/audit", params={"client_id": theirs["id"]}).status_code == 404
    rows = fresh(contact, "/v1/portfolio", theirs["position"])["items"]
    assert [r["client_id"] for r in rows] == [mine["id"]]
    assert contact.get(f"/v1/clients/{theirs['id']}/roadmap").status_code == 404
    assert contact.get(f"/v1/clients/{mine['id']}/roadmap").status_code == 200


# ---------------------------------------------------------------- portfolio, roadmap, alignment


def test_portfolio(api: Api, other: Api) -> None:
    s = setup(api)
    month = s.client["fiscal_year_start_month"]
    today = datetime.now(UTC).date()
    next_quarter = str(FiscalQuarter.containing(today, month).next())
    soon = initiative(api, s.plan, [s.goal], target_quarter=next_quarter)
    loose = initiative(api, s.plan, [], target_quarter=None)
    gone = initiative(api, s.plan, [])
    assert act(api, s.plan, soon, "approve").status_code == 200
    assert act(api, s.plan, gone, "cancel").status_code == 200
    year = FiscalYear.containing(today, month).year
    b = budget(api, s.client_id, fiscal_year=year)
    line(api, b["id"], 70_000)
    line(api, b["id"], 30_000, quarter="Q2")
    assert move(api, b["id"], "submit").status_code == 200
    r = move(api, b["id"], "approve")
    assert r.status_code == 200, r.text
    other.client("Elsewhere")

    rows = fresh(api, "/v1/portfolio", r.json()["position"])["items"]
    assert len(rows) == 1
    row = rows[0]
    assert row["client_id"] == s.client_id and row["name"] == s.client["name"]
    assert row["active_strategy"] == {"id": s.strategy, "title": "IT strategy 2027"}
    assert row["initiatives_by_status"] == {
        "proposed": 1,
        "approved": 1,
        "in_progress": 0,
        "done": 0,
        "cancelled": 1,
    }
    assert row["unaligned_initiatives"] == 1  # `loose`; the cancelled one does not count
    assert row["current_budget"] == {
        "id": b["id"],
        "fiscal_year": year,
        "status": "approved",
        "planned": eur(100_000),
        "actual": eur(0),
    }
    assert [i["id"] for i in row["next_quarter_initiatives"]] == [soon]
    assert loose not in [i["id"] for i in row["next_quarter_initiatives"]]


def test_roadmap(api: Api) -> None:
    s = setup(api)
    a = initiative(
        api,
        s.plan,
        [s.goal],
        target_quarter="FY2027-Q2",
        one_time_cost=eur(1_000_00),
        recurring_cost={"amount_minor": 500, "currency": "EUR", "per": "month", "quantity": 3},
    )
    b = initiative(
        api,
        s.plan,
        [s.goal],
        target_quarter="FY2027-Q2",
        one_time_cost=eur(50_00),
        recurring_cost={"amount_minor": 1000, "currency": "EUR", "per": "quarter"},
    )
    cancelled = initiative(api, s.plan, [s.goal], target_quarter="FY2027-Q3")
    assert act(api, s.plan, cancelled, "cancel").status_code == 200
    unscheduled = initiative(api, s.plan, [s.goal], target_quarter=None)
    position = act(api, s.plan, a, "approve").json()["position"]
    body = fresh(
        api,
        f"/v1/clients/{s.client_id}/roadmap",
        position,
        **{"from": "FY2027-Q1", "to": "FY2027-Q4"},
    )
    assert [q["quarter"] for q in body["quarters"]] == [f"FY2027-Q{n}" for n in range(1, 5)]
    q1, q2, q3, _ = body["quarters"]
    assert q1["initiatives"] == [] and q1["one_time_total"] == eur(0)
    assert q1["starts_on"] == "2027-01-01" and q1["ends_on"] == "2027-03-31"
    assert [i["id"] for i in q2["initiatives"]] == [a, b]
    assert q2["initiatives"][0]["status"] == "approved"
    assert q2["one_time_total"] == eur(1_050_00)
    assert q2["recurring_annual_total"] == eur(500 * 3 * 12 + 1000 * 4)
    assert q3["initiatives"] == []  # cancelled initiatives are left out
    assert [i["id"] for i in body["unscheduled"]] == [unscheduled]
    path = f"/v1/clients/{s.client_id}/roadmap"
    assert api.get(path, params={"from": "2027Q1"}).status_code == 422
    assert api.get(path, params={"from": "FY2027-Q3", "to": "FY2027-Q1"}).status_code == 422
    assert api.get(path, params={"from": "FY2027-Q1", "to": "FY2047-Q1"}).status_code == 422
    assert len(api.get(path).json()["quarters"]) == 8  # two years from this quarter


def test_alignment(api: Api) -> None:
    s = setup(api)
    second = api.goal(s.strategy, "Cost control", "medium")
    # a goal added after adoption is still a goal of the active strategy
    served = initiative(api, s.plan, [s.goal])
    both = initiative(api, s.plan, [s.goal, second])
    stray = initiative(api, s.plan, [])
    gone = initiative(api, s.plan, [])
    position = act(api, s.plan, gone, "cancel").json()["position"]
    body = fresh(api, f"/v1/clients/{s.client_id}/alignment", position)
    assert body["strategy"] == {"id": s.strategy, "title": "IT strategy 2027"}
    goals = {g["goal"]["id"]: [i["id"] for i in g["initiatives"]] for g in body["goals"]}
    assert goals == {s.goal: [served, both], second: [both]}
    assert [i["id"] for i in body["unaligned_initiatives"]] == [stray]
    assert body["goals_without_initiatives"] == []
    retired = api.post(f"/v1/strategies/{s.strategy}/goals/{second}/retire", {"rationale": "met"})
    assert retired.status_code == 200, retired.text
    r = api.post(f"/v1/strategies/{s.strategy}/goals", {"title": "Training", "priority": "low"})
    third = r.json()["created_id"]
    body = fresh(api, f"/v1/clients/{s.client_id}/alignment", r.json()["position"])
    assert [g["goal"]["id"] for g in body["goals"]] == [s.goal, third]
    assert [g["id"] for g in body["goals_without_initiatives"]] == [third]


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


# ---------------------------------------------------------------- freshness


def test_every_read_waits_for_min_position_then_503(
    api: Api, container: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(container, "settings", container.settings.with_(read_wait=0.3))
    client = api.client()
    review = api.post(
        f"/v1/clients/{client['id']}/reviews", {"title": "QBR", "scheduled_for": "2027-01-10"}
    ).json()
    cid = client["id"]
    paths = [
        ("/v1/audit", {}),
        ("/v1/portfolio", {}),
        (f"/v1/clients/{cid}/roadmap", {}),
        (f"/v1/clients/{cid}/alignment", {}),
        (f"/v1/clients/{cid}/reviews", {}),
        (f"/v1/clients/{cid}/changes", {"since": "2000-01-01T00:00:00Z"}),
    ]
    for path, params in paths:
        ok = api.get(path, params={**params, "min_position": review["position"]})
        assert ok.status_code == 200, (path, ok.text)
        behind = api.get(path, params={**params, "min_position": 10**12})
        assert behind.status_code == 503, path
        assert behind.headers["retry-after"]
        assert behind.headers["content-type"].startswith("application/problem+json")


def test_audit_items_are_the_history_items_of_every_aggregate(api: Api) -> None:
    s = setup(api)
    iid = initiative(api, s.plan, [s.goal], one_time_cost=eur(10_00))
    r = api.patch(
        f"/v1/plans/{s.plan}/initiatives/{iid}",
        {"title": "Firewalls", "target_quarter": None, "rationale": "scope"},
    )
    assert r.status_code == 200, r.text
    trail = fresh(api, "/v1/audit", r.json()["position"], limit=500)["items"]
    for kind, aggregate_id in (
        ("clients", s.client_id),
        ("strategies", s.strategy),
        ("plans", s.plan),
    ):
        history = api.get(f"/v1/{kind}/{aggregate_id}/history", params={"limit": 500}).json()
        mine = [i for i in reversed(trail) if i["aggregate_id"] == aggregate_id]
        fields = history["items"][0].keys()
        assert [{k: i[k] for k in fields} for i in mine] == history["items"], kind
