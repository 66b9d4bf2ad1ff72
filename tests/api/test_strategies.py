"""Strategies: goals, principles, adoption (one active per client), archive, read-only states."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.api.conftest import Api


def test_strategy_lifecycle(api: Api) -> None:
    client = api.client()
    r = api.post(
        f"/v1/clients/{client['id']}/strategies",
        {"title": "IT 2027", "vision": "Secure\tand\nsimple"},
    )
    assert r.status_code == 201
    s = r.json()
    assert s["status"] == "draft" and s["client_id"] == client["id"] and s["goals"] == []
    r = api.post(
        f"/v1/strategies/{s['id']}/goals",
        {"title": "Resilience", "description": "Recover in 4h", "priority": "high"},
    )
    assert r.status_code == 201
    goal_id = r.json()["created_id"]
    assert r.json()["goals"] == [
        {
            "id": goal_id,
            "title": "Resilience",
            "description": "Recover in 4h",
            "priority": "high",
            "status": "active",
        }
    ]
    r = api.post(f"/v1/strategies/{s['id']}/principles", {"statement": "Cloud first"})
    assert r.status_code == 201
    assert r.json()["principles"][0]["statement"] == "Cloud first"
    r = api.patch(
        f"/v1/strategies/{s['id']}/goals/{goal_id}",
        {"priority": "critical", "rationale": "peer breach"},
    )
    assert r.status_code == 200 and r.json()["goals"][0]["priority"] == "critical"
    r = api.post(f"/v1/strategies/{s['id']}/goals/{goal_id}/retire", {"rationale": "done"})
    assert r.status_code == 200 and r.json()["goals"][0]["status"] == "retired"
    assert (
        api.post(
            f"/v1/strategies/{s['id']}/goals/{goal_id}/retire", {"rationale": "again"}
        ).status_code
        == 409
    )
    r = api.post(f"/v1/strategies/{s['id']}/adopt", {"rationale": "board approved"})
    assert r.status_code == 200 and r.json()["status"] == "active"
    assert api.get(f"/v1/clients/{client['id']}").json()["active_strategy_id"] == s["id"]
    r = api.post(f"/v1/strategies/{s['id']}/archive", {"rationale": "replaced by nothing"})
    assert r.status_code == 200 and r.json()["status"] == "archived"
    assert api.get(f"/v1/clients/{client['id']}").json()["active_strategy_id"] is None


def test_decisions_need_a_rationale(api: Api) -> None:
    s = api.strategy(api.client()["id"])
    g = api.goal(s["id"])
    for path, body in [
        (f"/v1/strategies/{s['id']}/adopt", {}),
        (f"/v1/strategies/{s['id']}/archive", {"rationale": ""}),
        (f"/v1/strategies/{s['id']}/goals/{g}/retire", {"rationale": " "}),
    ]:
        r = api.post(path, body)
        assert r.status_code == 422, (path, r.text)
        assert r.json()["errors"][0]["field"] == "rationale"
    assert api.patch(f"/v1/strategies/{s['id']}/goals/{g}", {"priority": "low"}).status_code == 422
    assert api.get(f"/v1/strategies/{s['id']}").json()["version"] == 2


def test_goal_validation(api: Api) -> None:
    s = api.strategy(api.client()["id"])
    path = f"/v1/strategies/{s['id']}/goals"
    assert api.post(path, {"title": "x", "priority": "urgent"}).status_code == 422
    assert api.post(path, {"title": "x"}).status_code == 422
    assert (
        api.post(path, {"title": "x", "priority": "low", "description": "y" * 4001}).status_code
        == 422
    )
    assert (
        api.post(path, {"title": "x", "priority": "low", "description": "bell\x07"}).status_code
        == 422
    )
    assert (
        api.post(path, {"title": "x", "priority": "low", "description": "y" * 4000}).status_code
        == 201
    )
    unknown_goal = f"/v1/strategies/{s['id']}/goals/00000000-0000-0000-0000-000000000000"
    assert api.patch(unknown_goal, {"priority": "low", "rationale": "r"}).status_code == 404


def test_adopting_supersedes_the_previous_active_strategy(api: Api) -> None:
    client = api.client()
    first = api.strategy(client["id"], "2026")
    second = api.strategy(client["id"], "2027")
    assert api.post(f"/v1/strategies/{first['id']}/adopt", {"rationale": "r"}).status_code == 200
    assert (
        api.post(f"/v1/strategies/{second['id']}/adopt", {"rationale": "new year"}).status_code
        == 200
    )
    assert api.get(f"/v1/strategies/{first['id']}").json()["status"] == "superseded"
    assert api.get(f"/v1/strategies/{second['id']}").json()["status"] == "active"
    history = api.get(f"/v1/strategies/{first['id']}/history").json()["items"]
    assert history[-1]["type"] == "strategy.superseded" and history[-1]["rationale"] == "new year"
    # superseded and archived strategies are read-only
    for path, body in [
        (f"/v1/strategies/{first['id']}/goals", {"title": "x", "priority": "low"}),
        (f"/v1/strategies/{first['id']}/principles", {"statement": "x"}),
        (f"/v1/strategies/{first['id']}/adopt", {"rationale": "r"}),
        (f"/v1/strategies/{first['id']}/archive", {"rationale": "r"}),
    ]:
        assert api.post(path, body).status_code == 409, path
    listed = api.get(
        f"/v1/clients/{client['id']}/strategies", params={"min_position": history[-1]["position"]}
    )
    statuses = {s["id"]: s["status"] for s in listed.json()["items"]}
    assert statuses == {first["id"]: "superseded", second["id"]: "active"}


def test_concurrent_adoptions_leave_exactly_one_active(api: Api) -> None:
    client = api.client()
    drafts = [api.strategy(client["id"], f"Option {i}") for i in range(6)]

    def adopt(s: dict[str, str]) -> int:
        return int(api.post(f"/v1/strategies/{s['id']}/adopt", {"rationale": "race"}).status_code)

    with ThreadPoolExecutor(6) as pool:
        codes = list(pool.map(adopt, drafts))
    assert all(code in (200, 409) for code in codes), codes
    statuses = [api.get(f"/v1/strategies/{s['id']}").json()["status"] for s in drafts]
    assert statuses.count("active") == 1, statuses
    active = drafts[statuses.index("active")]["id"]
    assert api.get(f"/v1/clients/{client['id']}").json()["active_strategy_id"] == active
    assert set(statuses) <= {"active", "superseded", "draft"}


def test_concurrent_changes_to_one_strategy_lose_nothing(api: Api) -> None:
    s = api.strategy(api.client()["id"])

    def add(i: int) -> int:
        r = api.post(
            f"/v1/strategies/{s['id']}/goals", {"title": f"Goal {i}", "priority": "medium"}
        )
        return int(r.status_code)

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(add, range(20)))
    accepted = codes.count(201)
    assert set(codes) <= {201, 409}
    final = api.get(f"/v1/strategies/{s['id']}").json()
    assert len(final["goals"]) == accepted and final["version"] == 1 + accepted
    assert accepted >= 15
