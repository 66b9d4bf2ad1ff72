"""`techplan tenants import`: a tenant's export into this database (the second step of
moving a tenant to another cell: export, import, then purge at the source).

The file is read twice: first to check it whole (format, version, every line's shape, the
closing counts) before anything is written, then to write. The tenant, its keys (by their
hashes: the same keys work here) and its webhook subscriptions are written in one
transaction, then its events in another, in their original order (they get this store's
positions). If the events cannot be written, the first transaction is undone. A crash between
the two leaves the tenant without events: importing again answers 409, and `purge` clears it.

Webhook secrets never leave the source, so imported subscriptions get a new secret and are
`disabled` until an admin rotates the secret (to learn it) and enables them again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from infra.db import Database
from infra.eventstore import EventStore
from services.auth import VERIFIED
from services.errors import Conflict, Invalid
from services.tenancy.export import FORMAT, VERSION, events_table
from services.webhooks.secrets import SecretBox, new_secret

IMPORTED_REASON = "imported from another Techplan: rotate the secret, then enable"
BATCH = 5000

Lines = Callable[[], Iterable[str | bytes]]


@dataclass
class Export:
    tenant: dict[str, Any] = field(default_factory=dict)
    api_keys: list[dict[str, Any]] = field(default_factory=list)
    webhooks: list[dict[str, Any]] = field(default_factory=list)
    events: int = 0
    versions: dict[UUID, int] = field(default_factory=dict)  # each aggregate's last version


def check(lines: Lines) -> Export:
    """Read the whole file once; any defect is a 422 naming the line."""
    found = Export()
    ended: dict[str, Any] | None = None
    for n, raw in enumerate(lines(), start=1):
        if not raw.strip():
            continue
        record = _record(raw, n)
        kind = record.get("kind")
        if n == 1:
            _header(record)
            found.tenant = _tenant(record.get("tenant"))
        elif ended is not None:
            raise Invalid(f"line {n}: nothing may follow the end line", field="export")
        elif kind == "api_key":
            found.api_keys.append(_fields(record, n, API_KEY_FIELDS))
        elif kind == "webhook":
            found.webhooks.append(_fields(record, n, WEBHOOK_FIELDS))
        elif kind == "event":
            _fields(record, n, EVENT_FIELDS)
            found.events += 1
            found.versions[_uuid(record["originator_id"], n)] = record["originator_version"]
        elif kind == "end":
            ended = record
        else:
            raise Invalid(f"line {n}: unknown kind {str(kind)[:40]!r}", field="export")
    if not found.tenant:
        raise Invalid("the export is empty", field="export")
    counts = {"events": found.events, "api_keys": len(found.api_keys)}
    counts["webhooks"] = len(found.webhooks)
    if ended is None or any(ended.get(k) != v for k, v in counts.items()):
        raise Invalid("the export is truncated: its end line is missing or wrong", field="export")
    return found


def import_tenant(
    db: Database, events: EventStore, lines: Lines, *, secret_key: str | None
) -> dict[str, Any]:
    found = check(lines)
    tenant_id = UUID(found.tenant["id"])
    box = SecretBox(secret_key) if found.webhooks else None
    _refuse_existing(db, events, tenant_id, found)
    with db.tx() as cur:
        cur.execute(
            "INSERT INTO tenants (id, name, created_at) VALUES (%s, %s, %s)",
            (tenant_id, found.tenant["name"], found.tenant["created_at"]),
        )
        for key in found.api_keys:
            cur.execute(
                "INSERT INTO api_keys (id, tenant_id, name, role, client_ids, key_hash,"
                " key_prefix, created_at, revoked_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    key["id"],
                    tenant_id,
                    key["name"],
                    _role(key),
                    key["client_ids"],
                    key["key_hash"],
                    key["key_prefix"],
                    key["created_at"],
                    key["revoked_at"],
                ),
            )
        if box is not None:
            head = events.recorder.max_notification_id() or 0
            for hook in found.webhooks:
                cur.execute(
                    "INSERT INTO webhook_subscriptions (tenant_id, id, url, event_types,"
                    " description, status, disabled_reason, disabled_at, secret,"
                    " created_position, active_from_position, created_at)"
                    " VALUES (%s, %s, %s, %s, %s, 'disabled', %s, now(), %s, %s, %s, %s)",
                    (
                        tenant_id,
                        hook["id"],
                        hook["url"],
                        hook["event_types"],
                        hook["description"],
                        IMPORTED_REASON,
                        box.seal(new_secret()),
                        head,
                        head,
                        hook["created_at"],
                    ),
                )
    try:
        written = _write_events(events, lines)
    except Exception:
        _undo(db, tenant_id)
        raise
    _snapshot_long_lived(events, found)
    return {"id": str(tenant_id), "name": found.tenant["name"], "events": written}


def _role(key: dict[str, Any]) -> str:
    """An export from before issue 9 may hold an admin key limited to clients: it comes in as
    an editor key with the same clients, as `techplan migrate` converts it (services/auth.py
    `unlimit_admin_keys`; imported webhooks arrive disabled anyway)."""
    if key["role"] == "admin" and key["client_ids"] is not None:
        return "editor"
    return str(key["role"])


def _write_events(events: EventStore, lines: Lines) -> int:
    batch: list[StoredEvent] = []
    written = 0
    for raw in lines():
        if not raw.strip():
            continue
        record = json.loads(raw)
        if record.get("kind") != "event":
            continue
        batch.append(
            StoredEvent(
                originator_id=UUID(record["originator_id"]),
                originator_version=record["originator_version"],
                topic=record["topic"],
                state=record["state"].encode("utf-8"),
            )
        )
        if len(batch) >= BATCH:
            events.recorder.insert_events(batch)
            written += len(batch)
            batch = []
    if batch:
        events.recorder.insert_events(batch)
        written += len(batch)
    return written


def _snapshot_long_lived(events: EventStore, found: Export) -> None:
    """Snapshots are not exported (they are a cache): take them again for the aggregates
    long enough to need one, so their first load here is as fast as at the source."""
    interval = min(type(events).snapshotting_intervals.values(), default=100)
    for aggregate_id, version in found.versions.items():
        if version >= interval:
            events.take_snapshot(aggregate_id)


def _refuse_existing(db: Database, events: EventStore, tenant_id: UUID, found: Export) -> None:
    with db.tx() as cur:
        cur.execute("SELECT 1 FROM tenants WHERE id = %s", (tenant_id,))
        if cur.fetchone():
            raise Conflict("this tenant already exists here")
        hashes = [k["key_hash"] for k in found.api_keys]
        cur.execute("SELECT 1 FROM api_keys WHERE key_hash = ANY(%s) LIMIT 1", (hashes,))
        if cur.fetchone():
            raise Conflict("one of the tenant's API keys already exists here")
        cur.execute(
            f"SELECT 1 FROM {events_table(events)} WHERE originator_id = ANY(%s) LIMIT 1",
            (list(found.versions),),
        )
        if cur.fetchone():
            raise Conflict("some of the tenant's objects already exist here")


def _undo(db: Database, tenant_id: UUID) -> None:
    with db.tx() as cur:
        cur.execute("DELETE FROM webhook_subscriptions WHERE tenant_id = %s", (tenant_id,))
        cur.execute("DELETE FROM api_keys WHERE tenant_id = %s", (tenant_id,))
        cur.execute("DELETE FROM tenants WHERE id = %s", (tenant_id,))
    VERIFIED.forget()


# ---------------------------------------------------------------- the shape of each line

API_KEY_FIELDS = {
    "id": str,
    "name": str,
    "role": str,
    "client_ids": (list, type(None)),
    "key_hash": str,
    "key_prefix": str,
    "created_at": str,
    "revoked_at": (str, type(None)),
}
WEBHOOK_FIELDS = {
    "id": str,
    "url": str,
    "event_types": list,
    "description": (str, type(None)),
    "created_at": str,
}
EVENT_FIELDS = {
    "position": int,
    "originator_id": str,
    "originator_version": int,
    "topic": str,
    "state": str,
}


def _record(raw: str | bytes, n: int) -> dict[str, Any]:
    try:
        record = json.loads(raw)
    except ValueError:
        raise Invalid(f"line {n} is not JSON", field="export") from None
    if not isinstance(record, dict):
        raise Invalid(f"line {n} is not a JSON object", field="export")
    return record


def _header(record: dict[str, Any]) -> None:
    if record.get("kind") != "header" or record.get("format") != FORMAT:
        raise Invalid(f"not a {FORMAT} file: the first line is its header", field="export")
    if record.get("version") != VERSION:
        raise Invalid(
            f"export format version {record.get('version')!r} is not supported (only {VERSION})",
            field="export",
        )


def _tenant(value: Any) -> dict[str, Any]:
    if not (isinstance(value, dict) and isinstance(value.get("name"), str)):
        raise Invalid("the header names no tenant", field="export")
    _uuid(value.get("id"), 1)
    return {"id": value["id"], "name": value["name"], "created_at": value.get("created_at")}


def _fields(record: dict[str, Any], n: int, shape: dict[str, Any]) -> dict[str, Any]:
    for name, kind in shape.items():
        if name not in record or not isinstance(record[name], kind):
            raise Invalid(f"line {n}: {record.get('kind')} has no valid {name}", field="export")
        if isinstance(record[name], bool):
            raise Invalid(f"line {n}: {record.get('kind')} has no valid {name}", field="export")
    return record


def _uuid(value: Any, n: int) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise Invalid(f"line {n}: not a valid id", field="export") from None
