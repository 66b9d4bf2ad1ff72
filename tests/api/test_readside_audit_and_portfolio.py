"""The audit trail, portfolio, roadmap and alignment, answered from projections after
`min_position`, and every read's wait for it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.calendar import FiscalQuarter, FiscalYear
from tests.api.conftest import Api
from tests.api.readside_helpers import all_items, fresh
from tests.api.tactical import act, budget, eur, initiative, line, move, setup
from tests.integration.server import paused

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
    assert api.get("/v1/audit", params={"cursor": "!!"}).status_code in (400, 422)
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


# ---------------------------------------------------------------- freshness


def test_every_read_waits_for_min_position_then_503_and_refuses_one_beyond_the_log(
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
        beyond = api.get(path, params={**params, "min_position": 10**12})
        assert beyond.status_code == 422, (path, beyond.text)
    with paused(container, *container.runner.by_name):  # a position no projection has folded
        later = api.post(
            f"/v1/clients/{cid}/reviews", {"title": "QBR 2", "scheduled_for": "2027-04-10"}
        ).json()["position"]
        for path, params in paths:
            behind = api.get(path, params={**params, "min_position": later})
            assert behind.status_code == 503, path
            assert behind.headers["retry-after"]
            assert behind.headers["content-type"].startswith("application/problem+json")
