"""`techplan tenants export`: everything a tenant owns, as versioned JSON lines.

The format (README, "Tenant export format") is one JSON object a line, each with a `kind`:

- `header`: `{format: "techplan-tenant-export", version: 1, exported_at, tenant: {id, name,
  created_at}, head_position}`: always the first line;
- `api_key`: key metadata, the hash and prefix included (so the keys keep working after an
  import), never a key;
- `webhook`: a subscription without its secret (an import makes a new one);
- `event`: one stored event in position order: `{position, originator_id, originator_version,
  topic, state}` where `state` is the stored JSON text exactly as the store holds it;
- `end`: `{events, api_keys, webhooks}`: always the last line, so a truncated file is refused.

A tenant's events are found from its aggregates' creation events, which name the tenant and
never change; every later event of those aggregates follows in position order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from infra.db import Cursor, Database
from infra.eventstore import EventStore
from services.errors import NotFound

FORMAT = "techplan-tenant-export"
VERSION = 1
BATCH = 2000


def export_lines(db: Database, events: EventStore, tenant_id: UUID) -> Iterator[str]:
    """The tenant's export, line by line (each ends with a newline), read in one snapshot
    of the database so the lines agree with each other."""
    counts = {"events": 0, "api_keys": 0, "webhooks": 0}
    with db.tx() as cur:
        # One consistent snapshot for the whole file.
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        tenant = _tenant(cur, tenant_id)
        table = events_table(events)
        cur.execute(f"SELECT coalesce(max(notification_id), 0) AS head FROM {table}")
        head = cur.fetchone()["head"]  # type: ignore[index]
        yield _line(
            {
                "kind": "header",
                "format": FORMAT,
                "version": VERSION,
                "exported_at": datetime.now(UTC).isoformat(),
                "tenant": tenant,
                "head_position": head,
            }
        )
        for key in _api_keys(cur, tenant_id):
            counts["api_keys"] += 1
            yield _line({"kind": "api_key", **key})
        for hook in _webhooks(cur, tenant_id):
            counts["webhooks"] += 1
            yield _line({"kind": "webhook", **hook})
        for row in tenant_events(cur, table, tenant_id):
            counts["events"] += 1
            yield _line({"kind": "event", **row})
    yield _line({"kind": "end", **counts})


def events_table(events: EventStore) -> str:
    recorder: Any = events.recorder
    return f"{recorder.datastore.schema}.{recorder.events_table_name}"


def snapshots_table(events: EventStore) -> str | None:
    if events.snapshots is None:
        return None
    recorder: Any = events.snapshots.recorder
    return f"{recorder.datastore.schema}.{recorder.events_table_name}"


def tenant_aggregates(cur: Cursor, table: str, tenant_id: UUID) -> list[UUID]:
    """The ids of the tenant's aggregates: their creation events carry the tenant's id (a
    byte search narrows the scan, the decoded JSON decides)."""
    needle = f'"_data_":"{tenant_id.hex}"'.encode()
    cur.execute(
        f"SELECT originator_id, state FROM {table}"
        " WHERE originator_version = 1 AND position(%s::bytea IN state) > 0",
        (needle,),
    )
    found = []
    for row in cur.fetchall():
        state = json.loads(bytes(row["state"]))
        if state.get("tenant_id", {}).get("_data_") == tenant_id.hex:
            found.append(row["originator_id"])
    return found


def tenant_events(cur: Cursor, table: str, tenant_id: UUID) -> Iterator[dict[str, Any]]:
    ids = tenant_aggregates(cur, table, tenant_id)
    after = 0
    while ids:
        cur.execute(
            f"SELECT notification_id, originator_id, originator_version, topic, state"
            f" FROM {table} WHERE originator_id = ANY(%s) AND notification_id > %s"
            f" ORDER BY notification_id LIMIT %s",
            (ids, after, BATCH),
        )
        rows = cur.fetchall()
        for row in rows:
            yield {
                "position": row["notification_id"],
                "originator_id": str(row["originator_id"]),
                "originator_version": row["originator_version"],
                "topic": row["topic"],
                "state": bytes(row["state"]).decode("utf-8"),
            }
        if len(rows) < BATCH:
            return
        after = rows[-1]["notification_id"]


def _tenant(cur: Cursor, tenant_id: UUID) -> dict[str, Any]:
    cur.execute("SELECT id, name, created_at FROM tenants WHERE id = %s", (tenant_id,))
    row = cur.fetchone()
    if row is None:
        raise NotFound("tenant not found")
    return {"id": str(row["id"]), "name": row["name"], "created_at": _time(row["created_at"])}


def _api_keys(cur: Cursor, tenant_id: UUID) -> list[dict[str, Any]]:
    cur.execute(
        "SELECT id, name, role, client_ids, key_hash, key_prefix, created_at, revoked_at"
        " FROM api_keys WHERE tenant_id = %s ORDER BY created_at, id",
        (tenant_id,),
    )
    return [
        {
            "id": str(r["id"]),
            "name": r["name"],
            "role": r["role"],
            "client_ids": None if r["client_ids"] is None else [str(c) for c in r["client_ids"]],
            "key_hash": r["key_hash"],
            "key_prefix": r["key_prefix"],
            "created_at": _time(r["created_at"]),
            "revoked_at": _time(r["revoked_at"]),
        }
        for r in cur.fetchall()
    ]


def _webhooks(cur: Cursor, tenant_id: UUID) -> list[dict[str, Any]]:
    cur.execute("SELECT set_config('techplan.tenant_id', %s, true)", (str(tenant_id),))
    cur.execute(
        "SELECT id, url, event_types, description, status, disabled_reason, created_at"
        " FROM webhook_subscriptions WHERE tenant_id = %s ORDER BY seq",
        (tenant_id,),
    )
    return [
        {
            "id": str(r["id"]),
            "url": r["url"],
            "event_types": list(r["event_types"]),
            "description": r["description"],
            "status": r["status"],
            "disabled_reason": r["disabled_reason"],
            "created_at": _time(r["created_at"]),
        }
        for r in cur.fetchall()
    ]


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, separators=(",", ":"), ensure_ascii=False) + "\n"
