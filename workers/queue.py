"""The worker's arq queue: one per Redis prefix, so several Techplans can share a Redis.

The worker outlives Redis: every Redis call of the worker waits for Redis to answer again
(`WaitForRedis`) instead of failing, so an outage pauses job pickup and enqueueing, never
kills the process. Nothing is lost meanwhile: projections follow PostgreSQL's notifications,
not Redis, and deliveries live in PostgreSQL; the sweep re-enqueues whatever is due once
Redis is back, even when it comes back empty.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from arq.connections import RedisSettings
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError, RedisError, TimeoutError

from services.redis import redis_settings
from services.settings import Settings

log = logging.getLogger("techplan.worker")

T = TypeVar("T")


class WaitForRedis(Retry):
    """Retry a Redis call until it succeeds (every second at most), logging the outage once."""

    def __init__(self) -> None:
        super().__init__(
            ExponentialBackoff(cap=1.0, base=0.05),
            retries=-1,
            # redis-py retries the connect itself with this object too, whose raw error is
            # an OSError (connection refused), not yet a RedisError.
            supported_errors=(ConnectionError, TimeoutError, OSError),  # type: ignore[arg-type]
        )
        self.down_since: float | None = None

    async def call_with_retry(
        self, do: Callable[[], Awaitable[T]], fail: Callable[[RedisError], Any]
    ) -> T:
        async def failed(error: RedisError) -> None:
            if self.down_since is None:
                self.down_since = time.monotonic()
                log.warning("Redis is unavailable (%s); waiting for it", type(error).__name__)
            await fail(error)

        result = await super().call_with_retry(do, failed)
        if self.down_since is not None:
            log.warning("Redis is back after %.1fs", time.monotonic() - self.down_since)
            self.down_since = None
        return result


def worker_redis_settings(settings: Settings) -> RedisSettings:
    redis = redis_settings(settings.require_redis())
    redis.retry = WaitForRedis()
    return redis


def queue_name(settings: Settings) -> str:
    return f"{settings.redis_prefix}:queue"
