"""Every answer of every operation is a named schema (issue 11 item 1): a generated client gets
a typed object from each, never an untyped dictionary."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

# Answers that are not JSON, with the media type they declare instead.
NOT_JSON = {("/metrics", "get"): "text/plain; version=0.0.4"}


def test_every_2xx_answer_is_a_named_schema_and_every_id_a_uuid(http: TestClient[Any]) -> None:
    doc = http.get("/schema/openapi.json").json()
    schemas = doc["components"]["schemas"]
    seen = 0
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"].endswith("id"):
                    assert parameter["schema"].get("format") == "uuid", (path, parameter)
            for status, answer in operation["responses"].items():
                if not status.startswith("2") or status == "204":
                    continue
                content = answer.get("content", {})
                if (path, method) in NOT_JSON:
                    assert list(content) == [NOT_JSON[path, method]], (path, method)
                    continue
                for media, body in content.items():
                    schema = body["schema"]
                    if media == "application/x-ndjson":
                        schema = schema["items"]
                        refs = [s["$ref"] for s in schema["oneOf"]]
                    else:
                        assert media == "application/json", (path, method, media)
                        refs = [schema["$ref"]]
                    for ref in refs:
                        name = ref.removeprefix("#/components/schemas/")
                        assert schemas[name]["type"] == "object", (path, method, name)
                    seen += 1
    assert seen > 70  # the document does list the operations
