"""Technology plans as read and as guarded: the list, history and time travel, what a client
key may do, tenancy."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.api.conftest import Api
from tests.api.tactical import act, eur, initiative, setup


def test_plans_list_counts_initiatives_and_pages(api: Api) -> None:
    s = setup(api)
    a = initiative(api, s.plan, [s.goal])
    initiative(api, s.plan, [s.goal])
    last = act(api, s.plan, a, "approve").json()["position"]
    for i in range(2):
        r = api.post(
            f"/v1/clients/{s.client_id}/plans", {"title": f"Plan {i}", "strategy_id": s.strategy}
        )
        assert r.status_code == 201
        last = r.json()["position"]
    path = f"/v1/clients/{s.client_id}/plans"
    first = api.get(path, params={"limit": 2, "min_position": last}).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    assert first["items"][0]["id"] == s.plan
    assert first["items"][0]["initiative_count"] == 2
    assert first["items"][0]["initiatives_by_status"] == {
        "proposed": 1,
        "approved": 1,
        "in_progress": 0,
        "done": 0,
        "cancelled": 0,
    }
    assert first["items"][0]["version"] == 4
    rest = api.get(path, params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [p["title"] for p in rest["items"]] == ["Plan 1"] and rest["next_cursor"] is None
    assert api.get(path, params={"limit": 0}).status_code == 422
    assert api.get(path, params={"cursor": "!!"}).status_code in (400, 422)


def test_client_key_approves_and_defers_but_does_not_edit(api: Api) -> None:
    s = setup(api)
    contact = api.key_for("client", [s.client_id])
    iid = initiative(api, s.plan, [s.goal])
    later = initiative(api, s.plan, [s.goal])
    assert contact.get(f"/v1/plans/{s.plan}").status_code == 200
    assert contact.get(f"/v1/plans/{s.plan}/history").status_code == 200
    assert contact.get(f"/v1/clients/{s.client_id}/plans").status_code == 200
    r = act(contact, s.plan, iid, "approve", rationale="Signed off by the CFO")
    assert r.status_code == 200
    history = contact.get(f"/v1/plans/{s.plan}/history").json()["items"]
    assert history[-1]["actor"]["role"] == "client"
    assert history[-1]["rationale"] == "Signed off by the CFO"
    assert act(contact, s.plan, later, "defer", target_quarter="FY2028-Q1").status_code == 200
    forbidden = [
        contact.post(f"/v1/clients/{s.client_id}/plans", {"title": "x", "strategy_id": s.strategy}),
        contact.post(
            f"/v1/plans/{s.plan}/initiatives",
            {"title": "x", "category": "other", "goal_ids": [], "priority": "low"},
        ),
        contact.patch(f"/v1/plans/{s.plan}/initiatives/{iid}", {"title": "y", "rationale": "r"}),
        act(contact, s.plan, iid, "start"),
        act(contact, s.plan, later, "cancel"),
    ]
    assert [r.status_code for r in forbidden] == [403] * 5
    # another client's contact sees nothing of this plan
    stranger = api.key_for("client", [api.client("Other")["id"]])
    assert stranger.get(f"/v1/plans/{s.plan}").status_code == 404
    assert act(stranger, s.plan, later, "approve").status_code == 404
    viewer, editor = api.key_for("viewer"), api.key_for("editor")
    assert viewer.get(f"/v1/plans/{s.plan}").status_code == 200
    assert act(viewer, s.plan, later, "approve").status_code == 403
    assert act(editor, s.plan, later, "approve").status_code == 200


def test_plan_history_time_travel_and_diff(api: Api) -> None:
    s = setup(api)
    iid = initiative(api, s.plan, [s.goal], one_time_cost=eur(500_00))
    path = f"/v1/plans/{s.plan}/initiatives/{iid}"
    api.patch(path, {"target_quarter": "FY2027-Q3", "rationale": "budget freeze"})
    api.patch(path, {"priority": "critical", "rationale": "insurer demands it"})
    history = api.get(f"/v1/plans/{s.plan}/history").json()["items"]
    assert [h["version"] for h in history] == [1, 2, 3, 4]
    assert history[2]["type"] == "plan.initiative_rescheduled"
    assert history[2]["rationale"] == "budget freeze"
    assert history[2]["changes"] == [
        {"path": f"/initiatives/{iid}/target_quarter", "before": "FY2027-Q2", "after": "FY2027-Q3"}
    ]
    added = history[1]["changes"]
    assert len(added) == 1 and added[0]["path"] == f"/initiatives/{iid}"
    assert added[0]["before"] is None and added[0]["after"]["title"] == "Replace firewalls"
    page = api.get(f"/v1/plans/{s.plan}/history", params={"limit": 3}).json()
    assert len(page["items"]) == 3 and page["next_cursor"]
    old = api.get(f"/v1/plans/{s.plan}", params={"version": 2})
    assert old.status_code == 200 and old.headers["etag"] == '"2"'
    assert old.json()["initiatives"][0]["target_quarter"] == "FY2027-Q2"
    assert api.get(f"/v1/plans/{s.plan}", params={"version": 5}).status_code == 404
    assert api.get(f"/v1/plans/{s.plan}", params={"version": 0}).status_code == 404
    at = datetime.fromisoformat(history[2]["occurred_at"].replace("Z", "+00:00"))
    then = api.get(f"/v1/plans/{s.plan}", params={"as_of": at.isoformat()}).json()
    assert then["version"] == 3 and then["initiatives"][0]["priority"] == "high"
    before = (at - timedelta(days=1)).astimezone(UTC).isoformat()
    assert api.get(f"/v1/plans/{s.plan}", params={"as_of": before}).status_code == 404
    diff = api.get(f"/v1/plans/{s.plan}/diff", params={"from": 2, "to": 4}).json()
    assert diff == {
        "from": 2,
        "to": 4,
        "changes": [
            {
                "path": f"/initiatives/{iid}/target_quarter",
                "before": "FY2027-Q2",
                "after": "FY2027-Q3",
            },
            {"path": f"/initiatives/{iid}/priority", "before": "high", "after": "critical"},
        ],
    }
    assert api.get(f"/v1/plans/{s.plan}/diff", params={"from": 1, "to": 9}).status_code == 404


def test_another_tenants_plans_answer_like_missing_ones(api: Api, other: Api) -> None:
    s = setup(api)
    iid = initiative(api, s.plan, [s.goal])
    p, c = s.plan, s.client_id
    probes: list[tuple[str, str, Any]] = [
        ("get", f"/v1/plans/{p}", None),
        ("get", f"/v1/plans/{p}?version=1", None),
        ("get", f"/v1/plans/{p}/history", None),
        ("get", f"/v1/plans/{p}/diff?from=1&to=2", None),
        ("get", f"/v1/clients/{c}/plans", None),
        ("post", f"/v1/clients/{c}/plans", {"title": "x", "strategy_id": s.strategy}),
        (
            "post",
            f"/v1/plans/{p}/initiatives",
            {"title": "x", "category": "other", "goal_ids": [], "priority": "low"},
        ),
        ("patch", f"/v1/plans/{p}/initiatives/{iid}", {"title": "x", "rationale": "r"}),
        ("post", f"/v1/plans/{p}/initiatives/{iid}/cancel", {"rationale": "r"}),
    ]
    for method, path, body in probes:
        kwargs: dict[str, Any] = {} if body is None else {"json": body}
        theirs = getattr(other, method)(path, **kwargs)
        missing = getattr(other, method)(
            path.replace(p, str(uuid.uuid4())).replace(c, str(uuid.uuid4())), **kwargs
        )
        assert theirs.status_code == missing.status_code == 404, (method, path, theirs.text)
        assert theirs.json()["title"] == missing.json()["title"]
    # a plan cannot follow another tenant's strategy either
    theirs = other.client()
    r = other.post(f"/v1/clients/{theirs['id']}/plans", {"title": "x", "strategy_id": s.strategy})
    assert r.status_code == 422
    assert api.get(f"/v1/plans/{p}").json()["version"] == 2
