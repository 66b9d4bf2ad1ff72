"""One delivery attempt over HTTP, and what its outcome means for the next one.

Success is a 2xx within TECHPLAN_WEBHOOK_TIMEOUT, measured over the whole exchange. Anything
else is a failure: a 3xx too (redirects are never followed), a 410 says the endpoint is gone
(it gets disabled), and `Retry-After` on a 429 or 503 sets the wait. Otherwise the wait is the
retry schedule's entry for this attempt, stretched by up to 20% of jitter so that endpoints
which failed together do not all come back at the same instant.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from services.webhooks.secrets import signature_header

MAX_RETRY_AFTER = 24 * 3600.0
READ_LIMIT = 64 * 1024  # bytes of a receiver's answer we read (then drop)


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None
    duration_ms: int
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        return self.status_code == 410


async def attempt(
    client: httpx.AsyncClient,
    url: str,
    delivery_id: str,
    body: bytes,
    secrets: Sequence[str],
    timeout: float,
) -> Outcome:
    timestamp = int(time.time())
    headers = {
        "content-type": "application/json",
        "webhook-id": delivery_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(secrets, delivery_id, timestamp, body),
    }
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        async with asyncio.timeout(timeout):
            async with client.stream("POST", url, content=body, headers=headers) as response:
                read = 0
                async for chunk in response.aiter_raw():
                    read += len(chunk)
                    if read >= READ_LIMIT:
                        break
    except (TimeoutError, httpx.TimeoutException):
        return Outcome(None, f"no answer within {timeout:g}s", took())
    except httpx.HTTPError as exc:
        detail = str(exc) or type(exc).__name__
        prefix = "" if detail.startswith("blocked:") else "connection failed: "
        return Outcome(None, f"{prefix}{detail}"[:500], took())
    code = response.status_code
    if 200 <= code < 300:
        return Outcome(code, None, took())
    wait = parse_retry_after(response.headers.get("retry-after")) if code in (429, 503) else None
    error = f"HTTP {code}"
    if 300 <= code < 400:
        error += ": redirects are not followed"
    elif code == 410:
        error += ": the receiver says the endpoint is gone"
    if wait is not None:
        error += f" (Retry-After {wait:g}s)"
    return Outcome(code, error, took(), retry_after=wait)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def jitter() -> float:
    """A factor that stretches a wait by up to 20%."""
    return random.uniform(1.0, 1.2)


def next_wait(
    schedule: Sequence[int], round_attempts: int, outcome: Outcome, spread: float = 1.0
) -> float | None:
    """Seconds until this delivery's next attempt, or None when its schedule is used up.
    `round_attempts` counts the attempts made so far, this one included."""
    if round_attempts > len(schedule):
        return None
    if outcome.retry_after is not None:
        return outcome.retry_after
    return schedule[round_attempts - 1] * spread


def endpoint_pause(
    schedule: Sequence[int], wait: float | None, outcome: Outcome, spread: float = 1.0
) -> float:
    """How long the whole endpoint rests after a failure: the receiver's Retry-After, else
    no longer than the schedule's first interval, so a down endpoint is probed gently and a
    single poisonous delivery cannot hold the others back for long. With the same `spread`
    as the delivery's wait, a delivery on its first retry is due exactly when the endpoint
    is again, so it is the one that probes it (and order holds)."""
    if outcome.retry_after is not None:
        return outcome.retry_after
    first = schedule[0] * spread if schedule else 0.0
    return min(wait, first) if wait is not None else first
