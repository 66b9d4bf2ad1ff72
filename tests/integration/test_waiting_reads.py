"""Waiting reads hold no server thread: against a real `techplan serve` process, 200 reads of
one tenant waiting for a position a paused projector has not folded leave another tenant's
simple GET about as fast as before, and all 200 answer once the projector goes on."""

from __future__ import annotations

import asyncio
import secrets
import statistics
import time
from typing import Any

import httpx

from tests.conftest import OPERATOR_TOKEN
from tests.integration.server import paused, serve

WAITERS = 200
SAMPLES = 150
BOUND = 5  # another tenant's p99 beside the waiting reads, at most BOUND times alone


async def tenant(http: httpx.AsyncClient) -> dict[str, str]:
    r = await http.post(
        "/admin/v1/tenants",
        json={"name": f"MSP {secrets.token_hex(3)}"},
        headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"},
    )
    assert r.status_code == 201, r.text
    return {"Authorization": f"Bearer {r.json()['api_key']['key']}"}


async def p99(http: httpx.AsyncClient, path: str, headers: dict[str, str]) -> float:
    took = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        r = await http.get(path, headers=headers)
        took.append(time.perf_counter() - started)
        assert r.status_code == 200, r.text
    return statistics.quantiles(took, n=100)[98]


async def waiting_reads(http: httpx.AsyncClient) -> int:
    r = await http.get("/metrics", headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"})
    for line in r.text.splitlines():
        if line.startswith("techplan_read_waits "):
            return int(float(line.split()[1]))
    raise AssertionError(f"no techplan_read_waits in /metrics:\n{r.text}")


async def until(condition: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not await condition():
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        await asyncio.sleep(0.05)


async def test_200_waiting_reads_leave_another_tenants_p99_about_unchanged(
    settings: Any, container: Any
) -> None:
    with serve(settings, TECHPLAN_READ_WAIT="60") as base:
        unloaded, loaded = await _scenario(base, container)
    print(
        f"\nanother tenant's GET p99: {unloaded * 1000:.1f} ms alone, beside {WAITERS}"
        f" waiting reads: {', '.join(f'{t * 1000:.1f} ms' for t in loaded)}"
    )
    # Generous, and measured up to three times: on a shared machine one stall of another
    # process lands in a p99; a thread held per waiting read would cost seconds every time.
    assert loaded[-1] <= BOUND * unloaded, (unloaded, loaded)


async def _scenario(base: str, container: Any) -> tuple[float, list[float]]:
    limits = httpx.Limits(max_connections=WAITERS + 20, max_keepalive_connections=WAITERS + 20)
    async with (
        httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as http,
        httpx.AsyncClient(base_url=base, timeout=60) as quiet,
    ):
        a, b = await tenant(http), await tenant(http)
        r = await quiet.post("/v1/clients", json={"name": "Fabrikam"}, headers=b)
        assert r.status_code == 201, r.text
        simple = f"/v1/clients/{r.json()['id']}"
        with paused(container, "clients"):
            r = await http.post("/v1/clients", json={"name": "Contoso"}, headers=a)
            assert r.status_code == 201, r.text
            position, created = r.json()["position"], r.json()["id"]
            unloaded = await p99(quiet, simple, b)
            waiters = [
                asyncio.create_task(
                    http.get("/v1/clients", params={"min_position": position}, headers=a)
                )
                for _ in range(WAITERS)
            ]

            async def all_waiting() -> bool:
                return await waiting_reads(quiet) >= WAITERS

            await until(all_waiting, 60, f"{WAITERS} reads waiting, /metrics answering")
            loaded = [await p99(quiet, simple, b)]
            while loaded[-1] > BOUND * unloaded and len(loaded) < 3:
                loaded.append(await p99(quiet, simple, b))
            assert not any(w.done() for w in waiters), "a read answered before its position"
        # Unpaused: whoever folds first (this test, or another test's projector) commits the
        # position, and its notification wakes every waiting read.
        await asyncio.to_thread(container.runner.catch_up, ["clients"])
        answers = await asyncio.wait_for(asyncio.gather(*waiters), timeout=30)
        assert [a.status_code for a in answers] == [200] * WAITERS
        assert all(created in {c["id"] for c in a.json()["items"]} for a in answers)
    return unloaded, loaded
