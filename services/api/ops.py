"""Health and the event-type catalogue (`/metrics`: services/api/metrics.py)."""

from __future__ import annotations

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec

from domain.catalogue import event_types
from services.api.ops_out import EventTypePage, LiveOut, ReadyOut
from services.api.responses import typed
from services.bootstrap import Container


@get("/health/live", tags=["operations"])
async def live() -> LiveOut:
    return LiveOut(status="ok")


@get(
    "/health/ready",
    sync_to_thread=True,
    tags=["operations"],
    responses={503: ResponseSpec(ReadyOut, description="A dependency is unreachable")},
)
def ready(container: NamedDependency[Container]) -> Response[ReadyOut]:
    c = container
    checks: dict[str, str] = {}
    try:
        with c.db.tx() as cur:
            cur.execute("SELECT 1")
        checks["postgres"] = "ok"
    except Exception as exc:  # a health check reports, it does not raise
        checks["postgres"] = f"unreachable: {type(exc).__name__}"
    redis_check = c.redis_ping
    if redis_check is not None:
        try:
            redis_check()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"unreachable: {type(exc).__name__}"
    ok = all(v == "ok" for v in checks.values())
    body = typed(ReadyOut, {"status": "ok" if ok else "unavailable", "checks": checks})
    return Response(body, status_code=200 if ok else 503)


@get("/v1/event-types", tags=["events"])
async def list_event_types() -> EventTypePage:
    return typed(EventTypePage, {"items": event_types(), "next_cursor": None})
