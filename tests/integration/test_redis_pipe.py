"""The rate limits' pipelined Redis connection (infra/redis_pipe.py), on the real Redis."""

from __future__ import annotations

import asyncio
import secrets
import time

import pytest
import redis

from infra.redis_pipe import RedisError, RedisPipe
from tests.conftest import REDIS_URL


async def test_concurrent_calls_get_their_own_answers() -> None:
    pipe = RedisPipe(REDIS_URL, timeout=5)
    try:
        key = f"techplan-test:{secrets.token_hex(4)}"
        answers = await asyncio.gather(*(pipe.call("ECHO", str(n)) for n in range(200)))
        assert answers == [str(n).encode() for n in range(200)]
        assert await pipe.call("INCRBY", key, 5) == 5
        await pipe.call("DEL", key)
        with pytest.raises(RedisError):
            await pipe.call("NOSUCHCOMMAND")
    finally:
        await pipe.close()


async def test_the_urls_database_is_selected() -> None:
    key = f"techplan-test:{secrets.token_hex(4)}"
    pipe = RedisPipe(REDIS_URL.rsplit("/", 1)[0] + "/3", timeout=5)
    try:
        await pipe.call("SET", key, "here", "EX", 60)
    finally:
        await pipe.close()
    db3 = redis.Redis.from_url(REDIS_URL.rsplit("/", 1)[0] + "/3")
    try:
        assert db3.get(key) == b"here"
        db3.delete(key)
    finally:
        db3.close()


async def test_a_script_redis_forgot_is_sent_whole() -> None:
    pipe = RedisPipe(REDIS_URL, timeout=5)
    source = "return ARGV[1] .. '!'"
    try:
        pipe._scripts[source] = "0" * 40  # as if Redis had been restarted since it was loaded
        assert await pipe.script(source, [], ["hi"]) == b"hi!"
    finally:
        await pipe.close()


async def test_a_lost_connection_is_made_again() -> None:
    pipe = RedisPipe(REDIS_URL, timeout=5)
    try:
        own_id = await pipe.call("CLIENT", "ID")
        killer = redis.Redis.from_url(REDIS_URL)
        try:
            killer.execute_command("CLIENT", "KILL", "ID", own_id)
        finally:
            killer.close()
        deadline = time.monotonic() + 30
        while True:  # the loss shows on the next call or the one after
            try:
                new_id = await pipe.call("CLIENT", "ID")
                break
            except ConnectionError:
                assert time.monotonic() < deadline
        assert new_id != own_id
    finally:
        await pipe.close()


async def test_a_server_that_never_answers_times_out() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # until the client goes
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    pipe = RedisPipe(f"redis://127.0.0.1:{port}/0", timeout=0.2)
    try:
        with pytest.raises(TimeoutError):
            await pipe.call("PING")
    finally:
        await pipe.close()
        server.close()
        await server.wait_closed()


def test_the_pipe_works_on_uvloop() -> None:
    """`techplan serve` runs on uvloop (uvicorn picks it), whose transports are its own."""
    uvloop = pytest.importorskip("uvloop")

    async def calls() -> list[bytes]:
        pipe = RedisPipe(REDIS_URL, timeout=5)
        try:
            return list(await asyncio.gather(*(pipe.call("ECHO", str(n)) for n in range(20))))
        finally:
            await pipe.close()

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        assert runner.run(calls()) == [str(n).encode() for n in range(20)]
