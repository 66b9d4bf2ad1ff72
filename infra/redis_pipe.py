"""One pipelined Redis connection for what every request asks of Redis (the rate limits).

redis-py's asyncio client spends about 140 µs of CPU a command under load (a pooled connection
per concurrent caller, a lock, a stream reader, a timeout context); a request of the API costs
well under a millisecond in all. Here every caller writes its command on one shared connection
at once and gets the answer in order: hiredis packs the commands and parses the replies, and a
call costs about a quarter of that. The connection (URL, TLS, AUTH, SELECT) is set up as
redis-py would read the same URL (its `parse_url`).

A call that does not get its answer within `timeout` raises TimeoutError; a lost connection
fails whatever waits on it and is made again by the next call.
"""

from __future__ import annotations

import asyncio
import ssl
from collections import deque
from typing import Any

import hiredis
from redis.asyncio.connection import SSLConnection, parse_url


class RedisError(Exception):
    """Redis answered with an error."""


class _Protocol(asyncio.Protocol):
    def __init__(self) -> None:
        self.reader = hiredis.Reader()
        self.waiting: deque[asyncio.Future[Any]] = deque()
        self.transport: asyncio.WriteTransport | None = None
        self.lost = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # a stream's: it writes

    def data_received(self, data: bytes) -> None:
        self.reader.feed(data)
        while (reply := self.reader.gets()) is not False:
            future = self.waiting.popleft()
            if not future.done():
                future.set_result(reply)

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        while self.waiting:
            future = self.waiting.popleft()
            if not future.done():
                future.set_exception(ConnectionError("the connection to Redis was lost"))

    def send(self, *args: Any) -> asyncio.Future[Any]:
        assert self.transport is not None
        future = asyncio.get_running_loop().create_future()
        self.waiting.append(future)
        self.transport.write(hiredis.pack_command(args))
        return future


class RedisPipe:
    def __init__(self, url: str, *, timeout: float) -> None:
        self.options = parse_url(url)
        self.timeout = timeout
        self._protocol: _Protocol | None = None
        self._connecting: asyncio.Future[_Protocol] | None = None
        self._scripts: dict[str, str] = {}  # sha1 -> source

    async def call(self, *args: Any) -> Any:
        """One command's reply; RedisError for an error reply."""
        async with asyncio.timeout(self.timeout):
            protocol = await self._connection()
            reply = await protocol.send(*args)
        if isinstance(reply, hiredis.ReplyError):
            raise RedisError(str(reply))
        return reply

    async def script(self, source: str, keys: list[str], args: list[Any]) -> Any:
        """EVALSHA of `source`, loaded first where Redis does not know it yet."""
        sha = self._scripts.get(source)
        if sha is None:
            sha = self._scripts[source] = await self.call("SCRIPT", "LOAD", source)
        try:
            return await self.call("EVALSHA", sha, len(keys), *keys, *args)
        except RedisError as exc:
            if not str(exc).startswith("NOSCRIPT"):
                raise
            return await self.call("EVAL", source, len(keys), *keys, *args)

    async def close(self) -> None:
        if self._protocol is not None and self._protocol.transport is not None:
            self._protocol.transport.close()
        self._protocol = None

    async def _connection(self) -> _Protocol:
        if self._protocol is not None and not self._protocol.lost:
            return self._protocol
        if self._connecting is None:  # one connection for every caller waiting on it
            self._connecting = asyncio.ensure_future(self._connect())
            self._connecting.add_done_callback(self._connected)
        return await asyncio.shield(self._connecting)

    def _connected(self, connecting: asyncio.Future[_Protocol]) -> None:
        self._connecting = None
        if not connecting.cancelled() and connecting.exception() is None:
            self._protocol = connecting.result()

    async def _connect(self) -> _Protocol:
        o = self.options
        loop = asyncio.get_running_loop()
        if "path" in o:
            _, protocol = await loop.create_unix_connection(_Protocol, o["path"])
        else:
            secure = o.get("connection_class") is SSLConnection
            tls = ssl.create_default_context() if secure else None
            _, protocol = await loop.create_connection(
                _Protocol, o.get("host", "localhost"), o.get("port", 6379), ssl=tls
            )
        try:
            if o.get("password"):
                who = [o["username"]] if o.get("username") else []
                await self._checked(protocol.send("AUTH", *who, o["password"]))
            if o.get("db"):
                await self._checked(protocol.send("SELECT", o["db"]))
        except BaseException:
            assert protocol.transport is not None
            protocol.transport.close()
            raise
        return protocol

    @staticmethod
    async def _checked(reply: asyncio.Future[Any]) -> None:
        if isinstance(answer := await reply, hiredis.ReplyError):
            raise RedisError(str(answer))
