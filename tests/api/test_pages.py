"""Pages that cost what they hold: /history from the audit trail's stored changes (and the
event store for what the trail has not folded), /changes decisions paged."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from projections import audit
from tests.api.conftest import Api
from tests.api.readside_helpers import all_items, fresh
from tests.api.tactical import initiative, setup
from tests.integration.readside import wait_until


def history(api: Api, path: str, limit: int) -> list[dict[str, Any]]:
    return all_items(api, path, limit=limit)


def test_history_holds_every_command_whether_the_trail_has_folded_it_or_not(
    api: Api, container: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = setup(api)
    iid = initiative(api, s.plan, [s.goal])
    for quarter in ("FY2027-Q3", "FY2027-Q4"):
        r = api.patch(
            f"/v1/plans/{s.plan}/initiatives/{iid}",
            {"target_quarter": quarter, "rationale": "vendor"},
        )
        assert r.status_code == 200, r.text
    fresh(api, "/v1/audit", r.json()["position"])  # the trail has folded all of it
    path = f"/v1/plans/{s.plan}/history"
    folded = history(api, path, 500)
    assert [i["version"] for i in folded] == [1, 2, 3, 4]
    assert history(api, path, 1) == folded  # page by page, the same items

    # the trail holds the plan back (a fold that fails for it): history still has it all
    real = type(audit.projection).fold

    def fold(self: Any, cur: Any, event: Any, position: int) -> None:
        if event.originator_id == UUID(s.plan):
            raise ValueError("not this plan")
        real(self, cur, event, position)

    monkeypatch.setattr(type(audit.projection), "fold", fold)
    for action in ("approve", "start"):
        r = api.post(f"/v1/plans/{s.plan}/initiatives/{iid}/{action}", {"rationale": action})
        assert r.status_code == 200, r.text
    wait_until(
        lambda: {x["name"]: x for x in container.runner.status()}["audit"]["parked"]["events"] == 2,
        timeout=20,
        what="the trail parked the plan's two new events",
    )
    computed = history(api, path, 2)
    assert [i["version"] for i in computed] == [1, 2, 3, 4, 5, 6]
    assert computed[:4] == folded
    assert computed[4]["changes"] == [
        {"path": f"/initiatives/{iid}/status", "before": "proposed", "after": "approved"}
    ]
    assert computed[5]["position"] == r.json()["position"]

    # folded after the fix: the trail's items are exactly the ones computed meanwhile
    monkeypatch.setattr(type(audit.projection), "fold", real)
    assert container.runner.retry("audit") == {"folded": 2, "parked": 0}
    assert history(api, path, 3) == computed
    assert api.get(path, params={"limit": 0}).status_code == 422
    assert api.get(path, params={"cursor": "!!"}).status_code in (400, 422)


def test_changes_decisions_are_paged(api: Api) -> None:
    s = setup(api)
    iid = initiative(api, s.plan, [s.goal])
    for n, quarter in enumerate(("FY2027-Q3", "FY2027-Q4", "FY2028-Q1")):
        r = api.patch(
            f"/v1/plans/{s.plan}/initiatives/{iid}",
            {"target_quarter": quarter, "rationale": f"move {n}"},
        )
        assert r.status_code == 200, r.text
    path = f"/v1/clients/{s.client_id}/changes"
    since = {"since": "2000-01-01T00:00:00Z"}
    whole = fresh(api, path, r.json()["position"], limit=500, **since)
    assert whole["next_cursor"] is None and len(whole["decisions"]) >= 8
    pages, cursor = [], None
    while True:
        body = api.get(
            path, params={**since, "limit": 3, **({"cursor": cursor} if cursor else {})}
        ).json()
        assert len(body["decisions"]) <= 3
        pages.append(body)
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert [d for p in pages for d in p["decisions"]] == whole["decisions"]
    assert pages[0]["aggregates"] == whole["aggregates"] and whole["aggregates"]
    assert all(p["aggregates"] == [] for p in pages[1:])  # net changes: with the first page
    plan = next(a for a in whole["aggregates"] if a["aggregate_id"] == s.plan)
    assert {"path": "/title", "before": None, "after": "Plan FY2027"} in plan["changes"]
    assert api.get(path, params={**since, "limit": 501}).status_code == 422
    assert api.get(path, params={**since, "cursor": "!!"}).status_code in (400, 422)
