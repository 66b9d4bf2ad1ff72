"""`/metrics` takes the operator token and, after a scripted session, shows every family the
operator needs: request latency by route and status, commands by outcome, projections,
webhook deliveries, job durations and rate-limit refusals."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families

from services.ratelimit import RateLimits
from tests.api.conftest import StartWorker
from tests.api.operations_session import run_session
from tests.conftest import OPERATOR_TOKEN, REDIS_URL

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(http: TestClient[Any]) -> tuple[set[str], Samples]:
    r = http.get("/metrics", headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain; version=0.0.4")
    families = list(text_string_to_metric_families(r.text))
    samples = {(s.name, frozenset(s.labels.items())): s.value for f in families for s in f.samples}
    return {f.name for f in families}, samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_metrics_need_the_operator_token(http: TestClient[Any]) -> None:
    assert http.get("/metrics").status_code == 401
    wrong = http.get("/metrics", headers={"Authorization": "Bearer operator-nope"})
    assert wrong.status_code == 401
    assert wrong.headers["content-type"] == "application/problem+json"


def test_a_session_shows_in_every_family(http: TestClient[Any], start_worker: StartWorker) -> None:
    _, before = scrape(http)
    session = run_session(http, start_worker)
    names, after = scrape(http)

    assert {
        "techplan_http_request_duration_seconds",
        "techplan_commands",
        "techplan_projection_position",
        "techplan_projection_lag",
        "techplan_projection_failed",
        "techplan_projection_parked_aggregates",
        "techplan_webhook_deliveries",
        "techplan_webhook_deliveries_pending",
        "techplan_job_duration_seconds",
        "techplan_rate_limit_refusals",
    } <= names

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    # Latency by route template and status...
    clients = {"method": "POST", "route": "/v1/clients"}
    assert grew("techplan_http_request_duration_seconds_count", status="201", **clients) >= 1
    assert grew("techplan_http_request_duration_seconds_count", status="422", **clients) == 1
    goals = {"method": "POST", "route": "/v1/strategies/{strategy_id}/goals", "status": "201"}
    assert grew("techplan_http_request_duration_seconds_count", **goals) == 1
    assert grew("techplan_http_request_duration_seconds_bucket", le="+Inf", **goals) == 1
    assert grew("techplan_http_request_duration_seconds_sum", **goals) > 0
    # ...commands by type and outcome...
    assert grew("techplan_commands_total", command="strategies.add_goal", outcome="ok") == 1
    assert grew("techplan_commands_total", command="clients.create_client", outcome="ok") == 1
    # ...projections, at least as far as the session's last event...
    for projection in ("clients", "strategies", "audit", "webhooks"):
        assert value(after, "techplan_projection_position", projection=projection) >= (
            session.goal_position
        )
        assert value(after, "techplan_projection_failed", projection=projection) == 0
        assert ("techplan_projection_lag", frozenset({("projection", projection)})) in after
    # ...webhook deliveries (two strategy events) and the worker's jobs...
    assert grew("techplan_webhook_deliveries_total", outcome="succeeded") >= 2
    assert value(after, "techplan_webhook_deliveries_pending") >= 0
    assert grew("techplan_job_duration_seconds_count", job="webhook_deliver", outcome="ok") >= 1


async def test_rate_limit_refusals_are_counted(http: TestClient[Any], settings: Any) -> None:
    _, before = scrape(http)
    assert await refuse_once(settings.redis_prefix) == 1
    _, after = scrape(http)
    grew = value(after, "techplan_rate_limit_refusals_total", scope="key") - value(
        before, "techplan_rate_limit_refusals_total", scope="key"
    )
    assert grew == 1


async def refuse_once(prefix: str) -> int:
    """Two requests of a key allowed one a second (a burst of two) and a third refused."""
    limits = RateLimits(REDIS_URL, prefix=f"{prefix}:metrics", per_key=1, per_tenant=0)
    try:
        verdicts = [await limits.hit("key-1", "tenant-1") for _ in range(3)]
    finally:
        await limits.close()
    return sum(1 for v in verdicts if v is not None and not v.allowed)
