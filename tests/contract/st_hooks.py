"""Schemathesis hooks (SCHEMATHESIS_HOOKS): JSON lines, the tenant export's media type, as text
both ways, so the import's body can be sent and the export's answer checked against its schema
(an array of JSON objects, one per line)."""

from __future__ import annotations

import json
from typing import Any

import schemathesis

NDJSON = "application/x-ndjson"


@schemathesis.serializer(NDJSON)
def ndjson_body(ctx: Any, value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode()
    return json.dumps(value).encode()


@schemathesis.deserializer(NDJSON)
def ndjson_answer(ctx: Any, response: Any) -> list[Any]:
    return [json.loads(line) for line in response.content.splitlines() if line.strip()]
