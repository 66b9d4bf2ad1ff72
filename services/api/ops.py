"""Health, metrics and the event-type catalogue."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency

from domain.catalogue import event_types
from services.auth import check_admin_token
from services.bootstrap import Container


@get("/health/live", tags=["operations"])
async def live() -> dict[str, str]:
    return {"status": "ok"}


@get("/health/ready", sync_to_thread=True, tags=["operations"])
def ready(container: NamedDependency[Container]) -> Response[dict[str, Any]]:
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
    return Response(
        {"status": "ok" if ok else "unavailable", "checks": checks}, status_code=200 if ok else 503
    )


@get("/metrics", sync_to_thread=True, tags=["operations"], media_type="text/plain")
def metrics(request: Request[Any, Any, Any], container: NamedDependency[Container]) -> str:
    c = container
    check_admin_token(c.settings.admin_token, request.headers.get("authorization"))
    lines = [
        "# HELP techplan_projection_position Notification-log position of each projection.",
        "# TYPE techplan_projection_position gauge",
    ]
    status = c.runner.status()
    for s in status:
        lines.append(f'techplan_projection_position{{projection="{s["name"]}"}} {s["position"]}')
    lines += [
        "# HELP techplan_projection_lag Events the projection is behind the head.",
        "# TYPE techplan_projection_lag gauge",
    ]
    for s in status:
        lines.append(f'techplan_projection_lag{{projection="{s["name"]}"}} {s["lag"]}')
    lines += [
        "# HELP techplan_projection_failed 1 when the projection is stopped at an event.",
        "# TYPE techplan_projection_failed gauge",
    ]
    for s in status:
        lines.append(
            f'techplan_projection_failed{{projection="{s["name"]}"}} {1 if s["error"] else 0}'
        )
    for metric, key, meaning in (
        ("parked_events", "events", "Events parked behind an event the projection cannot fold."),
        ("parked_aggregates", "aggregates", "Aggregates held back by an event not folded."),
    ):
        lines += [f"# HELP techplan_projection_{metric} {meaning}"]
        lines += [f"# TYPE techplan_projection_{metric} gauge"]
        for s in status:
            lines.append(
                f'techplan_projection_{metric}{{projection="{s["name"]}"}} {s["parked"][key]}'
            )
    waiting = c.read_side.waiting if c.read_side is not None else 0
    lines += [
        "# HELP techplan_read_waits Reads of this process waiting for their min_position.",
        "# TYPE techplan_read_waits gauge",
        f"techplan_read_waits {waiting}",
    ]
    return "\n".join(lines) + "\n"


@get("/v1/event-types", tags=["events"])
async def list_event_types() -> dict[str, Any]:
    return {"items": event_types(), "next_cursor": None}
