"""Subscribing, listing and verifying deliveries, shared by the webhook delivery tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from standardwebhooks import Webhook

from tests.api.conftest import Api
from tests.api.webhook_receiver import wait_until


def subscribe(api: Api, hooks: list[str], url: str, event_types: list[str]) -> dict[str, Any]:
    r = api.post("/v1/webhooks", {"url": url, "event_types": event_types})
    assert r.status_code == 201, r.text
    hooks.append(r.json()["id"])
    return dict(r.json())


def deliveries(api: Api, webhook_id: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    query = {"limit": 500, **params}
    while True:
        r = api.get(f"/v1/webhooks/{webhook_id}/deliveries", params=query)
        assert r.status_code == 200, r.text
        items += r.json()["items"]
        if not r.json()["next_cursor"]:
            return items
        query["cursor"] = r.json()["next_cursor"]


def settled(api: Api, webhook_id: str, count: int, status: str) -> Callable[[], Any]:
    def check() -> Any:
        found = deliveries(api, webhook_id)
        done = [d for d in found if d["status"] == status]
        return found if len(found) == count and len(done) == count else None

    return check


def quiet(api: Api, webhook_id: str, last_position: int) -> list[dict[str, Any]]:
    """Wait until nothing more will be sent to this endpoint for the events up to
    `last_position`: the fan-out has folded them (min_position), so every delivery they make
    exists, and none of them is pending, so the worker has nothing left to send. The
    receiver records a request before answering it, so every attempt is in it by then."""

    def check() -> Any:
        found = deliveries(api, webhook_id, min_position=last_position)
        return found if all(d["status"] != "pending" for d in found) else None

    found: list[dict[str, Any]] = wait_until(check, what="no delivery left pending")
    return found


def verify(secret: str, request: Any) -> dict[str, Any]:
    result: dict[str, Any] = Webhook(secret).verify(request.body, request.headers)
    return result
