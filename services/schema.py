"""`techplan migrate`: create or upgrade every table. Idempotent; needs no superuser.

A projection whose `version` is above the one its tracking row records is rebuilt (and swapped
in while the old tables keep serving); the tables of read models that no longer exist are
dropped.
"""

from __future__ import annotations

from contextlib import suppress

from infra import tracing
from infra.db import Database
from projections import notify
from projections.rebuild import RebuildRunning, rebuild_many
from projections.runner import TRACKING_DDL, Runner
from services.auth import unlimit_admin_keys
from services.idempotency import CONFIRM_CLAIM
from services.portal import sessions as portal_sessions
from services.store import Store
from services.tenancy import purge
from services.webhooks import tables as webhook_tables

# Read models that became views over the base tables (issue 8): their copies of clients,
# strategies, goals, initiatives and budgets.
RETIRED_PROJECTIONS = ("roadmap", "alignment", "portfolio")
RETIRED_TABLES = (
    "roadmap_clients",
    "roadmap_initiatives",
    "alignment_strategies",
    "alignment_goals",
    "alignment_initiatives",
    "portfolio_clients",
    "portfolio_strategies",
    "portfolio_goals",
    "portfolio_initiatives",
    "portfolio_budgets",
    "portfolio_budget_lines",
)

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
    # Crash-safe claims (services/idempotency.py): the attempt that holds the key, how long
    # it may hold it, and when its writes committed (set inside those writes' transaction).
    "ALTER TABLE idempotency_keys ADD COLUMN IF NOT EXISTS token uuid",
    "ALTER TABLE idempotency_keys ADD COLUMN IF NOT EXISTS lease_until timestamptz"
    " NOT NULL DEFAULT now() + interval '30 seconds'",
    "ALTER TABLE idempotency_keys ADD COLUMN IF NOT EXISTS applied_at timestamptz",
    CONFIRM_CLAIM,
)


# An admin key sees the whole tenant (API.md "Roles"); databases from before issue 9 may hold
# admin keys limited to clients, converted by `unlimit_admin_keys` before the check is added.
ADMIN_UNLIMITED = """DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'api_keys_admin_unlimited'
        AND conrelid = 'api_keys'::regclass) THEN
        ALTER TABLE api_keys ADD CONSTRAINT api_keys_admin_unlimited
            CHECK (role <> 'admin' OR client_ids IS NULL);
    END IF;
END $$"""


def migrate(db: Database, store: Store, runner: Runner) -> dict[str, int]:
    """Returns what it converted of the old data (`unlimit_admin_keys`)."""
    store.create_tables()
    with db.tx() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(hashtext('techplan.migrate'))")
        for statement in (
            *CORE_DDL,
            *TRACKING_DDL,
            *notify.DDL,
            *webhook_tables.schema(),
            *purge.DDL,
            *tracing.DDL,
        ):
            cur.execute(statement)
        converted = unlimit_admin_keys(cur)
        cur.execute(ADMIN_UNLIMITED)
        portal_sessions.create_tables(cur)
        for table in RETIRED_TABLES:
            cur.execute(f"DROP TABLE IF EXISTS {table}")
        cur.execute(
            "DELETE FROM projection_tracking WHERE name = ANY(%s)", (list(RETIRED_PROJECTIONS),)
        )
        for projection in runner.projections:
            for statement in projection.schema():
                cur.execute(statement)
        runner.ensure_tracking(cur)
        cur.execute("SELECT name, version FROM projection_tracking")
        recorded = {r["name"]: r["version"] for r in cur.fetchall()}
    outdated = [p.name for p in runner.projections if recorded.get(p.name, p.version) < p.version]
    if outdated:
        with suppress(RebuildRunning):  # another process's migrate is rebuilding them
            rebuild_many(runner, outdated)  # together: one pass over the log
    return converted
