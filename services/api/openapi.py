"""/schema/openapi.json: Litestar's document, finished once per app with what Litestar cannot
say from the handlers' signatures:

- request bodies as msgspec states them: the schema of each request Struct is msgspec's own
  (`msgspec.json.schema_components`), so the document says exactly what the decoder accepts
  (Litestar's rendering drops constraints on list items and unknown-field refusal);
- which operations take the operator token and which none.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import msgspec
from litestar import Request
from litestar.openapi.plugins import JsonRenderPlugin

from domain.catalogue import event_classes
from services.api.schemas import Body

# Operations anyone may call: probes for load balancers and orchestrators, and the catalogue.
PUBLIC = {"/health/live", "/health/ready", "/v1/event-types"}
OPERATOR_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": "The operator token (TECHPLAN_ADMIN_TOKEN)",
}


def takes_operator_token(path: str) -> bool:
    return path.startswith("/admin/") or path == "/metrics"


def _bodies(cls: type[Body] = Body) -> Iterator[type[Body]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _bodies(sub)


def request_schemas() -> dict[str, Any]:
    bodies = sorted(set(_bodies()), key=lambda c: (c.__module__, c.__name__))
    _, components = msgspec.json.schema_components(
        bodies, ref_template="#/components/schemas/{name}"
    )
    return components


def finish(doc: dict[str, Any]) -> dict[str, Any]:
    doc.setdefault("components", {}).setdefault("schemas", {}).update(request_schemas())
    _security(doc)
    for path, item in doc.get("paths", {}).items():
        for operation in item.values():
            if isinstance(operation, dict):
                for parameter in operation.get("parameters", []):
                    _parameter(path, parameter)
    return doc


def _parameter(path: str, parameter: dict[str, Any]) -> None:
    """A parameter is present or absent, never null: Litestar's `oneOf [T, null]` (with T's
    constraints beside it) becomes T with its constraints."""
    schema = parameter.get("schema", {})
    branches = schema.get("oneOf")
    if isinstance(branches, list) and len(branches) == 2 and {"type": "null"} in branches:
        kept = next(b for b in branches if b != {"type": "null"})
        schema = {**kept, **{k: v for k, v in schema.items() if k != "oneOf"}}
    if isinstance(schema.get("type"), list):
        types = [t for t in schema["type"] if t != "null"]
        schema["type"] = types[0] if len(types) == 1 else types
    if "enum" in schema:
        schema["enum"] = [v for v in schema["enum"] if v is not None]
    if path == "/v1/audit" and parameter["name"] == "type":
        schema["enum"] = list(event_classes())
    parameter["schema"] = schema


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
