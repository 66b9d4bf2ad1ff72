"""The API's Redis connection (an arq pool), opened in the lifespan and pinged by /health/ready."""

from __future__ import annotations

import asyncio
from typing import Any

from arq import create_pool
from arq.connections import ArqRedis, RedisSettings

from services.bootstrap import Container


def redis_settings(url: str) -> RedisSettings:
    settings = RedisSettings.from_dsn(url)
    settings.conn_retries = 1
    return settings


class RedisHook:
    def __init__(self) -> None:
        self.pool: ArqRedis | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    async def start(self, container: Container) -> None:
        self.pool = await create_pool(redis_settings(container.settings.require_redis()))
        self.loop = asyncio.get_running_loop()
        container.arq = self.pool
        container.redis_ping = self.ping

    def ping(self) -> Any:
        assert self.pool is not None and self.loop is not None
        pool = self.pool

        async def ping() -> Any:
            return await pool.ping()

        return asyncio.run_coroutine_threadsafe(ping(), self.loop).result(timeout=2)

    async def stop(self) -> None:
        if self.pool is not None:
            await self.pool.aclose()


def check_redis(url: str) -> None:
    """Raise a one-line error when Redis cannot be reached with `url`."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
        client.ping()
        client.close()
    except (redis.RedisError, OSError, ValueError) as exc:
        raise ConnectionError(f"cannot reach Redis at {url.split('@')[-1]}: {exc}") from None
