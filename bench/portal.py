"""What the portal's pages cost on a portfolio of 200 clients, beside the API's JSON answers
for the same data.

    uv run python -m bench.portal [--clients 200] [--repeat 25]

It creates a throwaway role and database (as bench.snapshots does) and a tenant whose
`--clients` clients each have an adopted strategy with two goals, a plan of four initiatives
(one serving no goal) and a budget of the current fiscal year with two lines, all written
through the public API in-process (Litestar's test client: server time, no network). Then,
`--repeat` times and interleaved, it asks each portal page and its baseline, the API request(s)
that answer the same question as JSON:

- the portfolio's first and last page of 50 clients sorted by name, against
  `GET /v1/portfolio?limit=50` (the read model's own page);
- a client page (strategy, roadmap, budget chart), against `GET /v1/strategies/{id}`,
  `GET /v1/clients/{id}/roadmap` and `GET /v1/budgets/{id}` together;
- the decision timeline, against `GET /v1/audit?client_id=…&limit=25`.

Reported: the median of each, and the portal's time as a ratio of its baseline's.
"""

from __future__ import annotations

import argparse
import logging
import re
import secrets
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from litestar.testing import TestClient

from bench.snapshots import throwaway_database
from services.bootstrap import Container, bootstrap
from services.schema import migrate
from services.settings import Settings

TOKEN = secrets.token_urlsafe(16)
REDIS_URL = "redis://127.0.0.1:6379/0"


def write(http: TestClient[Any], key: str, clients: int) -> dict[str, str]:
    """The portfolio, through the API; returns one client's ids for the per-client pages."""
    auth = {"Authorization": f"Bearer {key}"}
    year = datetime.now(UTC).year

    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        r = http.post(path, json=body, headers=auth)
        assert r.status_code in (200, 201), (path, r.text)
        return dict(r.json())

    ids: dict[str, str] = {}
    for n in range(clients):
        client = post("/v1/clients", {"name": f"Client {n:04d} {secrets.token_hex(2)}"})
        strategy = post(f"/v1/clients/{client['id']}/strategies", {"title": "IT strategy"})
        goals = [
            post(f"/v1/strategies/{strategy['id']}/goals", {"title": t, "priority": "high"})
            for t in ("Resilience", "Security")
        ]
        post(f"/v1/strategies/{strategy['id']}/adopt", {"rationale": "board approved"})
        plan = post(
            f"/v1/clients/{client['id']}/plans",
            {"title": "Plan", "strategy_id": strategy["id"]},
        )
        for i, goal_ids in enumerate(([goals[0]["created_id"]], [goals[1]["created_id"]], [], [])):
            post(
                f"/v1/plans/{plan['id']}/initiatives",
                {
                    "title": f"Initiative {i}",
                    "category": "security",
                    "goal_ids": goal_ids,
                    "target_quarter": None,
                    "one_time_cost": {"amount_minor": 100_000 * (i + 1), "currency": "USD"},
                    "priority": "medium",
                },
            )
        budget = post(f"/v1/clients/{client['id']}/budgets", {"fiscal_year": year})
        for quarter in ("Q1", "Q3"):
            line = {"category": "hardware", "quarter": quarter, "amount_minor": 50_000}
            post(f"/v1/budgets/{budget['id']}/lines", {**line, "kind": "capex"})
        ids = {"client": client["id"], "strategy": strategy["id"], "budget": budget["id"]}
    return ids


def median_ms(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def measure(name: str, page: Callable[[], Any], base: Callable[[], Any], repeat: int) -> None:
    page()
    base()  # warm both
    pages, bases = [], []
    for _ in range(repeat):
        pages.append(median_ms(page))
        bases.append(median_ms(base))
    p, b = statistics.median(pages), statistics.median(bases)
    print(f"{name:<44} {p:>8.1f} ms {b:>8.1f} ms {p / b:>6.2f}x", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=25)
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with throwaway_database() as database_url:
        settings = Settings(
            database_url=database_url,
            redis_url=REDIS_URL,
            admin_token=TOKEN,
            secret_key=secrets.token_urlsafe(32),
            redis_prefix=f"techplan-bench:{secrets.token_hex(4)}",
        )
        c = bootstrap(settings)
        try:
            migrate(c.db, c.store, c.runner)
            run(c, args)
        finally:
            c.close()


def run(c: Container, args: argparse.Namespace) -> None:
    from services.app import create_app

    with TestClient(create_app(c)) as http:
        operator = {"Authorization": f"Bearer {TOKEN}"}
        tenant = http.post("/admin/v1/tenants", json={"name": "MSP"}, headers=operator).json()
        key = tenant["api_key"]["key"]
        auth = {"Authorization": f"Bearer {key}"}
        started = time.perf_counter()
        ids = write(http, key, args.clients)
        print(f"wrote {c.store.max_position()} events in {time.perf_counter() - started:.1f} s")
        c.runner.catch_up()

        page = http.get("/portal/sign-in")
        nonce = re.search(r'name="_csrf" value="([^"]+)"', page.text)
        assert nonce is not None
        signed = http.post(
            "/portal/sign-in",
            data={"key": key, "_csrf": nonce.group(1)},
            follow_redirects=False,
        )
        assert signed.status_code == 303, signed.text

        def portal(path: str) -> Callable[[], Any]:
            def ask() -> Any:
                r = http.get(path)
                assert r.status_code == 200, (path, r.text[:300])
                return r.text

            return ask

        def api(*paths: str) -> Callable[[], Any]:
            def ask() -> Any:
                for path in paths:
                    r = http.get(path, headers=auth)
                    assert r.status_code == 200, (path, r.text[:300])
                return None

            return ask

        first = http.get("/portal?sort=name&size=50")
        cursor = None
        body = first.text
        while 'rel="next"' in body:
            cursor = body.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
            body = http.get(cursor).text
        client = ids["client"]
        print(f"{'page (baseline)':<44} {'portal':>11} {'API JSON':>11} {'ratio':>7}")
        measure(
            f"portfolio, first 50 of {args.clients} by name",
            portal("/portal?sort=name&size=50"),
            api("/v1/portfolio?limit=50"),
            args.repeat,
        )
        if cursor:
            measure(
                "portfolio, last page by name",
                portal(cursor),
                api("/v1/portfolio?limit=50"),
                args.repeat,
            )
        measure(
            "client: strategy, roadmap, budget chart",
            portal(f"/portal/clients/{client}"),
            api(
                f"/v1/strategies/{ids['strategy']}",
                f"/v1/clients/{client}/roadmap",
                f"/v1/budgets/{ids['budget']}",
            ),
            args.repeat,
        )
        measure(
            "decision timeline, 25 newest",
            portal(f"/portal/clients/{client}/timeline"),
            api(f"/v1/audit?client_id={client}&limit=25"),
            args.repeat,
        )


if __name__ == "__main__":
    main()
