"""How a decision changed over time: history, ?version=, ?as_of=, /diff."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

from tests.api.conftest import Api


def _strategy_with_history(api: Api) -> tuple[dict[str, str], str]:
    s = api.strategy(api.client()["id"], "Strategy 2027")
    goal = api.goal(s["id"], "Backups", "medium")
    api.patch(
        f"/v1/strategies/{s['id']}/goals/{goal}",
        {"priority": "critical", "rationale": "ransomware at a peer"},
    )
    api.post(f"/v1/strategies/{s['id']}/adopt", {"rationale": "QBR sign-off"})
    return s, goal


def test_history_lists_each_decision_with_field_changes(api: Api) -> None:
    s, goal = _strategy_with_history(api)
    r = api.get(f"/v1/strategies/{s['id']}/history")
    assert r.status_code == 200
    items = r.json()["items"]
    assert [i["type"] for i in items] == [
        "strategy.created",
        "strategy.goal_added",
        "strategy.goal_reprioritized",
        "strategy.adopted",
    ]
    assert [i["version"] for i in items] == [1, 2, 3, 4]
    positions = [i["position"] for i in items]
    assert positions == sorted(positions)
    reprioritized = items[2]
    assert reprioritized["rationale"] == "ransomware at a peer"
    assert reprioritized["changes"] == [
        {"path": f"/goals/{goal}/priority", "before": "medium", "after": "critical"}
    ]
    assert reprioritized["actor"]["role"] == "admin" and reprioritized["actor"]["id"]
    assert reprioritized["occurred_at"].endswith("Z")
    added = items[1]["changes"]
    assert added[0]["path"] == f"/goals/{goal}" and added[0]["before"] is None
    assert added[0]["after"]["title"] == "Backups"
    assert items[3]["changes"] == [{"path": "/status", "before": "draft", "after": "active"}]


def test_history_is_paged(api: Api) -> None:
    s, _ = _strategy_with_history(api)
    first = api.get(f"/v1/strategies/{s['id']}/history", params={"limit": 3}).json()
    assert [i["version"] for i in first["items"]] == [1, 2, 3]
    rest = api.get(
        f"/v1/strategies/{s['id']}/history", params={"limit": 3, "cursor": first["next_cursor"]}
    ).json()
    assert [i["version"] for i in rest["items"]] == [4] and rest["next_cursor"] is None


def test_version_shows_the_past(api: Api) -> None:
    s, _ = _strategy_with_history(api)
    v2 = api.get(f"/v1/strategies/{s['id']}", params={"version": 2})
    assert v2.status_code == 200 and v2.headers["etag"] == '"2"'
    assert v2.json()["goals"][0]["priority"] == "medium" and v2.json()["status"] == "draft"
    assert api.get(f"/v1/strategies/{s['id']}", params={"version": 5}).status_code == 404
    assert api.get(f"/v1/strategies/{s['id']}", params={"version": 0}).status_code == 404


def test_as_of_resolves_a_time_to_a_version(api: Api) -> None:
    s = api.strategy(api.client()["id"])
    items = api.get(f"/v1/strategies/{s['id']}/history").json()["items"]
    created_at = datetime.fromisoformat(items[0]["occurred_at"])
    deadline = time.monotonic() + 5
    while (
        datetime.now(UTC) <= created_at + timedelta(milliseconds=5) and time.monotonic() < deadline
    ):
        pass  # the next event must carry a later timestamp
    api.goal(s["id"])
    at_creation = api.get(f"/v1/strategies/{s['id']}", params={"as_of": items[0]["occurred_at"]})
    assert at_creation.status_code == 200 and at_creation.json()["version"] == 1
    now = api.get(f"/v1/strategies/{s['id']}", params={"as_of": datetime.now(UTC).isoformat()})
    assert now.json()["version"] == 2
    offset = (created_at + timedelta(microseconds=1)).astimezone(timezone(timedelta(hours=2)))
    assert (
        api.get(f"/v1/strategies/{s['id']}", params={"as_of": offset.isoformat()}).json()["version"]
        == 1
    )
    before = (created_at - timedelta(seconds=1)).isoformat()
    assert api.get(f"/v1/strategies/{s['id']}", params={"as_of": before}).status_code == 404
    # both bounds: the resource at whichever came first
    both = {"as_of": items[0]["occurred_at"], "version": 2}
    assert api.get(f"/v1/strategies/{s['id']}", params=both).json()["version"] == 1
    both = {"as_of": datetime.now(UTC).isoformat(), "version": 1}
    assert api.get(f"/v1/strategies/{s['id']}", params=both).json()["version"] == 1
    both = {"as_of": before, "version": 1}
    assert api.get(f"/v1/strategies/{s['id']}", params=both).status_code == 404
    assert api.get(f"/v1/strategies/{s['id']}", params={"as_of": "yesterday"}).status_code in (
        400,
        422,
    )


def test_diff_between_versions(api: Api) -> None:
    s, goal = _strategy_with_history(api)
    r = api.get(f"/v1/strategies/{s['id']}/diff", params={"from": 2, "to": 4})
    assert r.status_code == 200
    assert r.json() == {
        "from": 2,
        "to": 4,
        "changes": [
            {"path": "/status", "before": "draft", "after": "active"},
            {"path": f"/goals/{goal}/priority", "before": "medium", "after": "critical"},
        ],
    }
    assert api.get(f"/v1/strategies/{s['id']}/diff", params={"from": 1, "to": 9}).status_code == 404
    assert api.get(f"/v1/strategies/{s['id']}/diff", params={"from": 1}).status_code in (400, 422)


def test_client_history(api: Api) -> None:
    client = api.client("Before")
    api.patch(f"/v1/clients/{client['id']}", {"fiscal_year_start_month": 4, "rationale": "new FY"})
    items = api.get(f"/v1/clients/{client['id']}/history").json()["items"]
    assert [i["type"] for i in items] == ["client.created", "client.fiscal_year_changed"]
    assert items[1]["changes"] == [{"path": "/fiscal_year_start_month", "before": 1, "after": 4}]
    old = api.get(f"/v1/clients/{client['id']}", params={"version": 1}).json()
    assert old["fiscal_year_start_month"] == 1
