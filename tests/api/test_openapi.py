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


def test_query_parameters_are_never_null(http: TestClient[Any]) -> None:
    for item in document(http)["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                schema = parameter["schema"]
                assert "oneOf" not in schema and "null" not in str(schema.get("type")), parameter
                assert None not in schema.get("enum", []), parameter
