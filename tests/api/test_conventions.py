"""The cross-cutting HTTP behaviour of API.md's Conventions."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.api.conftest import Api
from tests.conftest import OPERATOR_TOKEN


def test_malformed_json_is_400_problem(api: Api) -> None:
    r = api.http.post(
        "/v1/clients",
        content=b'{"name": ',
        headers=api.headers(**{"content-type": "application/json"}),
    )
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    assert set(r.json()) >= {"type", "title", "status", "detail"}


def test_body_over_the_limit_is_413(api: Api) -> None:
    big = b'{"name": "' + b"x" * (1024 * 1024 + 10) + b'"}'
    r = api.http.post(
        "/v1/clients", content=big, headers=api.headers(**{"content-type": "application/json"})
    )
    assert r.status_code == 413
    assert r.json()["status"] == 413


def test_unknown_path_404_and_wrong_method_405(api: Api) -> None:
    r = api.get("/v1/nothing-here")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    r = api.delete("/v1/clients")
    assert r.status_code == 405 and r.json()["status"] == 405


def test_commands_report_their_position(api: Api) -> None:
    a = api.client("A")
    b = api.client("B")
    assert b["position"] > a["position"] > 0


def test_idempotency_key_replays_the_first_response(api: Api) -> None:
    headers = {"Idempotency-Key": "create-contoso-1"}
    first = api.post("/v1/clients", {"name": "Contoso"}, headers=headers)
    again = api.post("/v1/clients", {"name": "Contoso"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers.get("idempotent-replayed") == "true"
    other_body = api.post("/v1/clients", {"name": "Fabrikam"}, headers=headers)
    assert other_body.status_code == 422
    listed = api.get("/v1/clients", params={"min_position": first.json()["position"], "limit": 500})
    assert [c["name"] for c in listed.json()["items"]].count("Contoso") == 1


def test_idempotency_keys_are_scoped_to_the_api_key(api: Api) -> None:
    editor = api.key_for("editor")
    headers = {"Idempotency-Key": "same-key"}
    one = api.post("/v1/clients", {"name": "One"}, headers=headers)
    two = editor.post("/v1/clients", {"name": "One"}, headers=headers)
    assert one.status_code == two.status_code == 201
    assert one.json()["id"] != two.json()["id"]


def test_idempotency_key_still_running_is_409(api: Api, container: Any) -> None:
    import hashlib

    from services.auth import hash_key

    body = b'{"name":"X"}'
    digest = hashlib.sha256(b"/v1/clients?\n" + body).hexdigest()
    with container.db.tx() as cur:  # the first request with this key is still running
        cur.execute("SELECT id FROM api_keys WHERE key_hash = %s", (hash_key(api.key),))
        key_id = cur.fetchone()["id"]
        cur.execute(
            "INSERT INTO idempotency_keys (api_key_id, key, request_hash, state)"
            " VALUES (%s, 'in-flight', %s, 'running')",
            (key_id, digest),
        )
    r = api.http.post(
        "/v1/clients",
        content=body,
        headers=api.headers(**{"Idempotency-Key": "in-flight", "content-type": "application/json"}),
    )
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")


def test_failed_request_is_not_stored_under_the_key(api: Api) -> None:
    headers = {"Idempotency-Key": "bad-then-good"}
    assert api.post("/v1/clients", {"name": ""}, headers=headers).status_code == 422
    # a 4xx answer is kept and replayed like any other answer
    again = api.post("/v1/clients", {"name": ""}, headers=headers)
    assert again.status_code == 422 and again.headers.get("idempotent-replayed") == "true"


def test_health(http: TestClient[Any]) -> None:
    assert http.get("/health/live").json() == {"status": "ok"}
    ready = http.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"postgres": "ok", "redis": "ok"}


def test_metrics(http: TestClient[Any]) -> None:
    assert http.get("/metrics").status_code == 401  # the operator token only (API.md)
    r = http.get("/metrics", headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"})
    assert r.status_code == 200
    assert 'techplan_projection_lag{projection="clients"}' in r.text


def test_openapi_declares_problem_answers(http: TestClient[Any]) -> None:
    r = http.get("/schema/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert "/v1/clients" in doc["paths"] and "/v1/strategies/{strategy_id}/adopt" in doc["paths"]
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            if method not in {"get", "post", "patch", "delete", "put"}:
                continue
            responses = operation["responses"]
            assert "422" in responses and "404" in responses, (path, method)
            assert "application/problem+json" in responses["404"]["content"], (path, method)
    assert http.get("/schema").status_code == 200


def test_event_type_catalogue(http: TestClient[Any]) -> None:
    items = http.get("/v1/event-types").json()["items"]
    names = {i["type"] for i in items}
    assert {
        "client.created",
        "strategy.goal_added",
        "strategy.goal_reprioritized",
        "strategy.adopted",
        "strategy.superseded",
    } <= names
    assert all(i["description"] for i in items)


def test_a_replayed_secret_is_stored_encrypted(api: Api, container: Any) -> None:
    headers = {"Idempotency-Key": "new-key-once"}
    first = api.post("/v1/api-keys", {"name": "portal", "role": "viewer"}, headers=headers)
    again = api.post("/v1/api-keys", {"name": "portal", "role": "viewer"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["key"] == first.json()["key"]
    with container.db.tx() as cur:
        cur.execute("SELECT body FROM idempotency_keys WHERE key = 'new-key-once'")
        stored = bytes(cur.fetchone()["body"])
    assert first.json()["key"].encode() not in stored
    assert b"portal" not in stored
