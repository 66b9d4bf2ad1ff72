"""The OpenAPI document says what the API accepts and who may call what (issue 11)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar.testing import TestClient

from services.api.schemas import ReviewPatch


def document(http: TestClient[Any]) -> dict[str, Any]:
    r = http.get("/schema/openapi.json")
    assert r.status_code == 200
    return dict(r.json())


def test_request_bodies_are_msgspecs_own_schemas(http: TestClient[Any]) -> None:
    schemas = document(http)["components"]["schemas"]
    _, expected = msgspec.json.schema_components(
        [ReviewPatch], ref_template="#/components/schemas/{name}"
    )
    assert schemas["ReviewPatch"] == expected["ReviewPatch"]
    attendees = schemas["ReviewPatch"]["properties"]["attendees"]["anyOf"][0]
    assert attendees["items"]["minLength"] == 1  # Litestar's rendering lost this
    for name in ("ClientIn", "InitiativeIn", "WebhookIn", "ApiKeyIn"):
        assert schemas[name]["additionalProperties"] is False, name


def test_security_per_operation(http: TestClient[Any]) -> None:
    doc = document(http)
    assert doc["security"] == [{"apiKey": []}]
    assert "operatorToken" in doc["components"]["securitySchemes"]
    paths = doc["paths"]
    assert paths["/health/live"]["get"]["security"] == []
    assert paths["/v1/event-types"]["get"]["security"] == []
    assert paths["/metrics"]["get"]["security"] == [{"operatorToken": []}]
    assert paths["/admin/v1/tenants"]["post"]["security"] == [{"operatorToken": []}]
    assert "security" not in paths["/v1/clients"]["post"]  # the API key, the default


def test_creating_operations_link_to_what_uses_their_ids(http: TestClient[Any]) -> None:
    paths = document(http)["paths"]

    def links(path: str) -> dict[str, Any]:
        return dict(paths[path]["post"]["responses"]["201"]["links"])

    client = links("/v1/clients")
    assert client["V1ClientsClientIdGetClient"]["parameters"] == {"client_id": "$response.body#/id"}
    assert client["clients_history"]["parameters"] == {"id": "$response.body#/id"}
    strategy = links("/v1/clients/{client_id}/strategies")
    assert strategy["V1StrategiesStrategyIdGoalsAddGoal"]["parameters"] == {
        "strategy_id": "$response.body#/id"
    }
    goal = links("/v1/strategies/{strategy_id}/goals")
    assert goal["V1StrategiesStrategyIdGoalsGoalIdUpdateGoal"]["parameters"] == {
        "goal_id": "$response.body#/created_id",
        "strategy_id": "$request.path.strategy_id",
    }
    for path in (
        "/v1/clients/{client_id}/plans",
        "/v1/clients/{client_id}/budgets",
        "/v1/clients/{client_id}/reviews",
        "/v1/webhooks",
        "/v1/api-keys",
        "/v1/plans/{plan_id}/initiatives",
        "/v1/budgets/{budget_id}/lines",
        "/admin/v1/tenants",
    ):
        assert links(path), path


def test_actions_are_enums(http: TestClient[Any]) -> None:
    paths = document(http)["paths"]

    def action(path: str) -> list[str]:
        parameters = paths[path]["post"]["parameters"]
        return list(next(p for p in parameters if p["name"] == "action")["schema"]["enum"])

    assert action("/v1/budgets/{budget_id}/{action}") == [
        "approve",
        "close",
        "reject",
        "reopen",
        "submit",
    ]
    assert action("/v1/plans/{plan_id}/initiatives/{initiative_id}/{action}") == [
        "approve",
        "cancel",
        "complete",
        "defer",
        "start",
    ]


def test_client_answers_are_named_schemas(http: TestClient[Any]) -> None:
    doc = document(http)
    ok = doc["paths"]["/v1/clients/{client_id}"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ClientOut"}
    client = doc["components"]["schemas"]["ClientOut"]
    assert client["properties"]["id"]["format"] == "uuid"
    assert "position" not in client["required"]
