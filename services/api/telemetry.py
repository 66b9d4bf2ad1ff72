"""What every request tells the operator: a log context, a latency, an access line.

`request_telemetry` is the API's outermost middleware: it takes the request id from
`X-Request-ID` (or makes one) and returns it in `X-Request-ID`, takes the correlation id from
`X-Correlation-ID` (else the request id), opens the log context every line of the request
carries (authentication adds the tenant and key id: services/auth.py), and records the
request's latency by route template and status, with one access line at the end. The
request's span comes from Litestar's OpenTelemetry plugin (services/app.py) when tracing is
on.
"""

from __future__ import annotations

import logging
import re
import time
from functools import cache
from secrets import token_hex
from typing import Any

from litestar.datastructures import MutableScopeHeaders
from litestar.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from infra import tracing
from infra.logs import log_context
from infra.metrics import REQUEST_SECONDS

log = logging.getLogger("techplan.api")

_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,200}$")
QUIET = ("/health/", "/metrics", "/schema")  # measured, but no access line


def _given_id(raw: bytes | None) -> str | None:
    """A caller's id is used only when it is a plain token (it ends up in every log line)."""
    if not raw:
        return None
    text = raw.decode("latin-1").strip()
    return text if _ID.match(text) else None


@cache
def _latency(method: str, route: str, status: int) -> Any:
    """The latency histogram's series of a route and status (labels() costs a lock a call)."""
    return REQUEST_SECONDS.labels(method, route, str(status))


def request_telemetry(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        request_id = _given_id(headers.get(b"x-request-id")) or token_hex(16)
        correlation_id = _given_id(headers.get(b"x-correlation-id")) or request_id
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableScopeHeaders.from_message(message)["X-Request-ID"] = request_id
            await send(message)

        method = str(scope.get("method", ""))
        path = scope["path"]
        started = time.perf_counter()
        with log_context(
            request_id=request_id,
            correlation_id=correlation_id,
            method=method,
            path=path,
        ) as context:
            try:
                await app(scope, receive, send_with_id)
            finally:
                seconds = time.perf_counter() - started
                route = scope.get("path_template") or "unmatched"
                _latency(method, route, status).observe(seconds)
                if not path.startswith(QUIET):
                    context["route"] = route
                    log.info(
                        "request",
                        extra={"status": status, "duration_ms": round(seconds * 1000, 2)},
                    )

    return middleware


def tracing_plugins() -> list[OpenTelemetryPlugin]:
    """The request span, when tracing is on (infra/tracing.py)."""
    provider = tracing.provider()
    if provider is None:
        return []
    return [OpenTelemetryPlugin(OpenTelemetryConfig(tracer_provider=provider))]
