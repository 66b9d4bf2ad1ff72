"""Webhook delivery: arq jobs that send each endpoint's pending deliveries, oldest first.

- `webhook_deliver(subscription_id)` drains one endpoint. A PostgreSQL advisory lock (held by
  the job's connection, released when it goes back to the pool) lets one job at a time work
  on an endpoint, so deliveries leave in position order while the endpoint is healthy. After
  a failure the endpoint rests (`paused_until`) and the job ends, leaving a deferred job for
  when it is due again. When a failing endpoint answers 2xx again, every delivery still
  pending becomes due at once, in position order.
- `webhook_replay(replay_id)` creates the deliveries of a replay in batches, resumably.
- A listener (LISTEN techplan_webhooks) turns the fan-out's and the API's notifications into
  jobs as soon as their transactions commit; `webhook_sweep`, every few seconds and on every
  (re)connection of the listener, enqueues whatever is due in case a notification was missed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
import psycopg
from arq import Retry, cron, func
from arq.connections import ArqRedis
from eventsourcing.persistence import StoredEvent
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from domain.shared import rfc3339
from projections.webhooks import CHANNEL, enqueue
from services.bootstrap import Container
from services.settings import Settings
from services.webhooks import payload, sender
from services.webhooks.event_types import matches
from services.webhooks.guard import guarded_client
from services.webhooks.secrets import SecretBox, SecretUnreadable, WebhooksUnavailable

log = logging.getLogger("techplan.webhooks")

BATCH = 50  # deliveries fetched per query
RUN_BUDGET = 30.0  # seconds one job drains an endpoint before yielding its worker slot
REPLAY_BATCH = 500
LOCK = "techplan.webhook"

AsyncConn = psycopg.AsyncConnection[dict[str, Any]]


@dataclass
class Deliveries:
    """What the delivery jobs share in one worker process (ctx["webhooks"])."""

    container: Container
    redis: ArqRedis
    pool: AsyncConnectionPool[AsyncConn]
    client: httpx.AsyncClient
    listener: asyncio.Task[None] | None = None
    box: SecretBox | None = None
    box_error: str | None = None

    @property
    def settings(self) -> Settings:
        return self.container.settings

    @property
    def queue(self) -> str:
        from workers.main import queue_name

        return queue_name(self.settings)

    def job_id(self, *parts: object) -> str:
        return ":".join([self.settings.redis_prefix, "webhook", *map(str, parts)])

    async def wake(self, subscription_id: object, at: datetime | None = None) -> None:
        """Make sure a job will drain this endpoint (now, or at `at`)."""
        if at is not None and at > datetime.now(UTC):
            await self.redis.enqueue_job(
                "webhook_deliver",
                str(subscription_id),
                _job_id=self.job_id(subscription_id, "at", int(at.timestamp() * 10)),
                _defer_until=at,
                _queue_name=self.queue,
            )
            return
        job = await self.redis.enqueue_job(
            "webhook_deliver",
            str(subscription_id),
            _job_id=self.job_id(subscription_id),
            _queue_name=self.queue,
        )
        if job is None:
            # One is queued or running; a running one may be past its last look at the
            # table, so a follow-up comes shortly after (and waits for the lock).
            await self.redis.enqueue_job(
                "webhook_deliver",
                str(subscription_id),
                _job_id=self.job_id(subscription_id, "again"),
                _defer_by=0.5,
                _queue_name=self.queue,
            )

    async def start_replay(self, replay_id: object) -> None:
        await self.redis.enqueue_job(
            "webhook_replay",
            str(replay_id),
            _job_id=self.job_id("replay", replay_id),
            _queue_name=self.queue,
        )

    def secrets(self, subscription: dict[str, Any]) -> list[str]:
        if self.box is None:
            raise SecretUnreadable(self.box_error or "no secret key")
        secrets = [self.box.open(subscription["secret"])]
        expires = subscription["previous_secret_expires_at"]
        if subscription["previous_secret"] and expires and expires > datetime.now(UTC):
            secrets.append(self.box.open(subscription["previous_secret"]))
        return secrets


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
                    kind, _, ident = note.payload.partition(":")
                    if kind == "d":
                        await state.wake(ident)
                    elif kind == "r":
                        await state.start_replay(ident)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("webhook listener failed; reconnecting")
            await asyncio.sleep(1)


# ---------------------------------------------------------------- jobs


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


async def webhook_sweep(ctx: dict[str, Any]) -> int:
    return await sweep(ctx["webhooks"])


async def webhook_replay(ctx: dict[str, Any], replay_id: str) -> int:
    state: Deliveries = ctx["webhooks"]
    created = 0
    while True:
        made, done = await asyncio.to_thread(replay_batch, state.container, UUID(replay_id))
        created += made
        if done:
            return created


FUNCTIONS = [
    func(webhook_deliver, keep_result=0, max_tries=10_000),
    func(webhook_replay, keep_result=0, max_tries=5),
]
CRON_JOBS = [cron(webhook_sweep, second=set(range(0, 60, 5)), keep_result=0)]


# ---------------------------------------------------------------- draining one endpoint


async def drain(state: Deliveries, conn: AsyncConn, subscription_id: UUID) -> int:
    settings = state.settings
    sent = 0
    started = time.monotonic()
    # A success is recorded while the next delivery is on the wire: one write at a time, in
    # order, and always finished before the table is read again or the job ends.
    writing: asyncio.Task[None] | None = None

    async def settle() -> None:
        nonlocal writing
        if writing is not None:
            task, writing = writing, None
            await task

    try:
        while True:
            await settle()
            cur = await conn.execute(
                "SELECT * FROM webhook_subscriptions WHERE id = %s", (subscription_id,)
            )
            subscription = await cur.fetchone()
            if subscription is None or subscription["status"] != "enabled":
                return sent
            paused = subscription["paused_until"]
            if paused is not None and paused > datetime.now(UTC):
                await state.wake(subscription_id, at=paused)
                return sent
            cur = await conn.execute(
                "SELECT id, body, attempt_count, round_attempts FROM webhook_deliveries"
                " WHERE subscription_id = %s AND status = 'pending' AND next_attempt_at <= now()"
                " ORDER BY position, seq LIMIT %s",
                (subscription_id, BATCH),
            )
            due = await cur.fetchall()
            if not due:
                cur = await conn.execute(
                    "SELECT min(next_attempt_at) AS at FROM webhook_deliveries"
                    " WHERE subscription_id = %s AND status = 'pending'",
                    (subscription_id,),
                )
                later = await cur.fetchone()
                if later and later["at"] is not None:
                    await state.wake(subscription_id, at=later["at"])
                return sent
            failing = subscription["failing_since"] is not None or paused is not None
            try:
                secrets: list[str] | None = state.secrets(subscription)
                unsigned = ""
            except SecretUnreadable as exc:
                secrets, unsigned = None, f"cannot sign: {exc}"
            for delivery in due:
                if secrets is None:
                    outcome = sender.Outcome(None, unsigned, 0)
                else:
                    outcome = await sender.attempt(
                        state.client,
                        subscription["url"],
                        str(delivery["id"]),
                        delivery["body"].encode(),
                        secrets,
                        settings.webhook_timeout,
                    )
                sent += 1
                await settle()
                if outcome.ok and not failing:
                    writing = asyncio.create_task(
                        succeeded(conn, subscription_id, delivery, outcome, recovered=False)
                    )
                elif outcome.ok:
                    await succeeded(conn, subscription_id, delivery, outcome, recovered=True)
                    break  # deliveries that waited are due again: start over, in order
                else:
                    await failed(conn, settings, subscription_id, delivery, outcome)
                    break  # the endpoint may now rest, or be disabled: look again
                if time.monotonic() - started > RUN_BUDGET:
                    await settle()
                    await state.wake(subscription_id)  # more later; let other endpoints run
                    return sent
    finally:
        await settle()


async def succeeded(
    conn: AsyncConn,
    subscription_id: UUID,
    delivery: dict[str, Any],
    outcome: sender.Outcome,
    *,
    recovered: bool,
) -> None:
    await conn.execute(
        "WITH attempt AS (INSERT INTO webhook_attempts"
        " (tenant_id, delivery_id, n, at, status_code, error, duration_ms)"
        " SELECT tenant_id, id, %(n)s, now(), %(code)s, NULL, %(ms)s"
        " FROM webhook_deliveries WHERE id = %(id)s)"
        " UPDATE webhook_deliveries SET status = 'succeeded', attempt_count = %(n)s,"
        " round_attempts = round_attempts + 1, next_attempt_at = NULL, updated_at = now()"
        " WHERE id = %(id)s",
        {
            "n": delivery["attempt_count"] + 1,
            "code": outcome.status_code,
            "ms": outcome.duration_ms,
            "id": delivery["id"],
        },
    )
    if recovered:
        # It answers again: what waited on the endpoint (not on itself) goes now, in order.
        async with conn.transaction():
            await conn.execute(
                "UPDATE webhook_subscriptions SET failing_since = NULL, paused_until = NULL,"
                " last_success_at = now() WHERE id = %s",
                (subscription_id,),
            )
            await conn.execute(
                "UPDATE webhook_deliveries SET next_attempt_at = now() WHERE subscription_id = %s"
                " AND status = 'pending' AND next_attempt_at > now()",
                (subscription_id,),
            )


async def failed(
    conn: AsyncConn,
    settings: Settings,
    subscription_id: UUID,
    delivery: dict[str, Any],
    outcome: sender.Outcome,
) -> None:
    schedule = settings.webhook_retry_schedule
    rounds = delivery["round_attempts"] + 1
    spread = sender.jitter()
    wait = sender.next_wait(schedule, rounds, outcome, spread)
    pause = sender.endpoint_pause(schedule, wait, outcome, spread)
    async with conn.transaction():
        cur = await conn.execute(
            "SELECT status, failing_since, now() AS now FROM webhook_subscriptions"
            " WHERE id = %s FOR UPDATE",
            (subscription_id,),
        )
        subscription = await cur.fetchone()
        if subscription is None:
            return  # deleted meanwhile, with its deliveries
        now: datetime = subscription["now"]
        await conn.execute(
            "WITH attempt AS (INSERT INTO webhook_attempts"
            " (tenant_id, delivery_id, n, at, status_code, error, duration_ms)"
            " SELECT tenant_id, id, %(n)s, %(now)s, %(code)s, %(error)s, %(ms)s"
            " FROM webhook_deliveries WHERE id = %(id)s)"
            " UPDATE webhook_deliveries SET status = %(status)s, attempt_count = %(n)s,"
            " round_attempts = %(rounds)s, next_attempt_at = %(next)s, updated_at = now()"
            " WHERE id = %(id)s",
            {
                "n": delivery["attempt_count"] + 1,
                "now": now,
                "code": outcome.status_code,
                "error": outcome.error,
                "ms": outcome.duration_ms,
                "id": delivery["id"],
                "status": "pending" if wait is not None else "failed",
                "rounds": rounds,
                "next": now + timedelta(seconds=wait) if wait is not None else None,
            },
        )
        since: datetime = subscription["failing_since"] or now
        reason = None
        if outcome.gone:
            reason = "the receiver answered 410 Gone"
        elif (now - since).total_seconds() >= settings.webhook_disable_after:
            reason = f"failing continuously since {rfc3339(since)}; last error: {outcome.error}"
        values: dict[str, Any] = {
            "id": subscription_id,
            "since": since,
            "paused": now + timedelta(seconds=pause),
        }
        disable = ""
        if reason is not None and subscription["status"] == "enabled":
            disable = (
                ", status = 'disabled', disabled_reason = %(reason)s, disabled_at = %(now)s,"
                " version = version + 1, updated_at = %(now)s"
            )
            values.update(reason=reason, now=now)
            log.warning("webhook %s disabled: %s", subscription_id, reason)
        await conn.execute(
            "UPDATE webhook_subscriptions SET failing_since = %(since)s,"
            f" paused_until = %(paused)s{disable} WHERE id = %(id)s",
            values,
        )


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


# ---------------------------------------------------------------- replays


def replay_batch(c: Container, replay_id: UUID) -> tuple[int, bool]:
    """Create the next batch of a replay's deliveries; (how many, whether it is finished)."""
    with c.db.projector_tx() as cur:
        cur.execute(
            "SELECT r.subscription_id, r.position, r.until_position, s.tenant_id, s.event_types"
            " FROM webhook_replays r JOIN webhook_subscriptions s ON s.id = r.subscription_id"
            " WHERE r.id = %s AND r.finished_at IS NULL FOR UPDATE OF r SKIP LOCKED",
            (replay_id,),
        )
        replay = cur.fetchone()
        if replay is None:
            return 0, True  # finished, deleted, or another worker has it
        cur.execute(
            "SELECT originator_id, originator_version, topic, state, notification_id"
            f" FROM {c.runner.events_table()} WHERE notification_id > %s"
            " AND notification_id <= %s ORDER BY notification_id LIMIT %s",
            (replay["position"], replay["until_position"], REPLAY_BATCH),
        )
        rows = cur.fetchall()
        made = 0
        for row in rows:
            event = c.store.decode(
                StoredEvent(
                    originator_id=row["originator_id"],
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=bytes(row["state"]),
                )
            )
            if event.tenant_id != replay["tenant_id"]:
                continue
            if not matches(replay["event_types"], event.type_name()):
                continue
            fields = payload.event_fields(event, row["notification_id"])
            if enqueue(
                cur, replay["subscription_id"], event.tenant_id, fields, replay_of=replay_id
            ):
                made += 1
        position = rows[-1]["notification_id"] if rows else replay["until_position"]
        done = len(rows) < REPLAY_BATCH or position >= replay["until_position"]
        cur.execute(
            "UPDATE webhook_replays SET position = %s, finished_at = %s WHERE id = %s",
            (position, datetime.now(UTC) if done else None, replay_id),
        )
    return made, done
