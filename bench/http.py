"""The HTTP bench: Techplan's API against a bare-stack baseline, in one run, with wrk.

    uv run python -m bench [--quick] [--only NAME ...] [--seconds S] [--scale] [--out FILE]

(The command line and the order of the run are bench/run.py's.)

It creates its own database owned by an ordinary role (like the tests), tells `--clients`
clients' stories into one tenant through the domain's own commands, folds the read models,
then starts two uvicorn processes on the same database: `techplan serve` and
`bench/baseline_app.py`. Each figure runs wrk (Debian's `wrk`) for the same time with the same
connections against both, one after the other, with a Lua script that rotates over the
clients' or plans' ids, and `bench/RESULTS.md` gets ours, the baseline and the ratio, with
the run's conditions. Ratios are what to compare between runs: the absolute figures move
with whatever else shares the machine.

Needs PostgreSQL (TECHPLAN_BENCH_ADMIN_URL, default postgresql://postgres@127.0.0.1:5432/
postgres, used only to create and drop the role and database) and Redis (REDIS_URL).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

import psycopg

from bench import wrk
from bench.servers import profiling
from bench.workload import Workload
from services.auth import create_tenant
from services.bootstrap import Container
from services.webhooks import subscriptions as webhooks


@dataclass(frozen=True)
class Side:
    method: str
    paths: list[str]
    bodies: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Figure:
    name: str
    what: str
    ours: Side
    baseline: Side
    connections: int
    target: float  # the ratio to reach
    p99_target_ms: float | None = None
    writes: bool = False  # with the writers' key (Dataset.writer_key)


@dataclass(frozen=True)
class Outcome:
    figure: Figure
    ours: wrk.WrkResult
    baseline: wrk.WrkResult

    @property
    def ratio(self) -> float:
        return self.ours.rate / self.baseline.rate if self.baseline.rate else 0.0

    @property
    def met(self) -> bool:
        ok = self.ratio >= self.figure.target
        if self.figure.p99_target_ms is not None:
            ok = ok and self.ours.p99_ms < self.figure.p99_target_ms
        return ok and self.ours.errors == 0 and self.ours.non_2xx == 0


@dataclass(frozen=True)
class Dataset:
    tenant_id: UUID
    key: str
    clients: list[UUID]
    plans: list[UUID]
    events: int
    webhook: UUID
    deliveries: int
    # The commands go to a tenant of their own, so the read figures' tenant is the same
    # whenever they run (before and after the store grows, `--scale`).
    writer_key: str
    writer_plans: list[UUID]


# ---------------------------------------------------------------- data


def load(c: Container, clients: int) -> Dataset:
    tenant = create_tenant(c.db, "Bench MSP")
    tenant_id = UUID(tenant["id"])
    with c.db.tenant_tx(tenant_id) as cur:  # every event of the tenant becomes a delivery
        hook = webhooks.create(
            c, cur, tenant_id, url="http://127.0.0.1:9/bench", event_types=["*"], description=None
        )
    workload = Workload(c.store, seed=11, tenants=1)
    workload.tenants = [tenant_id]
    for _ in range(clients):
        for _ in workload.client_story(rounds=3):
            pass
    writer = create_tenant(c.db, "Bench writers")
    workload.tenants = [UUID(writer["id"])]
    for _ in range(clients):
        for _ in workload.client_story(rounds=1):
            pass
    c.runner.catch_up()
    with c.db.tenant_tx(tenant_id) as cur:  # each delivered once, as the worker records it
        cur.execute(
            "WITH attempt AS (INSERT INTO webhook_attempts"
            " (tenant_id, delivery_id, n, at, status_code, error, duration_ms)"
            " SELECT tenant_id, id, 1, now(), 200, NULL, 12 FROM webhook_deliveries)"
            " UPDATE webhook_deliveries SET status = 'succeeded', attempt_count = 1,"
            " round_attempts = 1, next_attempt_at = NULL, updated_at = now()"
        )
        deliveries = cur.rowcount
        # Nothing more to send: the commands of the later figures make no deliveries, so the
        # lag's worker folds without sending (and the list stays the same size).
        cur.execute(
            "UPDATE webhook_subscriptions SET status = 'disabled', disabled_at = now(),"
            " disabled_reason = 'bench'"
        )
    assert c.db.url is not None
    with psycopg.connect(c.db.url, autocommit=True) as conn:
        # The tables as autovacuum would have left them by now (the large store's too).
        conn.execute("VACUUM (ANALYZE)")
    with c.db.tenant_tx(tenant_id) as cur:
        cur.execute("SELECT id FROM clients_view ORDER BY created_position")
        client_ids = [r["id"] for r in cur.fetchall()]
        cur.execute("SELECT id FROM plans_view ORDER BY created_position")
        plan_ids = [r["id"] for r in cur.fetchall()]
    with c.db.tenant_tx(UUID(writer["id"])) as cur:
        cur.execute("SELECT id FROM plans_view ORDER BY created_position")
        writer_plans = [r["id"] for r in cur.fetchall()]
    return Dataset(
        tenant_id,
        tenant["api_key"]["key"],
        client_ids,
        plan_ids,
        workload.saved,
        UUID(hook["id"]),
        deliveries,
        writer["api_key"]["key"],
        writer_plans,
    )


def figures(d: Dataset, connections: int) -> list[Figure]:
    def per_client(template: str) -> list[str]:
        return [template.format(id=cid) for cid in d.clients]

    def read(name: str, what: str, ours: list[str], base: list[str], target: float) -> Figure:
        return Figure(name, what, Side("GET", ours), Side("GET", base), connections, target, 150.0)

    body = json.dumps(
        {
            "title": "Bench initiative {n}",
            "category": "software",
            "goal_ids": [],
            "priority": "medium",
            "rationale": "bench",
        }
    )
    found = [
        read(
            "clients",
            "GET /v1/clients?limit=50",
            ["/v1/clients?limit=50"],
            ["/list/clients?limit=50"],
            0.7,
        ),
        read(
            "plans",
            "GET /v1/clients/{id}/plans",
            per_client("/v1/clients/{id}/plans"),
            per_client("/list/plans?id={id}"),
            0.7,
        ),
        read(
            "budgets",
            "GET /v1/clients/{id}/budgets",
            per_client("/v1/clients/{id}/budgets"),
            per_client("/list/budgets?id={id}"),
            0.7,
        ),
        read(
            "audit", "GET /v1/audit?limit=50", ["/v1/audit?limit=50"], ["/list/audit?limit=50"], 0.7
        ),
        read(
            "roadmap",
            "GET /v1/clients/{id}/roadmap",
            per_client("/v1/clients/{id}/roadmap"),
            per_client("/list/roadmap?id={id}"),
            0.7,
        ),
        read(
            "alignment",
            "GET /v1/clients/{id}/alignment",
            per_client("/v1/clients/{id}/alignment"),
            per_client("/list/alignment?id={id}"),
            0.7,
        ),
        read(
            "deliveries",
            "GET /v1/webhooks/{id}/deliveries?limit=50",
            [f"/v1/webhooks/{d.webhook}/deliveries?limit=50"],
            [f"/list/deliveries?id={d.webhook}&limit=50"],
            0.7,
        ),
        read(
            "portfolio",
            "GET /v1/portfolio?limit=50",
            ["/v1/portfolio?limit=50"],
            ["/list/portfolio?limit=50"],
            0.7,
        ),
        Figure(
            "plan",
            "GET /v1/plans/{id} vs repository.get",
            Side("GET", [f"/v1/plans/{p}" for p in d.plans]),
            Side("GET", [f"/plans/{p}" for p in d.plans]),
            connections,
            1.0,
        ),
    ]
    for writers in (4, 16, 64):
        found.append(
            Figure(
                f"propose-{writers}",
                f"POST /v1/plans/{{id}}/initiatives, {writers} writers, vs load-decide-save",
                Side("POST", [f"/v1/plans/{p}/initiatives" for p in d.writer_plans], [body]),
                Side("POST", [f"/plans/{p}/initiatives" for p in d.writer_plans], [body]),
                writers,
                0.9,
                writes=True,
            )
        )
    return found


def measure(
    figure: Figure,
    ours_url: str,
    base_url: str,
    key: str,
    seconds: float,
    workdir: Path,
    *,
    ours_pid: int,
    profile_dir: Path | None = None,
    between: Callable[[], object] = lambda: None,
) -> Outcome:
    auth = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    plain = {"Content-Type": "application/json"}

    def run(url: str, side: Side, headers: dict[str, str], pid: int | None) -> wrk.WrkResult:
        lua = wrk.script(side.paths, method=side.method, headers=headers, bodies=side.bodies)
        wrk.run(url, lua, connections=figure.connections, seconds=1, workdir=workdir)  # warm
        out = profile_dir / f"{figure.name}.txt" if profile_dir and pid else None
        with profiling(pid or 0, out):
            result, _ = wrk.run(
                url, lua, connections=figure.connections, seconds=seconds, workdir=workdir
            )
        return result

    ours = run(ours_url, figure.ours, auth, ours_pid)
    between()  # what our side left running does not slow the baseline's
    base = run(base_url, figure.baseline, plain, None)
    return Outcome(figure, ours, base)
