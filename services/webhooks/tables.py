"""The webhooks' own tables: subscriptions (what the API's admins create), deliveries and
their attempts (what the fan-out and the sender write), replays. Source data, not a read
model: `migrate` creates them, no rebuild drops them.
"""

from __future__ import annotations

from infra.db import rls

NO_REPLAY = "00000000-0000-0000-0000-000000000000"

TABLES = (
    "public.webhook_subscriptions",
    "public.webhook_deliveries",
    "public.webhook_attempts",
    "public.webhook_replays",
)

DDL = (
    """CREATE TABLE IF NOT EXISTS public.webhook_subscriptions (
        seq bigserial UNIQUE,
        tenant_id uuid NOT NULL,
        id uuid PRIMARY KEY,
        url text NOT NULL,
        event_types text[] NOT NULL,
        description text,
        status text NOT NULL CHECK (status IN ('enabled', 'disabled')),
        disabled_reason text,
        disabled_at timestamptz,
        secret text NOT NULL,
        previous_secret text,
        previous_secret_expires_at timestamptz,
        created_position bigint NOT NULL,
        active_from_position bigint NOT NULL,
        failing_since timestamptz,
        paused_until timestamptz,
        last_success_at timestamptz,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now())""",
    "CREATE INDEX IF NOT EXISTS webhook_subscriptions_tenant"
    " ON public.webhook_subscriptions (tenant_id, seq)",
    """CREATE TABLE IF NOT EXISTS public.webhook_deliveries (
        seq bigserial UNIQUE,
        tenant_id uuid NOT NULL,
        id uuid PRIMARY KEY,
        subscription_id uuid NOT NULL
            REFERENCES public.webhook_subscriptions (id) ON DELETE CASCADE,
        position bigint NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        replay_of uuid,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'succeeded', 'failed')),
        attempt_count int NOT NULL DEFAULT 0,
        round_attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now())""",
    "CREATE UNIQUE INDEX IF NOT EXISTS webhook_deliveries_once ON public.webhook_deliveries"
    f" (subscription_id, position, coalesce(replay_of, '{NO_REPLAY}'::uuid))",
    "CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON public.webhook_deliveries"
    " (subscription_id, position, seq) WHERE status = 'pending'",
    "CREATE INDEX IF NOT EXISTS webhook_deliveries_list"
    " ON public.webhook_deliveries (subscription_id, seq)",
    """CREATE TABLE IF NOT EXISTS public.webhook_attempts (
        tenant_id uuid NOT NULL,
        delivery_id uuid NOT NULL REFERENCES public.webhook_deliveries (id) ON DELETE CASCADE,
        n int NOT NULL,
        at timestamptz NOT NULL,
        status_code int,
        error text,
        duration_ms int NOT NULL,
        PRIMARY KEY (delivery_id, n))""",
    """CREATE TABLE IF NOT EXISTS public.webhook_replays (
        tenant_id uuid NOT NULL,
        id uuid PRIMARY KEY,
        subscription_id uuid NOT NULL
            REFERENCES public.webhook_subscriptions (id) ON DELETE CASCADE,
        since_position bigint NOT NULL,
        until_position bigint NOT NULL,
        position bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz)""",
)


def schema() -> list[str]:
    statements = list(DDL)
    for table in TABLES:
        statements += rls(table)
    return statements
