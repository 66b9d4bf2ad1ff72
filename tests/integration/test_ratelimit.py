"""Rate limits on the real Redis: per key, per tenant, shared by processes, and out of the way
when Redis is not there."""

from __future__ import annotations

import secrets
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator
from typing import Any

import pytest

from services.ratelimit import RateLimits
from tests.conftest import REDIS_URL


@pytest.fixture
async def limits() -> AsyncIterator[Any]:
    made: list[RateLimits] = []

    def make(per_key: int, per_tenant: int, url: str = REDIS_URL, prefix: str = "") -> RateLimits:
        limiter = RateLimits(
            url,
            prefix=prefix or f"techplan-test:{secrets.token_hex(4)}",
            per_key=per_key,
            per_tenant=per_tenant,
        )
        made.append(limiter)
        return limiter

    yield make
    for limiter in made:
        await limiter.close()


async def hits(limiter: RateLimits, n: int, key: str, tenant: str) -> list[bool]:
    answers = []
    for _ in range(n):
        verdict = await limiter.hit(key, tenant)
        assert verdict is not None
        answers.append(verdict.allowed)
    return answers


async def test_a_key_gets_a_burst_of_twice_its_rate_then_429(limits: Any) -> None:
    limiter = limits(per_key=5, per_tenant=1000)
    assert await hits(limiter, 10, "k1", "t1") == [True] * 10
    refused = await limiter.hit("k1", "t1")
    assert refused is not None and not refused.allowed and refused.scope == "key"
    assert refused.retry_after >= 1 and refused.remaining == 0
    assert refused.headers()["RateLimit-Limit"] == "10"
    # Another key of the same tenant is not held back by the first one.
    assert await hits(limiter, 10, "k2", "t1") == [True] * 10


async def test_all_keys_of_a_tenant_share_the_tenant_limit(limits: Any) -> None:
    limiter = limits(per_key=100, per_tenant=4)
    assert await hits(limiter, 4, "a", "t") + await hits(limiter, 4, "b", "t") == [True] * 8
    refused = await limiter.hit("c", "t")
    assert refused is not None and not refused.allowed and refused.scope == "tenant"
    # Another tenant goes on.
    assert await hits(limiter, 8, "d", "other") == [True] * 8


async def test_remaining_counts_down(limits: Any) -> None:
    limiter = limits(per_key=3, per_tenant=0)
    seen = [(await limiter.hit("k", "t")) for _ in range(3)]
    assert [v.remaining for v in seen if v] == [5, 4, 3]


async def test_limits_hold_across_processes(limits: Any) -> None:
    prefix = f"techplan-test:{secrets.token_hex(4)}"
    other_process = textwrap.dedent(
        f"""
        import asyncio
        from services.ratelimit import RateLimits

        async def main():
            limiter = RateLimits({REDIS_URL!r}, prefix={prefix!r}, per_key=5, per_tenant=0)
            for _ in range(10):
                verdict = await limiter.hit("shared", "t")
                assert verdict is not None and verdict.allowed
            await limiter.close()

        asyncio.run(main())
        """
    )
    subprocess.run([sys.executable, "-c", other_process], check=True, timeout=60)
    limiter = limits(per_key=5, per_tenant=0, prefix=prefix)
    verdict = await limiter.hit("shared", "t")
    assert verdict is not None and not verdict.allowed


async def test_zero_turns_limiting_off(limits: Any) -> None:
    limiter = limits(per_key=0, per_tenant=0)
    assert not limiter.enabled
    assert await limiter.hit("k", "t") is None


async def test_without_redis_requests_pass(limits: Any) -> None:
    limiter = limits(per_key=1, per_tenant=1, url="redis://127.0.0.1:1/0")
    assert [await limiter.hit("k", "t") for _ in range(5)] == [None] * 5


async def test_a_request_the_tenant_refuses_is_not_counted_against_its_key(limits: Any) -> None:
    limiter = limits(per_key=2, per_tenant=1)  # key: 4 in two seconds, tenant: 2
    assert await hits(limiter, 2, "k", "t") == [True, True]
    refused = await limiter.hit("k", "t")
    assert refused is not None and not refused.allowed and refused.scope == "tenant"
    alone = limits(per_key=2, per_tenant=0, prefix=limiter.prefix.removesuffix(":ratelimit"))
    verdict = await alone.hit("k", "t")
    assert verdict is not None and verdict.allowed and verdict.remaining == 1


async def test_the_windows_are_those_limits_itself_keeps(limits: Any) -> None:
    """A process still counting with `limits`' own strategy (a rolling upgrade) shares them."""
    from limits import RateLimitItemPerSecond
    from limits.aio.storage import RedisStorage
    from limits.aio.strategies import MovingWindowRateLimiter

    limiter = limits(per_key=3, per_tenant=0)
    storage = RedisStorage(
        f"async+{REDIS_URL}", implementation="redispy", key_prefix=limiter.prefix
    )
    other = MovingWindowRateLimiter(storage)
    item = RateLimitItemPerSecond(6, 2)
    assert all([await other.hit(item, "key", "k") for _ in range(4)])
    verdict = await limiter.hit("k", "t")
    assert verdict is not None and verdict.allowed and verdict.remaining == 1
    try:
        assert await other.hit(item, "key", "k")  # the sixth
        refused = await limiter.hit("k", "t")
        assert refused is not None and not refused.allowed and refused.remaining == 0
        assert (await other.get_window_stats(item, "key", "k")).remaining == 0
    finally:
        await storage.bridge.storage.aclose()


async def test_concurrent_hits_sent_together_are_counted_one_by_one(limits: Any) -> None:
    import asyncio

    limiter = limits(per_key=5, per_tenant=0)  # 10 in two seconds
    verdicts = await asyncio.gather(*(limiter.hit("k", "t") for _ in range(25)))
    assert all(v is not None for v in verdicts)
    allowed = [v for v in verdicts if v is not None and v.allowed]
    assert len(allowed) == 10
    assert sorted(v.remaining for v in allowed) == list(range(10))


async def test_a_redis_that_never_answers_lets_requests_pass(limits: Any) -> None:
    import asyncio

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # until the client goes
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        limiter = limits(per_key=1, per_tenant=1, url=f"redis://127.0.0.1:{port}/0")
        verdicts = await asyncio.gather(*(limiter.hit("k", "t") for _ in range(5)))
        assert verdicts == [None] * 5
        await limiter.close()
    finally:
        server.close()
        await server.wait_closed()


async def test_a_lost_connection_is_made_again(limits: Any) -> None:
    import asyncio
    import time

    import redis

    limiter = limits(per_key=100, per_tenant=0)
    assert (await limiter.hit("k", "t")) is not None
    own_id = await limiter.redis.client_id()  # the pool's one connection, idle again
    killer = redis.Redis.from_url(REDIS_URL)
    try:
        killer.client_kill_filter(_id=own_id)
    finally:
        killer.close()
    deadline = time.monotonic() + 30
    while (verdict := await limiter.hit("k", "t")) is None:  # Redis rests a second after a loss
        assert time.monotonic() < deadline
        await asyncio.sleep(0.05)
    assert verdict.allowed
    assert await limiter.redis.client_id() != own_id


def test_the_limits_work_on_uvloop() -> None:
    """`techplan serve` runs on uvloop (uvicorn picks it), whose transports are its own."""
    import asyncio

    uvloop = pytest.importorskip("uvloop")

    async def concurrent_hits() -> list[bool]:
        limiter = RateLimits(
            REDIS_URL, prefix=f"techplan-test:{secrets.token_hex(4)}", per_key=5, per_tenant=0
        )
        try:
            verdicts = await asyncio.gather(*(limiter.hit("k", "t") for _ in range(12)))
            return [v.allowed for v in verdicts if v is not None]
        finally:
            await limiter.close()

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        assert sorted(runner.run(concurrent_hits())) == [False] * 2 + [True] * 10
