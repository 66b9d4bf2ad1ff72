"""`GET /metrics`: Prometheus text format, for the operator token only.

The process metrics (infra/metrics.py, added up over every process in multiprocess mode)
are followed by what PostgreSQL says about the installation as a whole, read at scrape
time: each projection's position, lag, whether it is stopped and what it has parked, and the
webhook deliveries still pending; and the reads of this process waiting for a position.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from infra.metrics import exposition
from services.auth import check_admin_token
from services.bootstrap import Container
from services.errors import Forbidden, Unauthorized

# Prometheus' text format 0.0.4, which `generate_latest` writes (Litestar adds the charset).
TEXT_FORMAT = "text/plain; version=0.0.4"


class InstallationCollector(Collector):
    def __init__(self, container: Container) -> None:
        self.container = container

    def collect(self) -> Iterator[GaugeMetricFamily]:
        status = self.container.runner.status()
        families = {
            "position": GaugeMetricFamily(
                "techplan_projection_position",
                "Notification-log position each projection has folded up to.",
                labels=["projection"],
            ),
            "lag": GaugeMetricFamily(
                "techplan_projection_lag",
                "Events each projection is behind the head of the log.",
                labels=["projection"],
            ),
            "failed": GaugeMetricFamily(
                "techplan_projection_failed",
                "1 when the projection is stopped at an event it cannot fold.",
                labels=["projection"],
            ),
            "aggregates": GaugeMetricFamily(
                "techplan_projection_parked_aggregates",
                "Aggregates held back by an event the projection cannot fold.",
                labels=["projection"],
            ),
            "events": GaugeMetricFamily(
                "techplan_projection_parked_events",
                "Events parked behind an event the projection cannot fold.",
                labels=["projection"],
            ),
        }
        for s in status:
            name = [s["name"]]
            families["position"].add_metric(name, s["position"])
            families["lag"].add_metric(name, s["lag"])
            families["failed"].add_metric(name, 1 if s.get("error") else 0)
            parked = s.get("parked") or {}
            families["aggregates"].add_metric(name, parked.get("aggregates", 0))
            families["events"].add_metric(name, parked.get("events", 0))
        yield from families.values()
        read_side = self.container.read_side
        waits = GaugeMetricFamily(
            "techplan_read_waits", "Reads of this process waiting for their min_position."
        )
        waits.add_metric([], read_side.waiting if read_side is not None else 0)
        yield waits
        pending = GaugeMetricFamily(
            "techplan_webhook_deliveries_pending", "Webhook deliveries not yet succeeded or failed."
        )
        with self.container.db.projector_tx() as cur:  # every tenant's
            cur.execute("SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'pending'")
            row = cur.fetchone()
        pending.add_metric([], row["n"] if row else 0)
        yield pending


@get(
    "/metrics",
    sync_to_thread=True,
    tags=["operations"],
    media_type=TEXT_FORMAT,
    response_description="Prometheus text exposition format 0.0.4 (not JSON)",
)
def metrics(
    request: Request[Any, Any, Any], container: NamedDependency[Container]
) -> Response[bytes]:
    try:
        check_admin_token(container.settings.admin_token, request.headers.get("authorization"))
    except Forbidden:  # no token configured: nobody holds it
        raise Unauthorized("the operator token is not valid") from None
    installation = CollectorRegistry(auto_describe=False)
    installation.register(InstallationCollector(container))
    return Response(exposition(installation), media_type=TEXT_FORMAT)
