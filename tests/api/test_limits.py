"""Limits over HTTP: past one, 422 with a problem type of its own that names the limit."""

from __future__ import annotations

from typing import Any

import pytest

from domain import limits
from tests.api.conftest import Api


def refused_for_the_limit(r: Any, what: str) -> None:
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["type"].endswith("/limit-exceeded")
    assert what in problem["detail"]


def test_a_strategy_takes_200_goals_and_no_more(api: Api) -> None:
    client = api.client()
    strategy = api.strategy(client["id"])
    for n in range(limits.GOALS_PER_STRATEGY):
        r = api.post(
            f"/v1/strategies/{strategy['id']}/goals", {"title": f"G{n}", "priority": "low"}
        )
        assert r.status_code == 201, r.text
    r = api.post(f"/v1/strategies/{strategy['id']}/goals", {"title": "one more", "priority": "low"})
    refused_for_the_limit(r, "at most 200 goals")
    assert len(api.get(f"/v1/strategies/{strategy['id']}").json()["goals"]) == 200


def test_a_tenant_takes_50_webhooks_and_no_more(api: Api) -> None:
    for n in range(limits.WEBHOOKS_PER_TENANT):
        r = api.post("/v1/webhooks", {"url": f"http://127.0.0.1:9/{n}", "event_types": ["*"]})
        assert r.status_code == 201, r.text
    r = api.post("/v1/webhooks", {"url": "http://127.0.0.1:9/x", "event_types": ["*"]})
    refused_for_the_limit(r, "at most 50 webhook subscriptions")


def test_keys_past_the_limit_are_refused_and_revoking_makes_room(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "KEYS_PER_TENANT", 3)  # the tenant's admin key is the first
    made = [api.post("/v1/api-keys", {"name": f"k{n}", "role": "viewer"}) for n in range(2)]
    assert [r.status_code for r in made] == [201, 201]
    refused_for_the_limit(api.post("/v1/api-keys", {"name": "k", "role": "viewer"}), "API keys")
    assert api.delete(f"/v1/api-keys/{made[0].json()['id']}").status_code == 204
    assert api.post("/v1/api-keys", {"name": "k", "role": "viewer"}).status_code == 201
