"""Every request answers within `TECHPLAN_REQUEST_TIMEOUT`: a request that has not started
its response by then gets 503 problem+json with `Retry-After`, whatever it is stuck on (a
PostgreSQL that hangs, a pool or thread limiter that is exhausted).

The work itself is not cancelled: a command may be about to commit, and cancelling it between
its commit and the idempotency record would lose what it did. It finishes in the background
and its answer is dropped (the idempotency layer still stores it for a retry).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from litestar.types import ASGIApp

log = logging.getLogger("techplan.api")

RETRY_AFTER = 2
_background: set[asyncio.Task[None]] = set()


def _timed_out(seconds: float) -> tuple[list[tuple[bytes, bytes]], bytes]:
    body = {
        "type": "https://techplan.dev/problems/request-timeout",
        "title": "Service Unavailable",
        "status": 503,
        "detail": f"the request did not complete within {seconds:g}s; try again shortly",
    }
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"retry-after", str(RETRY_AFTER).encode()),
    ]
    return headers, json.dumps(body).encode()


def _finished(task: asyncio.Task[None]) -> None:
    _background.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log.error("a request that timed out failed later", exc_info=task.exception())


def request_timeout_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        limit: float = scope["app"].state.container.settings.request_timeout
        started = abandoned = False

        async def guarded_send(message: Any) -> None:
            nonlocal started
            if abandoned:
                return  # the client already has its 503
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        work = asyncio.ensure_future(app(scope, receive, guarded_send))
        # One task a request, not two: a response started before the limit is let finish
        # however long its body takes, so waiting for the work itself decides the same.
        await asyncio.wait({work}, timeout=limit)
        if work.done() or started:
            await work  # streaming bodies are not limited, only the wait for an answer
            return
        abandoned = True
        _background.add(work)
        work.add_done_callback(_finished)
        log.warning("%s %s answered 503 after %gs", scope["method"], scope["path"], limit)
        headers, body = _timed_out(limit)
        await send({"type": "http.response.start", "status": 503, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})

    return middleware
