"""`min_position` (API.md "Consistency"): a position above the log's head is 422 at once; one
the read side has not reached waits, is woken when the projector commits it, or answers 503
with Retry-After after TECHPLAN_READ_WAIT."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio.to_thread
import pytest

from tests.api.conftest import Api
from tests.conftest import OPERATOR_TOKEN
from tests.integration.server import paused

READS = [
    "/v1/clients",
    "/v1/clients/{client}/strategies",
    "/v1/clients/{client}/plans",
    "/v1/clients/{client}/budgets",
    "/v1/clients/{client}/reviews",
    "/v1/clients/{client}/roadmap",
    "/v1/clients/{client}/alignment",
    "/v1/clients/{client}/changes",
    "/v1/audit",
    "/v1/portfolio",
]


def waiting_reads(api: Api) -> int:
    r = api.http.get("/metrics", headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"})
    line = next(x for x in r.text.splitlines() if x.startswith("techplan_read_waits "))
    return int(float(line.split()[1]))


@pytest.mark.parametrize("path", READS)
def test_a_position_above_the_head_is_422_at_once(api: Api, path: str) -> None:
    client = api.client()
    beyond = client["position"] + 1_000_000
    params: dict[str, Any] = {"min_position": beyond}
    if path.endswith("/changes"):
        params["since"] = "2020-01-01T00:00:00Z"
    r = api.get(path.format(client=client["id"]), params=params)
    # Waiting would end in 503 after TECHPLAN_READ_WAIT; 422 says it did not wait.
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"] == [{"field": "min_position", "message": r.json()["detail"]}]


def test_a_webhooks_deliveries_refuse_a_position_above_the_head(api: Api, hooks: list[str]) -> None:
    r = api.post("/v1/webhooks", {"url": "http://127.0.0.1:9/hook", "event_types": ["*"]})
    assert r.status_code == 201, r.text
    hooks.append(r.json()["id"])
    r = api.get(f"/v1/webhooks/{r.json()['id']}/deliveries", params={"min_position": 10**12})
    assert r.status_code == 422, r.text


def test_a_waiting_read_is_woken_when_the_projector_commits_its_position(
    api: Api, container: Any
) -> None:
    with ThreadPoolExecutor(1) as pool:
        with paused(container, "clients"):
            made = api.client("Waits for its position")
            before = waiting_reads(api)
            answer = pool.submit(api.get, "/v1/clients", params={"min_position": made["position"]})
            deadline = time.monotonic() + 10
            while waiting_reads(api) <= before:  # the read is waiting, not answered
                assert time.monotonic() < deadline and not answer.done(), "the read did not wait"
                time.sleep(0.02)
        r = answer.result(timeout=container.settings.read_wait + 5)
    assert r.status_code == 200, r.text
    assert made["id"] in {c["id"] for c in r.json()["items"]}


def test_a_position_not_reached_within_the_wait_is_503_with_retry_after(
    api: Api, container: Any
) -> None:
    with paused(container, "clients"):
        made = api.client()
        r = api.get("/v1/clients", params={"min_position": made["position"]})
    assert r.status_code == 503, r.text
    assert r.headers["retry-after"] == "1"
    assert r.headers["content-type"].startswith("application/problem+json")
    # Once the projection goes on, the same read answers.
    r = api.get("/v1/clients", params={"min_position": made["position"]})
    assert r.status_code == 200, r.text


def test_sync_handlers_get_one_thread_per_database_connection(api: Api, container: Any) -> None:
    async def tokens() -> float:
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    settings = container.settings
    assert api.http.blocking_portal.call(tokens) == (
        settings.db_pool_size + settings.db_pool_max_overflow
    )
