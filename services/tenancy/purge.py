"""`techplan tenants purge`: a tenant's data is gone, and nothing of any other tenant.

Events are never changed, but a tenant that leaves (or moves to another cell) has the right
to have them removed. One transaction removes the tenant's events and snapshots, every
read-model row (every table with a `tenant_id`), its keys, webhooks, deliveries and
idempotency rows, and the tenant, and records that it happened: who, when and how many
rows of each kind, nothing of the content.

It first takes the event store's write lock (as every save does), so no command of the
tenant can commit in between, and each projection's lock, so no batch in flight writes the
tenant's rows back after they are gone.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg.types.json import Jsonb

from infra.db import Cursor, Database
from infra.eventstore import EventStore
from services.auth import VERIFIED
from services.errors import Invalid, NotFound
from services.tenancy.export import events_table, snapshots_table, tenant_aggregates

DDL = (
    """CREATE TABLE IF NOT EXISTS tenant_purges (
        tenant_id uuid NOT NULL,
        purged_at timestamptz NOT NULL DEFAULT now(),
        purged_by text NOT NULL,
        counts jsonb NOT NULL)""",
)

# Source data removed by name (below), not as read-model rows.
_OWN_TABLES = {
    "tenants",
    "api_keys",
    "tenant_purges",
    "webhook_subscriptions",
    "webhook_deliveries",
    "webhook_attempts",
    "webhook_replays",
}


def purge_tenant(
    db: Database, events: EventStore, tenant_id: UUID, *, confirm: str | None, by: str
) -> dict[str, Any]:
    if confirm != str(tenant_id):
        raise Invalid("purging needs confirm equal to the tenant's id", field="confirm")
    table = events_table(events)
    snapshots = snapshots_table(events)
    counts: dict[str, int] = {}
    with db.tx() as cur:
        cur.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        _hold_projections(cur)
        cur.execute("SELECT 1 FROM tenants WHERE id = %s FOR UPDATE", (tenant_id,))
        known = cur.fetchone() is not None
        ids = tenant_aggregates(cur, table, tenant_id)
        if not known and not ids:
            raise NotFound("tenant not found")
        counts["events"] = _delete(cur, f"DELETE FROM {table} WHERE originator_id = ANY(%s)", ids)
        if snapshots:
            _delete(cur, f"DELETE FROM {snapshots} WHERE originator_id = ANY(%s)", ids)
        counts["read_rows"] = sum(
            _delete(cur, f"DELETE FROM {name} WHERE tenant_id = %s", tenant_id)
            for name in _read_model_tables(cur)
        )
        counts["deliveries"] = _delete(
            cur, "DELETE FROM webhook_deliveries WHERE tenant_id = %s", tenant_id
        )
        _delete(cur, "DELETE FROM webhook_replays WHERE tenant_id = %s", tenant_id)
        counts["webhooks"] = _delete(
            cur, "DELETE FROM webhook_subscriptions WHERE tenant_id = %s", tenant_id
        )
        _delete(
            cur,
            "DELETE FROM idempotency_keys WHERE api_key_id IN"
            " (SELECT id FROM api_keys WHERE tenant_id = %s)",
            tenant_id,
        )
        counts["keys"] = _delete(cur, "DELETE FROM api_keys WHERE tenant_id = %s", tenant_id)
        cur.execute("DELETE FROM tenants WHERE id = %s", (tenant_id,))
        cur.execute(
            "INSERT INTO tenant_purges (tenant_id, purged_by, counts) VALUES (%s, %s, %s)",
            (tenant_id, by, Jsonb(counts)),
        )
    VERIFIED.forget()  # its keys stop working in this process at once
    events.forget_cached()  # and its aggregates are no longer served from memory
    return {"id": str(tenant_id), "purged": counts}


def _hold_projections(cur: Cursor) -> None:
    cur.execute("SELECT name FROM projection_tracking ORDER BY name")
    for row in cur.fetchall():
        cur.execute(
            "SELECT pg_advisory_xact_lock(hashtext('techplan.projection'), hashtext(%s))",
            (row["name"],),
        )


def _read_model_tables(cur: Cursor) -> list[str]:
    """Every table of this schema that holds rows per tenant, whatever projections exist."""
    cur.execute(
        "SELECT c.table_name FROM information_schema.columns c"
        " JOIN information_schema.tables t USING (table_schema, table_name)"
        " WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id'"
        " AND t.table_type = 'BASE TABLE' ORDER BY c.table_name"
    )
    return [r["table_name"] for r in cur.fetchall() if r["table_name"] not in _OWN_TABLES]


def _delete(cur: Cursor, statement: str, value: Any) -> int:
    # The projector's setting lets this transaction see every tenant's rows under RLS.
    cur.execute("SELECT set_config('techplan.projector', 'on', true)")
    cur.execute(statement, (value,))
    return cur.rowcount
