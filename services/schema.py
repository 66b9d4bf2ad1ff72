"""`techplan migrate`: create or upgrade every table. Idempotent; needs no superuser."""

from __future__ import annotations

from infra.db import Database
from projections.runner import TRACKING_DDL, Runner
from services.store import Store

CORE_DDL = (
    """CREATE TABLE IF NOT EXISTS tenants (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS api_keys (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'editor', 'viewer', 'client')),
        client_ids uuid[],
        key_hash text NOT NULL UNIQUE,
        key_prefix text NOT NULL,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz)""",
    "CREATE INDEX IF NOT EXISTS api_keys_tenant ON api_keys (tenant_id, id)",
    """CREATE TABLE IF NOT EXISTS idempotency_keys (
        api_key_id uuid NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        state text NOT NULL,
        status_code int,
        headers jsonb,
        body bytea,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (api_key_id, key))""",
    "CREATE INDEX IF NOT EXISTS idempotency_keys_age ON idempotency_keys (created_at)",
)


def migrate(db: Database, store: Store, runner: Runner) -> None:
    store.create_tables()
    with db.tx() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(hashtext('techplan.migrate'))")
        for statement in CORE_DDL + TRACKING_DDL:
            cur.execute(statement)
        for projection in runner.projections:
            for statement in projection.schema():
                cur.execute(statement)
        runner.ensure_tracking(cur)
