"""`techplan serve --workers 2`: two API processes, one `/metrics` that adds up both
(prometheus-client's multiprocess mode), whichever process answers the scrape."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import OPERATOR_TOKEN


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(condition: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_two_api_processes_report_their_requests_together(
    settings: Any, container: Any, tmp_path: Path
) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "TECHPLAN_ADMIN_TOKEN": OPERATOR_TOKEN,
        "TECHPLAN_REDIS_PREFIX": settings.redis_prefix,
        "TECHPLAN_DB_POOL_SIZE": "1",
        "TECHPLAN_DB_POOL_MAX_OVERFLOW": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
    }
    env.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "services.cli", "serve", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:

        def ready() -> bool:
            try:
                return httpx.get(f"{base}/health/ready", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        _wait(ready, 90, "the API to answer")

        def serving_pids() -> set[str]:
            return {
                m.group(1)
                for f in tmp_path.glob("histogram_*.db")
                if (m := re.match(r"histogram_(\d+)\.db", f.name))
            }

        sent = 0

        def both_served() -> bool:
            nonlocal sent
            # A new connection each time: the two processes share the listening socket.
            r = httpx.get(f"{base}/health/live", timeout=5)
            assert r.status_code == 200 and r.headers["x-request-id"]
            sent += 1
            # Both processes have recorded requests (the readiness probes above count too, so
            # a process's file alone does not show it served /health/live: several requests do).
            return len(serving_pids()) >= 2 and sent >= 4

        _wait(both_served, 60, "both processes to answer a request")
        r = httpx.get(f"{base}/metrics", headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"})
        assert r.status_code == 200
        counts = [
            s.value
            for f in text_string_to_metric_families(r.text)
            for s in f.samples
            if s.name == "techplan_http_request_duration_seconds_count"
            and s.labels == {"method": "GET", "route": "/health/live", "status": "200"}
        ]
        assert counts == [sent]  # one series, the sum over both processes
    finally:
        server.terminate()
        server.wait(30)
        log.close()
    # uvicorn's own lines are JSON too (every stdlib logger goes through structlog).
    lines = [json.loads(line) for line in (tmp_path / "serve.log").read_text().splitlines()]
    assert any(line["logger"].startswith("uvicorn") for line in lines)
