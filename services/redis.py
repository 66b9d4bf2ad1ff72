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
        container.extras["arq"] = self.pool
        container.extras["redis_ping"] = self.ping

    def ping(self) -> Any:
        assert self.pool is not None and self.loop is not None
        pool = self.pool

        async def ping() -> Any:
            return await pool.ping()

        return asyncio.run_coroutine_threadsafe(ping(), self.loop).result(timeout=2)

    async def stop(self) -> None:
        if self.pool is not None:
            await self.pool.aclose()
