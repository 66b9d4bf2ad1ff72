"""Every answer of strategies, reviews, history (every kind), "what changed since" and the
operations endpoints is a named schema in the OpenAPI document (issue 11)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import msgspec
import redis
from litestar.testing import TestClient

from services.api.ops import ready
from tests.api.conftest import Api
from tests.api.test_openapi import document

KINDS = ("clients", "strategies", "plans", "budgets", "reviews", "standards", "assessments")


OURS = {
    "/health/live",
    "/health/ready",
    "/v1/event-types",
    "/v1/clients/{client_id}/strategies",
    "/v1/clients/{client_id}/reviews",
    "/v1/clients/{client_id}/changes",
    *(f"/v1/{kind}/{{id}}/{what}" for kind in KINDS for what in ("history", "diff")),
}


def ours(path: str) -> bool:
    return path in OURS or path.startswith(("/v1/strategies/", "/v1/reviews/"))


def answers(doc: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    found = []
    for path, item in doc["paths"].items():
        if not ours(path):
            continue
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, response in operation["responses"].items():
                json = response.get("content", {}).get("application/json")
                if status.startswith("2"):
                    found.append((path, method, status, json))
    return found


def test_every_answer_is_a_named_schema(http: TestClient[Any]) -> None:
    doc = document(http)
    schemas = doc["components"]["schemas"]
    found = answers(doc)
    assert len(found) >= 30
    for path, method, status, json in found:
        where = f"{method} {path} {status}"
        assert json is not None, where
        ref = json["schema"].get("$ref", "")
        assert ref.startswith("#/components/schemas/"), (where, json["schema"])
        name = ref.rsplit("/", 1)[1]
        assert schemas[name]["type"] == "object", where
        assert schemas[name]["additionalProperties"] is False, where  # msgspec's, not Litestar's
    ready = doc["paths"]["/health/ready"]["get"]["responses"]["503"]["content"]
    assert ready["application/json"]["schema"] == {"$ref": "#/components/schemas/ReadyOut"}
    for kind in KINDS:
        history = doc["paths"][f"/v1/{kind}/{{id}}/history"]["get"]["responses"]["200"]
        assert history["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/HistoryPage"
        }


def test_history_items_are_typed_and_values_free_form(http: TestClient[Any]) -> None:
    schemas = document(http)["components"]["schemas"]
    item = schemas["HistoryItemOut"]["properties"]
    assert item["occurred_at"]["format"] == "date-time"
    assert "strategy.goal_added" in item["type"]["enum"]
    assert item["actor"] == {"$ref": "#/components/schemas/ActorOut"}
    assert set(schemas["DiffOut"]["required"]) == {"from", "to", "changes"}
    change = schemas["ChangeOut"]
    assert change["required"] == ["path", "before", "after"]
    assert {"type": "null"} in change["properties"]["before"]["anyOf"]
    audit = schemas["AuditItemOut"]["properties"]
    assert audit["aggregate_id"]["format"] == "uuid"


def test_readiness_answers_its_schema_when_a_dependency_is_unreachable(container: Any) -> None:
    """Nothing listens on port 1: the Redis check fails for real, PostgreSQL's passes."""
    unreachable = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=1)
    probe = SimpleNamespace(db=container.db, redis_ping=unreachable.ping)
    answer = ready.fn(container=probe)
    assert answer.status_code == 503
    body = msgspec.json.decode(msgspec.json.encode(answer.content))
    assert body["status"] == "unavailable"
    assert body["checks"]["postgres"] == "ok"
    assert body["checks"]["redis"].startswith("unreachable: ")


def test_a_review_is_completed_without_a_body_as_documented(api: Api) -> None:
    body = document(api.http)["paths"]["/v1/reviews/{review_id}/complete"]["post"]
    assert body["requestBody"]["required"] is False
    cid = api.client()["id"]
    review = api.post(f"/v1/clients/{cid}/reviews", {"title": "QBR", "scheduled_for": "2027-01-04"})
    assert review.status_code == 201, review.text
    done = api.post(f"/v1/reviews/{review.json()['id']}/complete")
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "completed"
    assert done.json()["completed_at"].endswith("Z")
