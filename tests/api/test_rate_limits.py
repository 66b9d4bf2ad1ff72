"""Rate limits per API key and per tenant (API.md "Limits and fairness"), held by two real
`techplan serve` processes that share one Redis: the count is one, whichever process answers.

Each burst is sent at once, so it falls inside one window (two seconds) of the moving window.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.api.conftest import Api
from tests.integration.server import serve_many

PER_KEY = 3  # a second: bursts of 6
PER_TENANT = 5  # a second: bursts of 10


@pytest.fixture(scope="module")
def two_processes(settings: Any, container: Any) -> Iterator[tuple[str, str]]:
    limits = {"TECHPLAN_RATE_LIMIT": str(PER_KEY), "TECHPLAN_TENANT_RATE_LIMIT": str(PER_TENANT)}
    with serve_many(2, settings, **limits) as (one, two):
        yield one, two


async def burst(processes: tuple[str, str], keys: list[str], each: int) -> list[httpx.Response]:
    """`each` requests of every key at once, alternating between the processes."""
    async with httpx.AsyncClient(timeout=60) as http:
        return await asyncio.gather(
            *(
                http.get(
                    f"{processes[i % 2]}/v1/clients",
                    params={"limit": 1},
                    headers={"Authorization": f"Bearer {key}"},
                )
                for key in keys
                for i in range(each)
            )
        )


def by_status(answers: list[httpx.Response]) -> dict[int, list[httpx.Response]]:
    split: dict[int, list[httpx.Response]] = {}
    for r in answers:
        split.setdefault(r.status_code, []).append(r)
    return split


def assert_refused(r: httpx.Response, limit: int, who: str) -> None:
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["status"] == 429 and problem["type"].endswith("/429")
    assert who in problem["detail"]
    assert int(r.headers["retry-after"]) >= 1
    assert r.headers["ratelimit-limit"] == str(limit)
    assert r.headers["ratelimit-remaining"] == "0"


async def test_a_keys_limit_holds_across_two_api_processes(
    api: Api, two_processes: tuple[str, str]
) -> None:
    answers = by_status(await burst(two_processes, [api.key], each=10))
    # Five requests reached each process: alone, each would have let all five through.
    assert {s: len(rs) for s, rs in answers.items()} == {200: 2 * PER_KEY, 429: 10 - 2 * PER_KEY}
    for r in answers[429]:
        assert_refused(r, 2 * PER_KEY, "this API key")
    for r in answers[200]:
        assert r.headers["ratelimit-limit"] == str(2 * PER_KEY)
        assert 0 <= int(r.headers["ratelimit-remaining"]) < 2 * PER_KEY
        assert int(r.headers["ratelimit-reset"]) >= 0
    # Another key of the same tenant is not held back by this one.
    viewer = api.key_for("viewer")
    assert {r.status_code for r in await burst(two_processes, [viewer.key], each=2)} == {200}


async def test_a_tenants_limit_holds_for_all_its_keys_across_two_api_processes(
    api: Api, other: Api, two_processes: tuple[str, str]
) -> None:
    keys = [api.key, api.key_for("editor").key, api.key_for("viewer").key]
    # Four requests a key: within every key's limit, over the tenant's (10) together.
    answers = by_status(await burst(two_processes, keys, each=4))
    assert {s: len(rs) for s, rs in answers.items()} == {200: 2 * PER_TENANT, 429: 2}
    for r in answers[429]:
        assert_refused(r, 2 * PER_TENANT, "this tenant")
    # Another tenant goes on.
    assert {r.status_code for r in await burst(two_processes, [other.key], each=2)} == {200}


async def test_requests_without_a_valid_key_are_not_counted(
    two_processes: tuple[str, str],
) -> None:
    answers = await burst(two_processes, ["tpk_not-a-key"], each=2 * PER_KEY + 2)
    assert {r.status_code for r in answers} == {401}
    assert all("ratelimit-limit" not in r.headers for r in answers)
