"""The Prometheus metrics every Techplan process records (prometheus-client).

Counters and histograms live in the process that records them. With several processes on a
host (`techplan serve --workers N`, or an API and a worker side by side) they share
`PROMETHEUS_MULTIPROC_DIR` and `/metrics` adds them up (prometheus-client's multiprocess
mode); `exposition` does that whenever the variable is set. What describes the whole
installation rather than one process (projection positions, lag, parked aggregates, pending
deliveries) is read from PostgreSQL when scraped (services/telemetry.py), so every replica
answers the same.
"""

from __future__ import annotations

import os

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

REQUEST_SECONDS = Histogram(
    "techplan_http_request_duration_seconds",
    "HTTP request latency by route template and status code.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
COMMANDS = Counter(
    "techplan_commands",
    "Commands (use cases) run, by command and outcome (ok, or the error's kind).",
    ["command", "outcome"],
)
WEBHOOK_DELIVERIES = Counter(
    "techplan_webhook_deliveries",
    "Webhook delivery attempts by outcome: succeeded, retrying (failed, will be retried), "
    "failed (no attempt left).",
    ["outcome"],
)
JOB_SECONDS = Histogram(
    "techplan_job_duration_seconds",
    "arq job run time by job and outcome.",
    ["job", "outcome"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 3600.0),
)
RATE_LIMITED = Counter(
    "techplan_rate_limit_refusals",
    "Requests refused with 429, by the limit that refused them (key or tenant).",
    ["scope"],
)

# Families that should show up (at zero) before anything happened.
for _scope in ("key", "tenant"):
    RATE_LIMITED.labels(_scope)
for _outcome in ("succeeded", "retrying", "failed"):
    WEBHOOK_DELIVERIES.labels(_outcome)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR")


def exposition(*extra: CollectorRegistry) -> bytes:
    """The text format of this process's metrics (or every process's, in multiprocess
    mode), followed by `extra` registries (collected now)."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return b"".join([generate_latest(registry), *(generate_latest(r) for r in extra)])
