"""/schema/openapi.json: Litestar's document, finished once per app with what Litestar cannot
say from the handlers' signatures:

- request bodies as msgspec states them: the schema of each request Struct is msgspec's own
  (`msgspec.json.schema_components`), so the document says exactly what the decoder accepts
  (Litestar's rendering drops constraints on list items and unknown-field refusal);
- which operations take the operator token and which none;
- links from each creating operation (a 201) to the operations that use what it created, so
  a generated client and a stateful tester know where each path id comes from.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

import msgspec
from litestar import Request
from litestar.openapi.plugins import JsonRenderPlugin

from domain.catalogue import event_classes
from services.api.responses import Out
from services.api.schemas import Body
from services.commands.budgets import BUDGET_ACTIONS
from services.commands.plans import INITIATIVE_ACTIONS
from services.webhooks.event_types import known_patterns

# Operations anyone may call: probes for load balancers and orchestrators, and the catalogue.
PUBLIC = {"/health/live", "/health/ready", "/v1/event-types"}
OPERATOR_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": "The operator token (TECHPLAN_ADMIN_TOKEN)",
}


def takes_operator_token(path: str) -> bool:
    return path.startswith("/admin/") or path == "/metrics"


def _subclasses(cls: type[Any]) -> Iterator[type[Any]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def request_schemas() -> dict[str, Any]:
    """msgspec's own schemas of every request body and every response body (services/api/
    responses.py): exactly what the decoder accepts and what the encoder sends."""
    structs = {*_subclasses(Body), *_subclasses(Out)}
    bodies = sorted(structs, key=lambda c: (c.__module__, c.__name__))
    _, components = msgspec.json.schema_components(
        bodies, ref_template="#/components/schemas/{name}"
    )
    return components


def finish(doc: dict[str, Any]) -> dict[str, Any]:
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(request_schemas())
    _open_arrays(schemas)
    _event_type_patterns(schemas)
    _optional_bodies(doc)
    _json_lines(doc)
    _security(doc)
    _links(doc)
    for path, item in doc.get("paths", {}).items():
        for operation in item.values():
            if isinstance(operation, dict):
                for parameter in operation.get("parameters", []):
                    _parameter(path, parameter)
    return doc


def _parameter(path: str, parameter: dict[str, Any]) -> None:
    """Litestar reads an optional query parameter given as `null` as absent, which its
    `oneOf [T, null]` says; the audit's event type is one of the catalogue's; an action is one
    of the use cases' (any other is an unknown path: 404)."""
    schema = parameter.get("schema", {})
    if path == "/v1/audit" and parameter["name"] == "type":
        schema["oneOf"] = [{"type": "string", "enum": list(event_classes())}, {"type": "null"}]
    if parameter["in"] == "path" and parameter["name"] == "action":
        actions = BUDGET_ACTIONS if path.startswith("/v1/budgets/") else INITIATIVE_ACTIONS
        schema["enum"] = sorted(actions)


def _event_type_patterns(schemas: dict[str, Any]) -> None:
    """A subscription's event types are the catalogue's names, `prefix.*` or `*`: an enum
    (services/webhooks/event_types.py refuses any other, 422)."""
    names, prefixes = known_patterns()
    allowed = ["*", *sorted(f"{prefix}.*" for prefix in prefixes), *sorted(names)]
    for name in ("WebhookIn", "WebhookPatch"):
        field = schemas.get(name, {}).get("properties", {}).get("event_types", {})
        for schema in [field, *field.get("anyOf", [])]:
            if "items" in schema:
                schema["items"]["enum"] = allowed


# Bodies whose every field is optional may be left out altogether (API.md: `{summary?,
# rationale?}`).
OPTIONAL_BODIES = {("/v1/reviews/{review_id}/complete", "post")}


def _optional_bodies(doc: dict[str, Any]) -> None:
    paths = doc.get("paths", {})
    for path, method in OPTIONAL_BODIES:
        body = paths.get(path, {}).get(method, {}).get("requestBody")
        if body is not None:
            body["required"] = False
    # An import reads its body itself (a stream of JSON lines, not one JSON document).
    tenant_import = paths.get("/admin/v1/tenants/import", {}).get("post")
    if tenant_import is not None:
        tenant_import["requestBody"] = {
            "required": True,
            "description": "an export of GET /admin/v1/tenants/{tenant_id}/export",
            "content": {"application/x-ndjson": {"schema": {"type": "string", "minLength": 1}}},
        }


def _open_arrays(node: Any) -> None:
    """msgspec writes `list[Any]` as an array without `items`; generators (openapi-python-
    client) then drop every model that holds one. `items: {}` says the same: any value."""
    if isinstance(node, dict):
        if node.get("type") == "array" and "items" not in node:
            node["items"] = {}
        for value in node.values():
            _open_arrays(value)
    elif isinstance(node, list):
        for value in node:
            _open_arrays(value)


def _json_lines(doc: dict[str, Any]) -> None:
    """An answer of JSON lines is a sequence of values: its schema is an array of the line's
    schema (OpenAPI 3.1 has no item schema for sequential media types; 3.2's `itemSchema`)."""
    for item in doc.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for answer in operation.get("responses", {}).values():
                lines = answer.get("content", {}).get("application/x-ndjson")
                if lines and lines.get("schema", {}).get("type") != "array":
                    lines["schema"] = {
                        "type": "array",
                        "description": "one JSON value per line",
                        "items": lines.get("schema", {}),
                    }


def _security(doc: dict[str, Any]) -> None:
    """Per operation: the API key (the document's default), the operator token, or none."""
    schemes = doc["components"].setdefault("securitySchemes", {})
    schemes["operatorToken"] = OPERATOR_SCHEME
    for path, item in doc.get("paths", {}).items():
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            if path in PUBLIC:
                operation["security"] = []
            elif takes_operator_token(path):
                operation["security"] = [{"operatorToken": []}]


def _links(doc: dict[str, Any]) -> None:
    """A resource created under a client lives at /v1/<kind>/{id} (its id in the answer's
    `id`); one created at a collection without ids lives below it (`id` too); an item of a
    resource (a goal, an initiative, a line) below the resource (`created_id`, the answer
    being the parent). Path ids the creating request had are passed on as they were."""
    operations = [
        (path, operation)
        for path, item in doc.get("paths", {}).items()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    ]
    for path, operation in operations:
        created = operation.get("responses", {}).get("201")
        if created is None or path.startswith("/admin/v1/tenants/import"):
            continue
        known = set(re.findall(r"\{(\w+)\}", path))
        if path.startswith("/v1/clients/{client_id}/"):
            base, source = "/v1/" + path.rsplit("/", 1)[1], "$response.body#/id"
        elif not known:
            base, source = path, "$response.body#/id"
        else:
            base, source = path, "$response.body#/created_id"
        links: dict[str, Any] = {}
        for target, used in operations:
            if not target.startswith(base + "/{"):
                continue
            new = target[len(base) + 2 :].split("}", 1)[0]
            parameters = {new: source}
            if any(q.get("name") == "confirm" for q in used.get("parameters", [])):
                parameters["confirm"] = source  # a purge names the tenant twice
            for name in re.findall(r"\{(\w+)\}", target):
                if name in known and name != new:
                    parameters[name] = f"$request.path.{name}"
            links[used["operationId"]] = {
                "operationId": used["operationId"],
                "parameters": parameters,
            }
        if links:
            created["links"] = links


class FinishedDocument(JsonRenderPlugin):
    """Serves `finish`ed copy of the document; rendered once, on the first request."""

    def __init__(self) -> None:
        super().__init__(path="/openapi.json")
        self._rendered: bytes | None = None

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        if self._rendered is None:
            document = finish(copy.deepcopy(openapi_schema))
            self._rendered = self.render_json(request, document)
        return self._rendered
