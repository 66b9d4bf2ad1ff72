"""The edges of the API answer named schemas (issue 11 item 1): the operator's tenants and tenant
data, API keys, webhooks, the read-side views and /metrics. Every 2xx answer is a `$ref` to a
component msgspec rendered, or the non-JSON media type the operation really sends; a key's
plaintext and a webhook's secret are declared only on the answers that create them."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar.testing import TestClient

from services.api.tenant_data_out import ExportEnd, ExportEvent, ExportHeader, TenantExportLine
from tests.api.conftest import Api
from tests.api.test_openapi import document
from tests.conftest import OPERATOR_TOKEN

OPERATIONS = {
    ("post", "/admin/v1/tenants"): "TenantCreated",
    ("get", "/admin/v1/tenants"): "TenantPage",
    ("post", "/admin/v1/tenants/import"): "TenantImported",
    ("delete", "/admin/v1/tenants/{tenant_id}"): "TenantPurged",
    ("post", "/v1/api-keys"): "ApiKeyCreated",
    ("get", "/v1/api-keys"): "ApiKeyPage",
    ("delete", "/v1/api-keys/{key_id}"): None,
    ("post", "/v1/webhooks"): "WebhookCreated",
    ("get", "/v1/webhooks"): "WebhookPage",
    ("get", "/v1/webhooks/{webhook_id}"): "WebhookOut",
    ("patch", "/v1/webhooks/{webhook_id}"): "WebhookOut",
    ("delete", "/v1/webhooks/{webhook_id}"): None,
    ("post", "/v1/webhooks/{webhook_id}/rotate-secret"): "WebhookSecretOut",
    ("get", "/v1/webhooks/{webhook_id}/deliveries"): "DeliveryPage",
    ("post", "/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/retry"): "DeliveryRetryOut",
    ("post", "/v1/webhooks/{webhook_id}/replay"): "ReplayOut",
    ("get", "/v1/audit"): "AuditPage",
    ("get", "/v1/portfolio"): "PortfolioPage",
    ("get", "/v1/clients/{client_id}/roadmap"): "RoadmapOut",
    ("get", "/v1/clients/{client_id}/alignment"): "AlignmentOut",
}
# Bodies that are not JSON: the media type sent and the schema that says what it holds.
NOT_JSON = {
    ("get", "/metrics"): "text/plain; version=0.0.4",
    ("get", "/admin/v1/tenants/{tenant_id}/export"): "application/x-ndjson",
}
# Who may show a secret: the answers that make one.
SHOWS_KEY = {"ApiKeyCreated", "TenantAdminKeyOut"}
SHOWS_SECRET = {"WebhookCreated", "WebhookSecretOut"}


def _successes(doc: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    responses = doc["paths"][path][method]["responses"]
    found = {code: r for code, r in responses.items() if code.startswith("2")}
    assert found, (method, path)
    return found


def _refs(schema: Any) -> set[str]:
    if isinstance(schema, dict):
        found = {schema["$ref"].rsplit("/", 1)[1]} if "$ref" in schema else set()
        return found.union(*(_refs(v) for v in schema.values()))
    if isinstance(schema, list):
        return set().union(*(_refs(v) for v in schema))
    return set()


def _closure(schemas: dict[str, Any], names: set[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        assert name in schemas, f"{name} is referenced but not a component"
        seen.add(name)
        todo += _refs(schemas[name])
    return seen


def test_every_answer_is_a_named_schema(http: TestClient[Any]) -> None:
    doc = document(http)
    schemas = doc["components"]["schemas"]
    for (method, path), name in OPERATIONS.items():
        for code, response in _successes(doc, method, path).items():
            if name is None:
                assert code == "204" and not response.get("content"), (method, path)
                continue
            content = response["content"]
            assert list(content) == ["application/json"], (method, path)
            assert content["application/json"]["schema"] == {
                "$ref": f"#/components/schemas/{name}"
            }, (method, path)
            assert schemas[name]["additionalProperties"] is False  # msgspec's rendering


def test_bodies_that_are_not_json_say_what_they_are(http: TestClient[Any]) -> None:
    doc = document(http)
    schemas = doc["components"]["schemas"]
    for (method, path), media_type in NOT_JSON.items():
        (response,) = _successes(doc, method, path).values()
        assert list(response["content"]) == [media_type]
        assert "json" not in response["content"][media_type]["schema"].get("type", "")
    metrics = doc["paths"]["/metrics"]["get"]["responses"]["200"]
    assert metrics["content"]["text/plain; version=0.0.4"]["schema"] == {"type": "string"}
    assert "Prometheus" in metrics["description"]
    export = doc["paths"]["/admin/v1/tenants/{tenant_id}/export"]["get"]["responses"]["200"]
    lines = export["content"]["application/x-ndjson"]["schema"]["items"]["oneOf"]
    kinds = {
        schemas[ref].get("properties", {}).get("kind", {}).get("enum", [None])[0]
        for ref in _refs(lines)
    }
    assert kinds == {"header", "api_key", "webhook", "event", "end"}


def test_ids_and_instants_are_typed(http: TestClient[Any]) -> None:
    schemas = document(http)["components"]["schemas"]
    webhook = schemas["WebhookOut"]["properties"]
    assert webhook["id"]["format"] == "uuid"
    assert webhook["created_at"]["format"] == "date-time"
    assert sorted(webhook["status"]["enum"]) == ["disabled", "enabled"]
    key = schemas["ApiKeyOut"]["properties"]
    assert key["created_at"]["format"] == "date-time"
    statuses = schemas["DeliveryOut"]["properties"]["status"]["enum"]
    assert sorted(statuses) == ["failed", "pending", "succeeded"]


def test_secrets_are_declared_only_where_they_are_made(http: TestClient[Any]) -> None:
    doc = document(http)
    schemas = doc["components"]["schemas"]
    names = {n for n in OPERATIONS.values() if n is not None}
    for name in _closure(schemas, names):
        properties = schemas[name].get("properties", {})
        if "key" in properties:
            assert name in SHOWS_KEY, name
        if "secret" in properties:
            assert name in SHOWS_SECRET, name
    assert "key" not in schemas["ApiKeyOut"]["properties"]
    assert "secret" not in schemas["WebhookOut"]["properties"]


def test_an_export_reads_as_the_declared_lines(api: Api, http: TestClient[Any]) -> None:
    api.client("Fabrikam")
    assert api.post("/v1/api-keys", {"name": "viewer", "role": "viewer"}).status_code == 201
    hook = api.post("/v1/webhooks", {"url": "http://127.0.0.1:9/hook", "event_types": ["*"]})
    assert hook.status_code == 201, hook.text
    operator = {"Authorization": f"Bearer {OPERATOR_TOKEN}"}
    r = http.get(f"/admin/v1/tenants/{api.tenant_id}/export", headers=operator)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/x-ndjson")
    lines = [msgspec.json.decode(line, type=TenantExportLine) for line in r.content.splitlines()]
    assert isinstance(lines[0], ExportHeader) and isinstance(lines[-1], ExportEnd)
    kinds = {type(line).__name__ for line in lines}
    assert kinds == {"ExportHeader", "ExportApiKey", "ExportWebhook", "ExportEvent", "ExportEnd"}
    assert lines[-1].events == sum(isinstance(line, ExportEvent) for line in lines)
    assert api.delete(f"/v1/webhooks/{hook.json()['id']}").status_code == 204
