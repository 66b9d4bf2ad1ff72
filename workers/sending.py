"""Sending one endpoint's deliveries, oldest first, and what the delivery jobs of one worker
process share (`Deliveries`, kept in ctx["webhooks"]).

One job at a time drains an endpoint (workers/deliveries.py holds its advisory lock), so
deliveries leave in position order while the endpoint is healthy. After a failure the endpoint
rests (`paused_until`) and the job ends, leaving a deferred job for when it is due again. When
a failing endpoint answers 2xx again, every delivery still pending becomes due at once, in
position order.
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
import msgspec
import psycopg
from arq.connections import ArqRedis
from psycopg_pool import AsyncConnectionPool

from domain.shared import rfc3339
from infra.logs import log_context
from infra.metrics import WEBHOOK_DELIVERIES
from services.bootstrap import Container
from services.settings import Settings
from services.webhooks import sender
from services.webhooks.secrets import SecretBox, SecretUnreadable
from workers.observe import correlation
from workers.queue import queue_name

log = logging.getLogger("techplan.webhooks")

BATCH = 50  # deliveries fetched per query
RUN_BUDGET = 30.0  # seconds one job drains an endpoint before yielding its worker slot

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
        return queue_name(self.settings)

    def job_id(self, *parts: object) -> str:
        return ":".join([self.settings.redis_prefix, "webhook", *map(str, parts)])

    async def wake(
        self,
        subscription_id: object,
        at: datetime | None = None,
        *,
        correlation_id: str | None = None,
    ) -> None:
        """Make sure a job will drain this endpoint (now, or at `at`). The job's lines carry
        `correlation_id`: the request's or event's that woke it, else the job at hand's."""
        traced = _correlated(correlation_id)
        if at is not None and at > datetime.now(UTC):
            await self.redis.enqueue_job(
                "webhook_deliver",
                str(subscription_id),
                _job_id=self.job_id(subscription_id, "at", int(at.timestamp() * 10)),
                _defer_until=at,
                _queue_name=self.queue,
                correlation_id=traced,
            )
            return
        job = await self.redis.enqueue_job(
            "webhook_deliver",
            str(subscription_id),
            _job_id=self.job_id(subscription_id),
            _queue_name=self.queue,
            correlation_id=traced,
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
                correlation_id=traced,
            )

    async def start_replay(self, replay_id: object, *, correlation_id: str | None = None) -> None:
        await self.redis.enqueue_job(
            "webhook_replay",
            str(replay_id),
            _job_id=self.job_id("replay", replay_id),
            _queue_name=self.queue,
            correlation_id=_correlated(correlation_id),
        )

    def secrets(self, subscription: dict[str, Any]) -> list[str]:
        if self.box is None:
            raise SecretUnreadable(self.box_error or "no secret key")
        secrets = [self.box.open(subscription["secret"])]
        expires = subscription["previous_secret_expires_at"]
        if subscription["previous_secret"] and expires and expires > datetime.now(UTC):
            secrets.append(self.box.open(subscription["previous_secret"]))
        return secrets


# ---------------------------------------------------------------- what the operator sees


def _correlated(correlation_id: str | None) -> str | None:
    """The correlation id for a job enqueued now: the given one, else the job at hand's."""
    return correlation_id or correlation().get("correlation_id")


class _Correlated(msgspec.Struct):
    correlation_id: str = ""


def _delivery_context(subscription: dict[str, Any], delivery: dict[str, Any]) -> Any:
    """The delivery's lines carry the correlation id of the request that made its event."""
    try:
        correlation_id = msgspec.json.decode(delivery["body"], type=_Correlated).correlation_id
    except msgspec.DecodeError:
        correlation_id = ""
    return log_context(
        tenant_id=str(subscription["tenant_id"]),
        webhook_id=str(subscription["id"]),
        delivery_id=str(delivery["id"]),
        correlation_id=correlation_id or None,
    )


def _observe(delivery: dict[str, Any], outcome: sender.Outcome, result: str) -> None:
    """Count the attempt by its result and log it (never the URL: it may carry a token)."""
    WEBHOOK_DELIVERIES.labels(result).inc()
    log.info(
        "webhook attempt",
        extra={
            "outcome": result,
            "attempt": delivery["attempt_count"] + 1,
            "status_code": outcome.status_code,
            "duration_ms": outcome.duration_ms,
        },
    )


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
                with _delivery_context(subscription, delivery):
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
                        _observe(delivery, outcome, "succeeded")
                        writing = asyncio.create_task(
                            succeeded(conn, subscription_id, delivery, outcome, recovered=False)
                        )
                    elif outcome.ok:
                        _observe(delivery, outcome, "succeeded")
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
    _observe(delivery, outcome, "retrying" if wait is not None else "failed")
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
