"""The HTTP bench: Techplan's API against a bare-stack baseline, in one run, with wrk.

    uv run python -m bench [--quick] [--only NAME ...] [--seconds S] [--out FILE]

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

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

from psycopg import sql

from bench import wrk
from bench.readside import REDIS_URL, own_database, say
from bench.servers import ROOT, free_port, profiling, server
from bench.workload import Workload
from services.auth import create_tenant
from services.bootstrap import Container, bootstrap
from services.schema import migrate
from services.settings import Settings


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


# ---------------------------------------------------------------- data


def load(c: Container, clients: int) -> Dataset:
    tenant = create_tenant(c.db, "Bench MSP")
    tenant_id = UUID(tenant["id"])
    workload = Workload(c.store, seed=11, tenants=1)
    workload.tenants = [tenant_id]
    for _ in range(clients):
        for _ in workload.client_story(rounds=3):
            pass
    c.runner.catch_up()
    with c.db.tx() as cur:  # the statistics autovacuum would have gathered by now
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        for row in cur.fetchall():
            cur.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(row["tablename"])))
    with c.db.projector_tx() as cur:
        cur.execute("SELECT id FROM clients_view ORDER BY created_position")
        client_ids = [r["id"] for r in cur.fetchall()]
        cur.execute("SELECT id FROM plans_view ORDER BY created_position")
        plan_ids = [r["id"] for r in cur.fetchall()]
    return Dataset(tenant_id, tenant["api_key"]["key"], client_ids, plan_ids, workload.saved)


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
                Side("POST", [f"/v1/plans/{p}/initiatives" for p in d.plans], [body]),
                Side("POST", [f"/plans/{p}/initiatives" for p in d.plans], [body]),
                writers,
                0.9,
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
    base = run(base_url, figure.baseline, plain, None)
    return Outcome(figure, ours, base)


# ---------------------------------------------------------------- report


def report(
    outcomes: Sequence[Outcome], conditions: dict[str, str], out: Path, *, quick: bool
) -> str:
    lines = [
        "# HTTP bench results",
        "",
        "Written by `uv run python -m bench"
        + (" --quick" if quick else "")
        + "`. Ratios are ours / the baseline in the same run; absolute figures move with"
        " whatever else shares the machine.",
        "",
        "| figure | conns | ours req/s | ours p50 / p99 ms | errors | baseline req/s"
        " | baseline p99 ms | ratio | target | met |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        f = o.figure
        target = f"≥ {f.target:.2f}x" + (
            f", p99 < {f.p99_target_ms:.0f} ms" if f.p99_target_ms else ""
        )
        errors = o.ours.errors + o.ours.non_2xx
        lines.append(
            f"| {f.what} | {f.connections} | {o.ours.rate:,.0f} | {o.ours.p50_ms:.0f} /"
            f" {o.ours.p99_ms:.0f} | {errors} | {o.baseline.rate:,.0f} |"
            f" {o.baseline.p99_ms:.0f} | {o.ratio:.2f} | {target} | {'yes' if o.met else 'no'} |"
        )
    lines += ["", "Conditions:", ""]
    lines += [f"- {k}: {v}" for k, v in conditions.items()]
    text = "\n".join(lines) + "\n"
    out.write_text(text)
    return text


def conditions(args: argparse.Namespace, d: Dataset) -> dict[str, str]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    return {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit or "unknown",
        "machine": f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end"
        " (shared with other work: compare ratios, not absolute figures)",
        "load generator": f"wrk, 2 threads, {args.seconds:g} s per side after a 1 s warm-up,"
        " on the same machine",
        "data": f"1 tenant, {len(d.clients)} clients, {len(d.plans)} plans, {d.events:,} events",
        "servers": "`techplan serve` and `uvicorn bench.baseline_app:create --factory`,"
        f" {args.workers} process(es) each, same PostgreSQL pool settings",
    }


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 s per side instead of 10")
    parser.add_argument("--only", nargs="*", default=None, help="figures by name")
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument(
        "--workers", type=int, default=1, help="processes of each server (uvicorn --workers)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument(
        "--profile", type=Path, default=None, help="py-spy our server into DIR/FIGURE.txt"
    )
    args = parser.parse_args(argv)
    args.seconds = args.seconds or (3.0 if args.quick else 10.0)

    with own_database() as url, tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        settings = Settings(database_url=url, redis_url=REDIS_URL)
        c = bootstrap(settings)
        try:
            migrate(c.db, c.store, c.runner)
            say(f"loading {args.clients} clients' stories ...")
            d = load(c, args.clients)
        finally:
            c.close()
        say(f"loaded {d.events:,} events; starting the servers")
        chosen = [
            f for f in figures(d, args.connections) if args.only is None or f.name in args.only
        ]
        env = {k: v for k, v in os.environ.items() if not k.startswith("TECHPLAN_")}
        env.update(
            DATABASE_URL=url,
            REDIS_URL=REDIS_URL,
            TECHPLAN_REDIS_PREFIX=f"techplan-bench:{secrets.token_hex(4)}",
            TECHPLAN_BENCH_TENANT=str(d.tenant_id),
            # Rate limits checked on every request, never reached.
            TECHPLAN_RATE_LIMIT="1000000",
            TECHPLAN_TENANT_RATE_LIMIT="1000000",
        )
        ours_port, base_port = free_port(), free_port()
        ours_url, base_url = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{base_port}"
        workers = ["--workers", str(args.workers)]
        ours_cmd = [
            sys.executable, "-m", "services.cli", "serve", "--port", str(ours_port), *workers
        ]  # fmt: skip
        base_cmd = [
            sys.executable, "-m", "uvicorn", "bench.baseline_app:create", "--factory",
            "--port", str(base_port), "--log-level", "warning", *workers,
        ]  # fmt: skip
        outcomes = []
        with (
            server(ours_cmd, env, f"{ours_url}/health/live", workdir / "ours.log") as ours,
            server(base_cmd, env, f"{base_url}/list/clients", workdir / "base.log"),
        ):
            if args.profile:
                args.profile.mkdir(parents=True, exist_ok=True)
            for figure in chosen:
                outcome = measure(
                    figure,
                    ours_url,
                    base_url,
                    d.key,
                    args.seconds,
                    workdir,
                    ours_pid=ours.pid,
                    profile_dir=args.profile,
                )
                outcomes.append(outcome)
                say(
                    f"{figure.name:<12} ours {outcome.ours.rate:8,.0f}/s"
                    f" p99 {outcome.ours.p99_ms:6.0f} ms"
                    f" err {outcome.ours.errors + outcome.ours.non_2xx:4}"
                    f" | baseline {outcome.baseline.rate:8,.0f}/s"
                    f" p99 {outcome.baseline.p99_ms:6.0f} ms"
                    f" | ratio {outcome.ratio:5.2f}"
                )
        say(report(outcomes, conditions(args, d), args.out, quick=args.quick))
    return 0
