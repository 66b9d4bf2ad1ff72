"""Rate limits per API key and per tenant, shared by every API process through Redis.

`ratelimit_middleware` counts every request that carries a valid API key (API.md "Limits and
fairness": `TECHPLAN_RATE_LIMIT`, `TECHPLAN_TENANT_RATE_LIMIT`).

A moving window in Redis, as `limits` keeps it (a list of timestamps per key and limit, under
`limits`' own key names, so processes of either kind count together), checked and counted for
the key and its tenant in one Lua script, which also returns what the RateLimit headers say
(`limits`' API takes four round trips: a hit and a window read per limit, a fifth of a list's
time), and for every request that came while the previous call was under way: one round trip
serves them all. A request the tenant refuses is not counted against its key either.
"N per second, bursts of twice that" is a moving window of 2N requests in any two seconds: a
quiet key may spend its burst at once, a busy one averages N a second.

Redis is not on the write path of a command, so it must not stop one: when Redis does not
answer within a few hundred milliseconds, requests pass unlimited, Redis is left alone for a
second before it is asked again, and a warning says so (at most every ten seconds).
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from limits import RateLimitItem, RateLimitItemPerSecond
from litestar.types import ASGIApp
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from infra.metrics import RATE_LIMITED
from services.auth import KEY_PREFIX, authenticate, note_principal, recently_verified
from services.errors import Unauthorized
from services.settings import Settings

log = logging.getLogger("techplan.ratelimit")

WINDOW = 2  # seconds: a burst is twice the rate per second
TIMEOUT = 0.25  # seconds Redis has to answer before requests pass unlimited
REST_AFTER_FAILURE = 1.0


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset: int  # seconds until the window has room again
    scope: str = "key"  # which limit decided: "key" or "tenant"

    @property
    def retry_after(self) -> int:
        return max(self.reset, 1)

    def headers(self) -> dict[str, str]:
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
            "RateLimit-Policy": f"{self.limit};w={WINDOW}",
        }


# Hits counted in order, each exactly as alone: KEYS are every hit's lists in turn; ARGV the
# number of hits, then per hit its time, its number of limits and each limit's amount and
# expiry (seconds). Each list holds the times of the requests in its window, newest first:
# what has left the window is dropped from the tail (each entry once), so its length is the
# count and its tail the oldest, without searching (limits' scripts search the list, a redis
# call per step: at thousands of requests a second that was 150 µs of Redis per request). A
# hit is refused by the first limit whose window is full (nothing counted); else one entry is
# pushed on each of its lists. Per hit the answer holds the refusing limit's number (0:
# none), then per limit the entries in its window and the oldest of them. The lists stay
# what limits' own scripts read and write.
_HITS = """
local out = {}
local a, k = 2, 1
for _ = 1, tonumber(ARGV[1]) do
  local now, n = tonumber(ARGV[a]), tonumber(ARGV[a + 1])
  a = a + 2
  local counts = {}
  local refused = 0
  for i = 0, n - 1 do
    local since = now - tonumber(ARGV[a + 2 * i + 1])
    while true do
      local oldest = redis.call('lindex', KEYS[k + i], -1)
      if oldest and tonumber(oldest) < since then
        redis.call('rpop', KEYS[k + i])
      else
        break
      end
    end
    counts[i] = redis.call('llen', KEYS[k + i])
    if refused == 0 and counts[i] >= tonumber(ARGV[a + 2 * i]) then
      refused = i + 1
    end
  end
  if refused == 0 then
    for i = 0, n - 1 do
      redis.call('lpush', KEYS[k + i], now)
      redis.call('ltrim', KEYS[k + i], 0, tonumber(ARGV[a + 2 * i]) - 1)
      redis.call('expire', KEYS[k + i], tonumber(ARGV[a + 2 * i + 1]))
      counts[i] = counts[i] + 1
    end
  end
  table.insert(out, refused)
  for i = 0, n - 1 do
    table.insert(out, counts[i])
    table.insert(out, redis.call('lindex', KEYS[k + i], -1) or tostring(now))
  end
  a, k = a + 2 * n, k + n
end
return out
"""


Limit = tuple[RateLimitItem, str, str]  # the item, its scope ("key", "tenant"), its list
Known = tuple[list[Limit], list[str], list[int]]  # a key's limits, their lists, their bounds
Pending = tuple[Known, float, "asyncio.Future[list[Any] | None]"]


class RateLimits:
    """`per_key` and `per_tenant` are requests per second; 0 turns that limit off.

    Hits that arrive while a call to Redis is under way are sent together in the next one
    (one script call for all of them, counted in the order they came): under load a request
    costs a share of a round trip instead of one, and alone it waits for no one. redis-py's
    asyncio client carries the calls (with hiredis' parser), one at a time, so the process
    holds one connection."""

    def __init__(self, redis_url: str, *, prefix: str, per_key: int, per_tenant: int) -> None:
        self.key_item = _item(per_key)
        self.tenant_item = _item(per_tenant)
        self.prefix = f"{prefix}:ratelimit"
        self.redis: Redis = Redis.from_url(
            redis_url,
            socket_timeout=TIMEOUT,
            socket_connect_timeout=TIMEOUT,
            retry=Retry(NoBackoff(), 0),  # a failure rests Redis (`_rest`), not retried
        )
        self.script = self.redis.register_script(_HITS)
        self._known: dict[tuple[object, object], Known] = {}
        self._pending: list[Pending] = []
        self._sender: asyncio.Task[None] | None = None
        self._resting_until = 0.0
        self._warned_at = 0.0

    @property
    def enabled(self) -> bool:
        return self.key_item is not None or self.tenant_item is not None

    async def hit(self, key_id: str | UUID, tenant_id: str | UUID) -> Verdict | None:
        """Count one request of the key; None when limiting is off or Redis is away."""
        if not self.enabled or time.monotonic() < self._resting_until:
            return None
        known = self._limits(key_id, tenant_id)
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[list[Any] | None] = loop.create_future()
        self._pending.append((known, time.time(), answer))
        if self._sender is None:
            self._sender = loop.create_task(self._send())
        counted = await answer
        if counted is None:  # Redis away: pass
            return None
        limits = known[0]
        refused = int(counted[0])
        verdicts = []
        for i, (item, scope, _) in enumerate(limits):
            count, oldest = int(counted[1 + 2 * i]), float(counted[2 + 2 * i])
            reset = max(math.ceil(oldest + item.get_expiry() - time.time()), 0)
            verdict = Verdict(refused != i + 1, item.amount, item.amount - count, reset, scope)
            if refused == i + 1:
                RATE_LIMITED.labels(scope).inc()
                return verdict
            verdicts.append(verdict)
        return min(verdicts, key=lambda v: v.remaining)

    async def _send(self) -> None:
        """Send what is pending, one call at a time, until nothing is."""
        batch: list[Pending] = []
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                keys: list[str] = []
                args: list[float] = [len(batch)]
                for (limits, lists, bounds), now, _ in batch:
                    args += [now, len(limits), *bounds]
                    keys += lists
                try:
                    answer = await self.script(keys=keys, args=args)
                except Exception as exc:  # any failure of Redis: pass, and rest it for a moment
                    self._rest(exc)
                    answer = None
                at = 0
                for (limits, _, _), _, future in batch:
                    width = 1 + 2 * len(limits)
                    if not future.done():
                        future.set_result(answer[at : at + width] if answer else None)
                    at += width
        finally:  # cancelled (the loop is closing): whoever still waits passes
            for _, _, future in [*batch, *self._pending]:
                if not future.done():
                    future.set_result(None)
            self._pending = []
            self._sender = None

    def _limits(self, key_id: str | UUID, tenant_id: str | UUID) -> Known:
        """A key's limits with their lists' names and the script's bounds (made once a key)."""
        known = self._known.get((key_id, tenant_id))
        if known is None:
            limits = [
                (item, scope, f"{self.prefix}:{item.key_for(scope, who)}")
                for item, scope, who in (
                    (self.key_item, "key", str(key_id)),
                    (self.tenant_item, "tenant", str(tenant_id)),
                )
                if item is not None
            ]
            bounds = [n for item, _, _ in limits for n in (item.amount, item.get_expiry())]
            known = (limits, [key for _, _, key in limits], bounds)
            if len(self._known) >= 10_000:
                self._known.clear()
            self._known[(key_id, tenant_id)] = known
        return known

    def _rest(self, exc: Exception) -> None:
        now = time.monotonic()
        self._resting_until = now + REST_AFTER_FAILURE
        if now - self._warned_at > 10:
            self._warned_at = now
            log.warning("rate limits are off while Redis does not answer: %s", type(exc).__name__)

    async def close(self) -> None:
        await self.redis.aclose()


def ratelimit_middleware(app: ASGIApp) -> ASGIApp:
    """Count every request that carries a valid API key against its key's and its tenant's
    limits (services/ratelimit.py): past one, 429 problem+json with Retry-After; every answer
    to a counted request carries the RateLimit headers. The key is looked up as the
    `principal` dependency looks it up, and left in the scope for it (`note_principal`)."""

    async def middleware(scope: Any, receive: Any, send: Any) -> None:
        limits: RateLimits | None = getattr(scope["app"].state, "rate_limits", None)
        if scope["type"] != "http" or limits is None or not limits.enabled:
            await app(scope, receive, send)
            return
        authorization = _header(scope, b"authorization")
        if authorization is None or not authorization.startswith(f"Bearer {KEY_PREFIX}"):
            await app(scope, receive, send)
            return
        container = scope["app"].state.container
        try:
            principal = recently_verified(authorization)
            if principal is None:
                principal = await container.db.run(authenticate, container.db, authorization)
        except Unauthorized:  # the app answers 401 itself
            await app(scope, receive, send)
            return
        note_principal(scope, principal)
        verdict = await limits.hit(principal.key_id, principal.tenant_id)
        if verdict is None:  # Redis away: pass unlimited
            await app(scope, receive, send)
            return
        headers = [(k.lower().encode(), v.encode()) for k, v in verdict.headers().items()]
        if not verdict.allowed:
            await _too_many(send, verdict, headers)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *headers]}
            await send(message)

        await app(scope, receive, send_with_headers)

    return middleware


def _header(scope: Any, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


async def _too_many(send: Any, verdict: Verdict, headers: list[tuple[bytes, bytes]]) -> None:
    who = "this API key" if verdict.scope == "key" else "this tenant's API keys"
    body = json.dumps(
        {
            "type": "https://techplan.dev/problems/429",
            "title": "Too Many Requests",
            "status": 429,
            "detail": f"{who} made more than {verdict.limit} requests in {WINDOW} seconds;"
            f" retry after {verdict.retry_after} s",
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(verdict.retry_after).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})


def rate_limits(settings: Settings) -> RateLimits | None:
    """The process's limits, or None without Redis (nothing to share them through)."""
    if not settings.redis_url:
        return None
    return RateLimits(
        settings.redis_url,
        prefix=settings.redis_prefix,
        per_key=settings.rate_limit,
        per_tenant=settings.tenant_rate_limit,
    )


def _item(per_second: int) -> RateLimitItem | None:
    if per_second <= 0:
        return None
    return RateLimitItemPerSecond(per_second * WINDOW, WINDOW)
