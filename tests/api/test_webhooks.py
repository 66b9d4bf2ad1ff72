"""Webhook subscriptions over HTTP: the contract of API.md, roles, tenancy and validation."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import Api
from tests.api.webhook_receiver import wait_until

URL = "http://127.0.0.1:9/hook"


@pytest.fixture(autouse=True)
def no_leftovers(api: Api) -> Iterator[None]:
    """Nothing listens on URL: delete the test's webhooks so no worker keeps trying them."""
    yield
    for hook in api.get("/v1/webhooks", params={"limit": 500}).json()["items"]:
        api.delete(f"/v1/webhooks/{hook['id']}")


def subscribe(api: Api, event_types: list[str] | None = None, **more: Any) -> dict[str, Any]:
    r = api.post("/v1/webhooks", {"url": URL, "event_types": event_types or ["*"], **more})
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_create_shows_the_secret_once(api: Api) -> None:
    created = subscribe(api, ["plan.*", "client.created"], description="PSA sync")
    assert created["status"] == "enabled"
    assert created["url"] == URL
    assert created["event_types"] == ["plan.*", "client.created"]
    assert created["description"] == "PSA sync"
    assert created["secret"].startswith("whsec_")
    import base64

    assert len(base64.b64decode(created["secret"].removeprefix("whsec_"))) == 32
    got = api.get(f"/v1/webhooks/{created['id']}")
    assert got.status_code == 200
    assert "secret" not in got.json()
    assert got.headers["etag"] == f'"{created["version"]}"'
    assert {k: got.json()[k] for k in ("id", "url", "event_types", "status")} == {
        k: created[k] for k in ("id", "url", "event_types", "status")
    }
    listed = api.get("/v1/webhooks").json()
    assert [w["id"] for w in listed["items"]] == [created["id"]]
    assert "secret" not in listed["items"][0]


def test_secret_is_encrypted_at_rest(api: Api, container: Any) -> None:
    created = subscribe(api)
    with container.db.projector_tx() as cur:
        cur.execute("SELECT * FROM webhook_subscriptions WHERE id = %s", (created["id"],))
        row = cur.fetchone()
    assert created["secret"] not in str(row)
    assert created["secret"].removeprefix("whsec_") not in str(row)


def test_list_is_paged(api: Api) -> None:
    ids = [subscribe(api)["id"] for _ in range(3)]
    page = api.get("/v1/webhooks", params={"limit": 2}).json()
    seen = [w["id"] for w in page["items"]]
    assert len(seen) == 2 and page["next_cursor"]
    page = api.get("/v1/webhooks", params={"limit": 2, "cursor": page["next_cursor"]}).json()
    seen += [w["id"] for w in page["items"]]
    assert seen == ids and page["next_cursor"] is None
    assert api.get("/v1/webhooks", params={"limit": 0}).status_code == 422
    assert api.get("/v1/webhooks", params={"cursor": "!!"}).status_code in (400, 422)


def test_patch_and_delete(api: Api) -> None:
    created = subscribe(api)
    path = f"/v1/webhooks/{created['id']}"
    r = api.patch(path, {"event_types": ["strategy.*"], "description": "strategies only"})
    assert r.status_code == 200, r.text
    assert r.json()["event_types"] == ["strategy.*"]
    assert r.json()["description"] == "strategies only"
    assert r.json()["version"] == created["version"] + 1
    assert r.headers["etag"] == f'"{r.json()["version"]}"'
    stale = api.patch(path, {"description": "x"}, headers={"If-Match": f'"{created["version"]}"'})
    assert stale.status_code == 412
    r = api.patch(path, {"status": "disabled"})
    assert r.json()["status"] == "disabled"
    assert r.json()["disabled_reason"] == "disabled through the API"
    r = api.patch(path, {"status": "enabled"})
    assert r.json()["status"] == "enabled" and r.json()["disabled_reason"] is None
    assert api.patch(path, {"status": "paused"}).status_code == 422
    assert api.patch(path, {"secret": "whsec_x"}).status_code == 422
    assert api.delete(path).status_code == 204
    assert api.get(path).status_code == 404
    assert api.delete(path).status_code == 404


def test_rotate_secret(api: Api) -> None:
    created = subscribe(api)
    r = api.post(f"/v1/webhooks/{created['id']}/rotate-secret")
    assert r.status_code == 200, r.text
    secret = r.json()["secret"]
    assert secret.startswith("whsec_") and secret != created["secret"]
    assert r.json()["previous_secret_expires_at"].endswith("Z")
    assert api.post("/v1/webhooks/not-an-id/rotate-secret").status_code == 404


@pytest.mark.parametrize(
    "body, field",
    [
        ({"url": "ftp://example.com/x", "event_types": ["*"]}, "url"),
        ({"url": "file:///etc/passwd", "event_types": ["*"]}, "url"),
        ({"url": "example.com/hook", "event_types": ["*"]}, "url"),
        ({"url": "http://user:pw@127.0.0.1/hook", "event_types": ["*"]}, "url"),
        ({"url": URL, "event_types": []}, "event_types"),
        (
            {"url": URL, "event_types": ["plan.initiative_rescheduled", "plan.nope"]},
            "event_types.1",
        ),
        ({"url": URL, "event_types": ["nope.*"]}, "event_types.0"),
        ({"url": URL, "event_types": ["plan*"]}, "event_types.0"),
        ({"url": URL, "event_types": ["PLAN.*"]}, "event_types.0"),
        ({"url": URL, "event_types": "*"}, "event_types"),
        ({"url": URL}, "event_types"),
        ({"event_types": ["*"]}, "url"),
        ({"url": URL, "event_types": ["*"], "secret": "mine"}, "secret"),
    ],
)
def test_validation(api: Api, body: dict[str, Any], field: str) -> None:
    r = api.post("/v1/webhooks", body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"] for e in r.json()["errors"]], r.json()


def test_every_catalogue_name_and_prefix_is_accepted(api: Api) -> None:
    catalogue = api.get("/v1/event-types").json()["items"]
    names = [e["type"] for e in catalogue]
    prefixes = sorted({f"{e['aggregate_type']}.*" for e in catalogue})
    assert {"client.*", "strategy.*", "plan.*", "budget.*", "review.*"} <= set(prefixes)
    created = subscribe(api, [*names, *prefixes, "*", names[0]])
    assert created["event_types"] == [*names, *prefixes, "*"]  # duplicates dropped


def test_webhooks_are_for_admins_only(api: Api) -> None:
    created = subscribe(api)
    for role in ("editor", "viewer"):
        other = api.key_for(role)
        assert other.get("/v1/webhooks").status_code == 403
        assert other.get(f"/v1/webhooks/{created['id']}").status_code == 403
        assert other.post("/v1/webhooks", {"url": URL, "event_types": ["*"]}).status_code == 403
        assert other.get(f"/v1/webhooks/{created['id']}/deliveries").status_code == 403
        assert other.delete(f"/v1/webhooks/{created['id']}").status_code == 403
    client = api.client()
    contact = api.key_for("client", [client["id"]])
    assert contact.get("/v1/webhooks").status_code == 403
    assert api.http.get("/v1/webhooks").status_code == 401


def test_another_tenants_webhook_is_not_found(api: Api, other: Api) -> None:
    created = subscribe(api)
    path = f"/v1/webhooks/{created['id']}"
    missing = other.get("/v1/webhooks/00000000-0000-4000-8000-000000000000")
    theirs = other.get(path)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["title"] == missing.json()["title"]
    assert other.patch(path, {"description": "mine now"}).status_code == 404
    assert other.delete(path).status_code == 404
    assert other.post(f"{path}/rotate-secret").status_code == 404
    assert other.get(f"{path}/deliveries").status_code == 404
    assert other.post(f"{path}/replay", {"since_position": 0}).status_code == 404
    assert other.get("/v1/webhooks").json()["items"] == []
    assert api.get(path).status_code == 200


def test_deliveries_parameters(api: Api) -> None:
    created = subscribe(api)
    path = f"/v1/webhooks/{created['id']}/deliveries"
    assert api.get(path).json() == {"items": [], "next_cursor": None}
    assert api.get(path, params={"status": "lost"}).status_code == 422
    assert api.get(path, params={"limit": 501}).status_code == 422
    assert api.get(path, params={"cursor": "%%%"}).status_code in (400, 422)
    missing = f"/v1/webhooks/{created['id']}/deliveries/00000000-0000-4000-8000-000000000000"
    assert api.post(f"{missing}/retry").status_code == 404
    assert (
        api.post(f"/v1/webhooks/{created['id']}/replay", {"since_position": -1}).status_code == 422
    )
    assert api.post(f"/v1/webhooks/{created['id']}/replay", {}).status_code == 422


def test_no_secret_key_means_no_webhooks(api: Api, container: Any) -> None:
    configured = container.settings
    container.settings = configured.with_(secret_key=None)
    try:
        r = api.post("/v1/webhooks", {"url": URL, "event_types": ["*"]})
    finally:
        container.settings = configured
    assert r.status_code == 503
    assert "TECHPLAN_SECRET_KEY" in r.json()["detail"]
    assert api.get("/v1/webhooks").json()["items"] == []


def test_private_addresses_are_refused_unless_allowed(api: Api, container: Any) -> None:
    configured = container.settings
    container.settings = configured.with_(webhook_allow_private=False)
    try:
        for url in ("http://127.0.0.1:8080/x", "http://10.1.2.3/x", "http://169.254.169.254/"):
            r = api.post("/v1/webhooks", {"url": url, "event_types": ["*"]})
            assert r.status_code == 422, (url, r.text)
            assert r.json()["errors"][0]["field"] == "url"
        created = subscribe_public(api)
        r = api.patch(f"/v1/webhooks/{created['id']}", {"url": "http://[::1]:8080/x"})
        assert r.status_code == 422
    finally:
        container.settings = configured


def subscribe_public(api: Api) -> dict[str, Any]:
    r = api.post("/v1/webhooks", {"url": "https://93.184.215.14/hook", "event_types": ["*"]})
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_deliveries_are_listed_after_min_position(api: Api) -> None:
    created = subscribe(api, ["client.created"])
    client = api.client()
    r = api.get(
        f"/v1/webhooks/{created['id']}/deliveries", params={"min_position": client["position"]}
    )
    assert r.status_code == 200
    (delivery,) = r.json()["items"]
    assert delivery["event_type"] == "client.created"
    assert delivery["position"] == client["position"]
    assert delivery["replay"] is False and delivery["replay_of"] is None


def test_the_readme_documents_every_event_type(api: Api) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme.split("## Webhooks", 1)[1]
    for item in api.get("/v1/event-types").json()["items"]:
        assert f"| `{item['type']}` |" in section, item["type"]


def test_a_subscription_made_while_events_flow_gets_exactly_the_later_ones(api: Api) -> None:
    """No event after the subscription is missed and none before it is delivered, however
    its creation interleaves with commits and fan-out batches."""
    stop = threading.Event()
    lock = threading.Lock()
    total = [0]  # clients made by both producers so far

    def produce() -> list[int]:
        made = []
        while not stop.is_set() or len(made) < 20:
            made.append(api.client(f"Flow {len(made)}")["position"])
            with lock:
                total[0] += 1
        return made

    def made_at_least(count: int) -> bool:
        for f in producers:
            if f.done():
                f.result()  # a producer failed (it never ends before `stop`): say why
        with lock:
            return total[0] >= count

    with ThreadPoolExecutor(2) as pool:
        producers = [pool.submit(produce) for _ in range(2)]
        try:
            wait_until(lambda: made_at_least(10), what="clients made before subscribing")
            created = subscribe(api, ["client.created"])
            with lock:
                before = total[0]
            wait_until(lambda: made_at_least(before + 10), what="clients made after subscribing")
        finally:
            stop.set()  # even on a failure, so the producers end and the pool can close
        positions = sorted(p for f in producers for p in f.result())
    path = f"/v1/webhooks/{created['id']}/deliveries"
    r = api.get(path, params={"limit": 500, "min_position": positions[-1]})
    delivered = sorted(d["position"] for d in r.json()["items"])
    expected = [p for p in positions if p > created["created_position"]]
    assert delivered == expected
    assert expected and len(expected) < len(positions)
