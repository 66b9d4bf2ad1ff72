"""What one page costs on aggregates at their limits, beside a bare read of the same rows.

    uv run python -m bench.pages [--lines 2000] [--initiatives 1000] [--repeat 15]

It creates a throwaway role and database (as bench.snapshots does), a tenant with a webhook
subscription, a budget with `--lines` lines (API.md's limit) and a plan with `--initiatives`
initiatives (its limit), each written through the domain's own commands and saved in chunks
that keep the store's snapshots where a save per decision would put them; then it folds the
read side and asks each page in-process through the Litestar test client (server time, no
network), `--repeat` times, interleaved with its baseline: a bare SELECT of the rows that
page shows (or reads), through the same pool. Reported: the median of each and their ratio.

A small second tenant's webhook replay over the whole log is measured too, against a bare
SELECT of that tenant's events, and against reading the whole log (what a replay did before).
"""

from __future__ import annotations

import argparse
import logging
import secrets
import statistics
import time
from base64 import urlsafe_b64encode
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from litestar.testing import TestClient

from bench.snapshots import throwaway_database
from domain.calendar import FiscalQuarter
from domain.plan import Period, RecurringCost
from domain.shared import Actor, Decision, Money, Priority
from services.bootstrap import Container, bootstrap
from services.schema import migrate
from services.settings import Settings
from services.tenancy import export
from services.webhooks.replays import replay_batch

TOKEN = secrets.token_urlsafe(16)
VERA = Actor("bench", "Vera (vCIO)", "editor")
REDIS_URL = "redis://127.0.0.1:6379/0"  # unused here: no Redis hook is started


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 1, 5, 9, tzinfo=UTC)

    def __call__(self, rationale: str = "weekly plan review") -> Decision:
        self.at += timedelta(seconds=1)
        return Decision(VERA, self.at, f"bench-{self.at.timestamp()}", rationale)


def save_aligned(c: Container, aggregate: Any, interval: int) -> None:
    """Save when a snapshot falls due, as one save per decision would."""
    if aggregate.version % interval == 0:
        c.store.save(aggregate)


def write(
    c: Container, http: TestClient[Any], key: str, args: argparse.Namespace
) -> dict[str, Any]:
    auth = {"Authorization": f"Bearer {key}"}

    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        r = http.post(path, json=body, headers=auth)
        assert r.status_code in (200, 201), r.text
        return dict(r.json())

    client = post("/v1/clients", {"name": "Contoso", "currency": "EUR"})
    strategy = post(f"/v1/clients/{client['id']}/strategies", {"title": "IT strategy"})
    goal = post(
        f"/v1/strategies/{strategy['id']}/goals", {"title": "Resilience", "priority": "high"}
    )
    post(f"/v1/strategies/{strategy['id']}/adopt", {"rationale": "board"})
    plan_id = post(
        f"/v1/clients/{client['id']}/plans", {"title": "Plan", "strategy_id": strategy["id"]}
    )["id"]
    budget_id = post(f"/v1/clients/{client['id']}/budgets", {"fiscal_year": 2027})["id"]
    interval = c.settings.snapshot_interval
    clock = Clock()

    plan: Any = c.store.app.repository.get(UUID(plan_id))
    for n in range(args.initiatives):
        plan.propose_initiative(
            initiative_id=uuid4(),
            title=f"Initiative {n}",
            category="security",
            goal_ids=[goal["created_id"]],
            target_quarter=FiscalQuarter(2027, n % 4 + 1),
            one_time_cost=Money(100_000 + n, "EUR"),
            recurring_cost=RecurringCost(2_500, "EUR", Period.MONTH, 1 + n % 5),
            priority=Priority.MEDIUM,
            currency="EUR",
            by=clock(),
        )
        save_aligned(c, plan, interval)
    c.store.save(plan)
    middle = clock.at
    budget: Any = c.store.app.repository.get(UUID(budget_id))
    for n in range(args.lines):
        budget.add_line(
            line_id=uuid4(),
            category="hardware",
            quarter=f"Q{n % 4 + 1}",
            amount_minor=10**15,
            kind="capex",
            description=f"Line {n}: refresh of the branch office switches",
            by=clock(),
        )
        save_aligned(c, budget, interval)
    c.store.save(budget)
    for n in range(60):  # decisions on the full budget: re-estimates, then a submission
        line_id = list(budget.lines)[n * 7 % len(budget.lines)]
        budget.update_line(line_id, amount_minor=10**15 - n, by=clock("quote"))
        save_aligned(c, budget, interval)
    budget.submit(by=clock("ready"))
    c.store.save(budget)
    return {
        "client": client["id"],
        "plan": plan_id,
        "budget": budget_id,
        "plan_version": plan.version,
        "budget_version": budget.version,
        "middle": middle,
    }


def median_ms(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def measure(
    name: str, page: Callable[[], Any], bare: Callable[[], Any], repeat: int
) -> tuple[str, float, float]:
    page()
    bare()  # warm both
    pages, bares = [], []
    for _ in range(repeat):
        pages.append(median_ms(page, 1))
        bares.append(median_ms(bare, 1))
    p, b = statistics.median(pages), statistics.median(bares)
    print(f"{name:<46} {p:>9.1f} ms {b:>9.2f} ms {p / b:>8.1f}x", flush=True)
    return name, p, b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--initiatives", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with throwaway_database() as database_url:
        settings = Settings(
            database_url=database_url,
            redis_url=REDIS_URL,
            admin_token=TOKEN,
            secret_key=secrets.token_urlsafe(32),
            redis_prefix=f"techplan-bench:{secrets.token_hex(4)}",
            webhook_allow_private=True,
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
        small = http.post("/admin/v1/tenants", json={"name": "Small"}, headers=operator).json()
        key, small_key = tenant["api_key"]["key"], small["api_key"]["key"]
        auth, small_auth = ({"Authorization": f"Bearer {k}"} for k in (key, small_key))
        hook = http.post(
            "/v1/webhooks",
            json={"url": "http://127.0.0.1:9/hook", "event_types": ["*"]},
            headers=auth,
        ).json()
        small_hook = http.post(
            "/v1/webhooks",
            json={"url": "http://127.0.0.1:9/hook", "event_types": ["*"]},
            headers=small_auth,
        ).json()
        http.post("/v1/clients", json={"name": "Small client"}, headers=small_auth)
        started = time.perf_counter()
        ids = write(c, http, key, args)
        head = c.store.max_position()
        print(f"wrote {head} events in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        c.runner.catch_up()
        print(f"read side folded in {time.perf_counter() - started:.1f} s", flush=True)
        tenant_id = UUID(tenant["id"])
        with c.db.tenant_tx(tenant_id) as cur:
            for what in ("budget", "plan"):
                cur.execute(
                    "SELECT count(*) AS n, sum(pg_column_size(t.*)) AS size"
                    " FROM audit_events t WHERE aggregate_id = %s",
                    (ids[what],),
                )
                row = cur.fetchone()
                assert row is not None
                print(f"audit trail of the {what}: {row['n']} rows, {row['size'] / 1e6:.1f} MB")

        def get(path: str, **params: Any) -> Callable[[], Any]:
            def ask() -> Any:
                r = http.get(path, params=params, headers=auth)
                assert r.status_code == 200, (path, r.text)
                return r.json()

            return ask

        def bare(sql: str, *values: Any) -> Callable[[], Any]:
            def select() -> Any:
                with c.db.tenant_tx(tenant_id) as cur:
                    cur.execute(sql, values)
                    return cur.fetchall()

            return select

        events_table = export.events_table(c.store.app)
        snapshots_table = export.snapshots_table(c.store.app)

        def stored(aggregate_id: str, versions: list[int]) -> Callable[[], Any]:
            """The stored rows a load at each version reads: its snapshot and the events
            after it (bare bytes, nothing decoded)."""

            def select() -> Any:
                with c.db.tx() as cur:
                    for version in versions:
                        cur.execute(
                            f"SELECT state FROM {snapshots_table} WHERE originator_id = %s"
                            " AND originator_version <= %s"
                            " ORDER BY originator_version DESC LIMIT 1",
                            (aggregate_id, version),
                        )
                        cur.fetchall()
                        cur.execute(
                            f"SELECT state FROM {events_table} WHERE originator_id = %s"
                            " AND originator_version > %s AND originator_version <= %s",
                            (aggregate_id, version - version % 100, version),
                        )
                        cur.fetchall()

            return select

        history_rows = (
            "SELECT * FROM audit_events WHERE aggregate_id = %s AND version > %s"
            " ORDER BY version LIMIT 51"
        )
        print(f"{'page':<46} {'server':>12} {'bare read':>12} {'ratio':>9}")
        results = []
        for kind, what, version in (
            ("budgets", ids["budget"], ids["budget_version"]),
            ("plans", ids["plan"], ids["plan_version"]),
        ):
            last = urlsafe_b64encode(str(version - 50).encode()).decode().rstrip("=")
            results += [
                measure(
                    f"{kind} history, first page (50)",
                    get(f"/v1/{kind}/{what}/history"),
                    bare(history_rows, what, 0),
                    args.repeat,
                ),
                measure(
                    f"{kind} history, last page (50)",
                    get(f"/v1/{kind}/{what}/history", cursor=last),
                    bare(history_rows, what, version - 50),
                    args.repeat,
                ),
                measure(
                    f"{kind} GET of the whole resource (reference)",
                    get(f"/v1/{kind}/{what}"),
                    stored(what, [version]),
                    args.repeat,
                ),
                measure(
                    f"{kind} diff v1..v{version}",
                    get(f"/v1/{kind}/{what}/diff", **{"from": 1, "to": version}),
                    stored(what, [1, version]),
                    args.repeat,
                ),
                measure(
                    f"{kind} audit by aggregate (50)",
                    get("/v1/audit", aggregate_id=what),
                    bare(
                        "SELECT * FROM audit_events WHERE aggregate_id = %s"
                        " ORDER BY position DESC LIMIT 51",
                        what,
                    ),
                    args.repeat,
                ),
            ]
        since = ids["middle"].isoformat()
        results += [
            measure(
                "audit, whole tenant (50)",
                get("/v1/audit"),
                bare("SELECT * FROM audit_events ORDER BY position DESC LIMIT 51"),
                args.repeat,
            ),
            measure(
                "changes since mid-plan (50 decisions + nets)",
                get(f"/v1/clients/{ids['client']}/changes", since=since),
                bare(
                    "SELECT * FROM audit_events WHERE client_id = %s AND occurred_at >= %s"
                    " ORDER BY position LIMIT 51",
                    ids["client"],
                    ids["middle"],
                ),
                args.repeat,
            ),
            measure(
                "webhook deliveries (50)",
                get(f"/v1/webhooks/{hook['id']}/deliveries"),
                bare(
                    "SELECT * FROM webhook_deliveries WHERE subscription_id = %s"
                    " ORDER BY seq DESC LIMIT 51",
                    hook["id"],
                ),
                args.repeat,
            ),
        ]
        replay(c, http, small_auth, small_hook["id"], UUID(small["id"]), head, args.repeat)
        worst = max((r for r in results if "reference" not in r[0]), key=lambda r: r[1])
        print(f"slowest page: {worst[0]}, {worst[1]:.1f} ms (target: under 50 ms)")


def replay(
    c: Container,
    http: TestClient[Any],
    auth: dict[str, str],
    hook_id: str,
    tenant_id: UUID,
    head: int,
    repeat: int,
) -> None:
    """A small tenant's replay of the whole log: its events are a handful of the log's."""

    def whole_replay() -> None:
        r = http.post(f"/v1/webhooks/{hook_id}/replay", json={"since_position": 0}, headers=auth)
        assert r.status_code == 202, r.text
        done = False
        while not done:
            _, done = replay_batch(c.db, c.store.app, UUID(r.json()["id"]))

    def tenant_rows() -> None:
        with c.db.tenant_tx(tenant_id) as cur:
            cur.execute("SELECT position FROM audit_events ORDER BY position")
            positions = [r["position"] for r in cur.fetchall()]
        with c.db.tx() as cur:
            cur.execute(
                f"SELECT state FROM {export.events_table(c.store.app)}"
                " WHERE notification_id = ANY(%s)",
                (positions,),
            )
            cur.fetchall()

    def whole_log() -> None:
        after = 0
        while batch := c.store.app.read_log(after, 500):
            after = batch[-1].position

    measure(f"replay of a small tenant over {head} events", whole_replay, tenant_rows, repeat)
    measure("  (reading the whole log, as replays did)", whole_log, tenant_rows, 3)


if __name__ == "__main__":
    main()
