"""Webhook delivery: the arq jobs and the worker hooks that run them.

- `webhook_deliver(subscription_id)` drains one endpoint (workers/sending.py). A PostgreSQL
  advisory lock (held by the job's connection, released when it goes back to the pool) lets
  one job at a time work on an endpoint.
- `webhook_replay(replay_id)` creates the deliveries of a replay in batches, resumably
  (services/webhooks/replays.py).
- A listener (LISTEN techplan_webhooks) turns the fan-out's and the API's notifications into
  jobs as soon as their transactions commit; `webhook_sweep`, every few seconds and on every
  (re)connection of the listener, enqueues whatever is due in case a notification was missed.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from uuid import UUID

import psycopg
from arq import Retry, cron, func
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from services.bootstrap import Container
from services.webhooks.fanout import CHANNEL, parse_note
from services.webhooks.guard import guarded_client
from services.webhooks.replays import replay_batch
from services.webhooks.secrets import SecretBox, WebhooksUnavailable
from workers.observe import observed
from workers.sending import AsyncConn, Deliveries, drain

log = logging.getLogger("techplan.webhooks")

LOCK = "techplan.webhook"


# ---------------------------------------------------------------- worker hooks


async def on_startup(ctx: dict[str, Any]) -> None:
    container: Container = ctx["container"]
    settings = container.settings
    # httpx logs every request with its URL, and a webhook URL may carry a token.
    logging.getLogger("httpx").setLevel(logging.WARNING)

    async def unlock(conn: AsyncConn) -> None:
        await conn.execute("SELECT pg_advisory_unlock_all()")

    pool: AsyncConnectionPool[AsyncConn] = AsyncConnectionPool(
        settings.require_database(),
        min_size=1,
        max_size=12,
        kwargs={
            "autocommit": True,
            "row_factory": dict_row,
            # The delivery worker serves every tenant, like the projector.
            "options": "-c timezone=UTC -c techplan.projector=on",
        },
        reset=unlock,
        open=False,
    )
    await pool.open(wait=True, timeout=10)
    state = Deliveries(
        container=container,
        redis=ctx["redis"],
        pool=pool,
        client=guarded_client(settings.webhook_allow_private, settings.webhook_timeout),
    )
    try:
        state.box = SecretBox(settings.secret_key)
    except WebhooksUnavailable as exc:
        state.box_error = exc.detail
        log.warning("webhook deliveries cannot be signed: %s", exc.detail)
    state.listener = asyncio.create_task(listen(state), name="techplan-webhook-listener")
    ctx["webhooks"] = state


async def on_shutdown(ctx: dict[str, Any]) -> None:
    state: Deliveries | None = ctx.pop("webhooks", None)
    if state is None:
        return
    if state.listener is not None:
        state.listener.cancel()
        await asyncio.gather(state.listener, return_exceptions=True)
    await state.client.aclose()
    await state.pool.close()


async def listen(state: Deliveries) -> None:
    while True:
        try:
            conn = await psycopg.AsyncConnection.connect(
                state.settings.require_database(), autocommit=True
            )
            async with conn:
                await conn.execute(f"LISTEN {CHANNEL}")
                await sweep(state)
                async for note in conn.notifies():
                    kind, ident, correlation_id = parse_note(note.payload)
                    if kind == "d":
                        await state.wake(ident, correlation_id=correlation_id)
                    elif kind == "r":
                        await state.start_replay(ident, correlation_id=correlation_id)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("webhook listener failed; reconnecting")
            await asyncio.sleep(1)


# ---------------------------------------------------------------- jobs


@observed
async def webhook_deliver(ctx: dict[str, Any], subscription_id: str) -> int:
    state: Deliveries = ctx["webhooks"]
    async with state.pool.connection() as conn:
        cur = await conn.execute(
            "SELECT pg_try_advisory_lock(hashtext(%s), hashtext(%s)) AS got",
            (LOCK, subscription_id),
        )
        row = await cur.fetchone()
        if not row or not row["got"]:
            raise Retry(defer=1)  # another job is draining this endpoint
        return await drain(state, conn, UUID(subscription_id))


@observed
async def webhook_sweep(ctx: dict[str, Any]) -> int:
    return await sweep(ctx["webhooks"])


@observed
async def webhook_replay(ctx: dict[str, Any], replay_id: str) -> int:
    state: Deliveries = ctx["webhooks"]
    created = 0
    while True:
        c = state.container
        made, done = await asyncio.to_thread(replay_batch, c.db, c.store.app, UUID(replay_id))
        created += made
        if done:
            return created


FUNCTIONS = [
    func(webhook_deliver, keep_result=0, max_tries=10_000),
    func(webhook_replay, keep_result=0, max_tries=5),
]
CRON_JOBS = [cron(webhook_sweep, second=set(range(0, 60, 5)), keep_result=0)]


async def sweep(state: Deliveries) -> int:
    async with state.pool.connection() as conn:
        cur = await conn.execute(
            "SELECT DISTINCT d.subscription_id AS id FROM webhook_deliveries d"
            " JOIN webhook_subscriptions s ON s.id = d.subscription_id"
            " WHERE d.status = 'pending' AND d.next_attempt_at <= now()"
            " AND s.status = 'enabled' AND (s.paused_until IS NULL OR s.paused_until <= now())"
        )
        due = [r["id"] for r in await cur.fetchall()]
        cur = await conn.execute("SELECT id FROM webhook_replays WHERE finished_at IS NULL")
        replays = [r["id"] for r in await cur.fetchall()]
    for subscription_id in due:
        await state.wake(subscription_id)
    for replay_id in replays:
        await state.start_replay(replay_id)
    return len(due) + len(replays)
