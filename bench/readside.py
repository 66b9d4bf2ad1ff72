"""Read-side benchmark: rebuild throughput and command-to-visible lag.

    uv run python -m bench.readside [--events 200000] [--commands 600] [--rate 20]
        [--processes CPUS]

It creates its own database owned by an ordinary role (like the tests), fills it with
`--events` events told as clients' stories, and measures, in this one run:

- a baseline: raw batched INSERTs of audit-sized rows into a plain table (rows/s), right
  before the rebuilds and right after them (the ratios are to their mean);
- rebuild throughput (events/s) of the audit trail alone and of all projections together
  (one pass over the log, each batch decoded once and folded by every projection into fresh
  tables, swapped in at the end), in one process and split between `--processes` processes
  by aggregate, with the CPU spent per event outside PostgreSQL and the load average;
- command-to-visible lag under a steady stream of commands: a `techplan worker` process
  follows the log, and each command's lag is the time from its commit until every
  projection reached its position (p50, p99, max).

The admin connection comes from TECHPLAN_BENCH_ADMIN_URL (default
postgresql://postgres@127.0.0.1:5432/postgres); Redis from REDIS_URL (default local); the
worker's log goes to TECHPLAN_BENCH_WORKER_LOG if set.
"""

from __future__ import annotations

import argparse
import os
import resource
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import psycopg

from bench.workload import Workload
from domain.plan import TechnologyPlan
from domain.plan.initiative import LOCKED
from domain.shared import Actor, Decision, Money
from projections.rebuild import rebuild_many
from services.bootstrap import Container, bootstrap
from services.schema import migrate
from services.settings import Settings

ADMIN_URL = os.environ.get(
    "TECHPLAN_BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def say(message: str) -> None:
    print(message, flush=True)


def as_admin(url: str) -> str:
    """The bench's database at `url`, reached as the admin: the bench's own look-outs (the
    statements still running, the projections' positions, VACUUM) then use the connection
    slots PostgreSQL keeps for superusers, and never fail when a shared server is full."""
    dbname = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    return psycopg.conninfo.make_conninfo(ADMIN_URL, dbname=dbname)


def connect(url: str, *, patience: float = 120.0, **kwargs: Any) -> psycopg.Connection[Any]:
    """psycopg.connect, waiting (up to `patience` s) while a shared server has no slot left."""
    deadline = time.monotonic() + patience
    while True:
        try:
            return psycopg.connect(url, **kwargs)
        except psycopg.OperationalError as exc:
            if "remaining connection slots" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(1)


@contextmanager
def own_database() -> Iterator[str]:
    name = f"techplan_bench_{secrets.token_hex(4)}"
    info = psycopg.conninfo.conninfo_to_dict(ADMIN_URL)
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {name} LOGIN NOSUPERUSER NOCREATEROLE NOBYPASSRLS")
        admin.execute(f"CREATE DATABASE {name} OWNER {name}")
    try:
        host, port = info.get("host", "127.0.0.1"), info.get("port", "5432")
        yield f"postgresql://{name}@{host}:{port}/{name}"
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"DROP ROLE IF EXISTS {name}")


# ---------------------------------------------------------------- baseline


def baseline_inserts(c: Container, rows: int, batch: int = 2000) -> float:
    """Rows/s of plain INSERTs (no RLS, no index but the key) of rows shaped like audit rows,
    `batch` rows per transaction: what the hardware gives before any folding."""
    payload = '{"path": "/initiatives/x/status", "before": "proposed", "after": "approved"}'
    view = "{" + ", ".join(f'"k{i}": "{"v" * 40}"' for i in range(40)) + "}"
    with c.db.tx() as cur:
        cur.execute(
            "CREATE TABLE bench_baseline (position bigint PRIMARY KEY, tenant_id uuid,"
            " aggregate_id uuid, type text, occurred_at timestamptz, rationale text,"
            " changes jsonb, view_after jsonb)"
        )
    started = time.perf_counter()
    for first in range(0, rows, batch):
        with c.db.tx() as cur:
            cur.executemany(
                "INSERT INTO bench_baseline VALUES (%s, %s, %s, %s, %s, %s, %s::jsonb, %s::jsonb)",
                [
                    (
                        n,
                        uuid4(),
                        uuid4(),
                        "plan.initiative_approved",
                        datetime.now(UTC),
                        "board approved the roadmap",
                        f"[{payload}]",
                        view,
                    )
                    for n in range(first, min(first + batch, rows))
                ],
            )
    elapsed = time.perf_counter() - started
    with c.db.tx() as cur:
        cur.execute("DROP TABLE bench_baseline")
    return rows / elapsed


# ---------------------------------------------------------------- rebuilds


def plan_ids(c: Container, n: int) -> list[UUID]:
    """The first `n` plans of the log."""
    found: list[UUID] = []
    position = 0
    while len(found) < n and (batch := c.store.app.read_log(position, 2000)):
        found += [
            r.event.originator_id for r in batch if isinstance(r.event, TechnologyPlan.Created)
        ]
        position = batch[-1].position
    return found[:n]


def rebuild_rate(
    c: Container, names: list[str], events: int, processes: int = 1
) -> tuple[float, float, float]:
    """Rebuild `names` together (one pass over the log, split between `processes`):
    events/s, seconds, and the CPU seconds this process and its rebuild processes spent (the
    rest of the time is PostgreSQL's, or other work's)."""
    started, cpu = time.perf_counter(), _cpu()
    rebuild_many(c.runner, names, processes=processes, settings=c.settings)
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    return events / seconds, seconds, cpu


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


# ---------------------------------------------------------------- lag


class Watcher(threading.Thread):
    """Records when the slowest projection first reached each position."""

    def __init__(self, url: str, names: list[str]) -> None:
        super().__init__(daemon=True)
        self.url, self.names = url, names
        self.reached: list[tuple[float, int]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            last = -1
            while not self.stop.is_set():
                row = conn.execute(
                    "SELECT min(position) FROM projection_tracking WHERE name = ANY(%s)",
                    (self.names,),
                ).fetchone()
                now = time.perf_counter()
                if row and row[0] is not None and row[0] > last:
                    last = row[0]
                    self.reached.append((now, last))
                time.sleep(0.001)

    def visible_at(self, position: int) -> float | None:
        for moment, reached in self.reached:
            if reached >= position:
                return moment
        return None


def command_stream(
    c: Container, plans: list[UUID], count: int, rate: float
) -> list[tuple[float, int]]:
    """Re-estimate an initiative of a random plan, `rate` commands per second: load, decide,
    save, as the service layer does. Returns (commit time, position) per command."""
    actor = Actor("k-bench", "Bench", "editor")
    done: list[tuple[float, int]] = []
    interval = 1.0 / rate
    next_at = time.perf_counter()
    for n in range(count):
        pause = next_at - time.perf_counter()
        if pause > 0:
            time.sleep(pause)  # the steady arrival rate, not a wait on a condition
        next_at += interval
        plan: Any = c.store.app.repository.get(plans[n % len(plans)])
        open_ones = [i for i in plan.initiatives.values() if i.status not in LOCKED]
        if not open_ones:
            continue
        initiative = open_ones[n % len(open_ones)]
        by = Decision(actor, datetime.now(UTC), f"bench-{n}", "vendor quote changed")
        plan.update_initiative(
            initiative.id, one_time_cost=Money(1000 + n, "EUR"), currency="EUR", by=by
        )
        position = c.store.save(plan)
        done.append((time.perf_counter(), position))
    return done


def start_worker(url: str, prefix: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TECHPLAN_")}
    env.update(DATABASE_URL=url, REDIS_URL=REDIS_URL, TECHPLAN_REDIS_PREFIX=prefix)
    with open(os.environ.get("TECHPLAN_BENCH_WORKER_LOG", os.devnull), "wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "services.cli", "worker"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def wait_caught_up(c: Container, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        head = c.store.max_position()
        if all(s["position"] >= head for s in c.runner.status()):
            return
        if time.monotonic() > deadline:
            raise TimeoutError("the worker did not catch up")
        time.sleep(0.05)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.readside", description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--commands", type=int, default=600)
    parser.add_argument("--rate", type=float, default=20.0, help="commands per second")
    parser.add_argument(
        "--processes",
        type=int,
        default=os.cpu_count() or 1,
        help="processes for the last rebuild of all projections (default: one per CPU)",
    )
    args = parser.parse_args(argv)

    with own_database() as url:
        settings = Settings(database_url=url, redis_url=REDIS_URL)
        c = bootstrap(settings)
        try:
            migrate(c.db, c.store, c.runner)
            return run(c, url, args)
        finally:
            c.close()


def run(c: Container, url: str, args: argparse.Namespace) -> int:
    say(f"techplan read-side bench: {args.events:,} events, {os.cpu_count()} CPUs")
    workload = Workload(c.store, seed=1, tenants=20)
    started = time.perf_counter()
    workload.write(args.events, rounds=12)
    events = c.store.max_position()
    wrote = events / (time.perf_counter() - started)
    say(f"wrote {events:,} events ({wrote:,.0f} events/s through the event store)")

    # The baseline right before and right after the rebuilds: the machine's load moves.
    say(f"load average before the rebuilds: {load()}")
    before = baseline_inserts(c, min(args.events, 200_000))
    say(f"baseline: raw batched INSERT of audit-sized rows  {before:9,.0f} rows/s")
    names = list(c.runner.by_name)
    runs = [("audit trail alone", ["audit"], 1), (f"all {len(names)} projections", names, 1)]
    if args.processes > 1:
        runs.append((f"all, {args.processes} processes", names, args.processes))
    rates = []
    for what, rebuilt, processes in runs:
        rate, seconds, cpu = rebuild_rate(c, rebuilt, events, processes)
        rates.append((what, rate, seconds, cpu))
    after = baseline_inserts(c, min(args.events, 200_000))
    say(f"baseline again after the rebuilds                 {after:9,.0f} rows/s")
    baseline = (before + after) / 2
    for what, rate, seconds, cpu in rates:
        say(
            f"rebuild, {what + ':':<24} {rate:9,.0f} events/s  ({rate / baseline:.2f} x baseline;"
            f" {seconds:.0f} s, {1e6 * cpu / events:.0f} us of CPU per event outside PostgreSQL)"
        )
    say(f"load average after the rebuilds: {load()}")

    plans = plan_ids(c, 200)
    worker = start_worker(url, f"techplan-bench:{secrets.token_hex(4)}")
    try:
        wait_caught_up(c, timeout=600)
        # The worker is up once it folds a first command: only then does the clock start.
        warm_up = command_stream(c, plans, 1, args.rate)
        deadline = time.monotonic() + 120
        while min(c.runner.positions().values()) < warm_up[-1][1]:
            if time.monotonic() > deadline:
                raise TimeoutError("the worker did not start")
            time.sleep(0.01)
        watcher = Watcher(url, names)
        watcher.start()
        commits = command_stream(c, plans, args.commands, args.rate)
        wait_caught_up(c, timeout=60)
        time.sleep(0.05)  # let the watcher take its last reading
        watcher.stop.set()
        watcher.join()
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    lags = []
    for committed, position in commits:
        visible = watcher.visible_at(position)
        if visible is not None:
            lags.append(max(visible - committed, 0.0) * 1000)
    say(
        f"command-to-visible lag, {len(lags)} commands at {args.rate:g}/s, all projections:"
        f" p50 {percentile(lags, 50):.1f} ms, p99 {percentile(lags, 99):.1f} ms,"
        f" max {max(lags):.1f} ms, mean {statistics.fmean(lags):.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
