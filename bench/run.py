"""`python -m bench`: the HTTP bench's command line (bench/http.py has the data and figures).

    uv run python -m bench [--quick] [--only NAME ...] [--seconds S] [--scale] [--out FILE]

1. wrk figures (bench/http.py) against `techplan serve` and the bare baseline;
2. `lag` (bench/lag.py): 100 POSTs a second for 20 s behind one `techplan worker`;
3. with `--scale` (bench/scale.py): the bulk loader grows the store to 1,000 tenants,
   20,000 clients and 2,000,000 events around the bench tenant, folds it, and the read
   figures run again on fresh server processes; each one's slowdown goes to RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from bench import lag, report, wrk
from bench.http import Dataset, Figure, Outcome, figures, load, measure
from bench.readside import REDIS_URL, as_admin, own_database, say
from bench.servers import ROOT, free_port, server
from services.bootstrap import bootstrap
from services.schema import migrate
from services.settings import Settings

SECRET = secrets.token_urlsafe(24)
EXTRA = ("lag",)  # figures that are not a wrk run


@dataclass(frozen=True)
class Running:
    ours_url: str
    base_url: str
    ours_pid: int
    logs: tuple[Path, Path]

    def tails(self) -> str:
        return "\n".join(f"{log.name}: {log.read_text()[-1500:]}" for log in self.logs)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 s per side instead of 10")
    parser.add_argument("--only", nargs="*", default=None, help="figures by name (and lag)")
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
    parser.add_argument("--lag-rate", type=float, default=100.0, help="commands a second")
    parser.add_argument("--lag-seconds", type=float, default=20.0)
    parser.add_argument(
        "--scale", action="store_true", help="then grow the store and run the reads again"
    )
    parser.add_argument("--scale-tenants", type=int, default=1000)
    parser.add_argument("--scale-clients", type=int, default=20_000)
    parser.add_argument("--scale-events", type=int, default=2_000_000)
    args = parser.parse_args(argv)
    args.seconds = args.seconds or (3.0 if args.quick else 10.0)
    return args


def server_env(url: str, d: Dataset) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TECHPLAN_")}
    env.update(
        DATABASE_URL=url,
        REDIS_URL=REDIS_URL,
        TECHPLAN_REDIS_PREFIX=f"techplan-bench:{secrets.token_hex(4)}",
        TECHPLAN_BENCH_TENANT=str(d.tenant_id),
        TECHPLAN_SECRET_KEY=SECRET,
        # Rate limits checked on every request, never reached.
        TECHPLAN_RATE_LIMIT="1000000",
        TECHPLAN_TENANT_RATE_LIMIT="1000000",
    )
    return env


@contextmanager
def servers(env: dict[str, str], workers: int, workdir: Path) -> Iterator[Running]:
    ours_port, base_port = free_port(), free_port()
    ours_url, base_url = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{base_port}"
    processes = ["--workers", str(workers)]
    ours_cmd = [
        sys.executable, "-m", "services.cli", "serve", "--port", str(ours_port), *processes
    ]  # fmt: skip
    base_cmd = [
        sys.executable, "-m", "uvicorn", "bench.baseline_app:create", "--factory",
        "--port", str(base_port), "--log-level", "warning", *processes,
    ]  # fmt: skip
    with (
        server(ours_cmd, env, f"{ours_url}/health/live", workdir / "ours.log") as ours,
        server(base_cmd, env, f"{base_url}/list/clients", workdir / "base.log"),
    ):
        yield Running(ours_url, base_url, ours.pid, (workdir / "ours.log", workdir / "base.log"))


def run_figures(
    chosen: Sequence[Figure],
    running: Running,
    d: Dataset,
    args: argparse.Namespace,
    tmp: Path,
    url: str,
) -> list[Outcome]:
    outcomes = []
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    counted(running, d.key)
    for figure in chosen:
        try:
            o = measure(
                figure,
                running.ours_url,
                running.base_url,
                d.writer_key if figure.writes else d.key,
                args.seconds,
                tmp,
                ours_pid=running.ours_pid,
                profile_dir=args.profile,
                between=lambda: settle(url),
            )
        except wrk.WrkError as exc:
            raise wrk.WrkError(f"{exc}\n{running.tails()}") from None
        outcomes.append(o)
        cancelled = settle(url)
        say(
            f"{figure.name:<12} ours {o.ours.rate:8,.0f}/s p99 {o.ours.p99_ms:6.0f} ms"
            f" err {o.ours.errors + o.ours.non_2xx:4}"
            f" | baseline {o.baseline.rate:8,.0f}/s p99 {o.baseline.p99_ms:6.0f} ms"
            f" | ratio {o.ratio:5.2f}"
            + (f" ({cancelled} statements cancelled after 30 s)" if cancelled else "")
        )
    if "rate limits are off" in running.logs[0].read_text():
        say("warning: Redis did not answer our server for a while: some requests went uncounted")
    return outcomes


def counted(running: Running, key: str) -> None:
    """Ours must count its requests in Redis as it would in production: without Redis the
    rate limits pass every request unchecked, and the figures would flatter it."""
    request = urllib.request.Request(
        f"{running.ours_url}/v1/clients?limit=1", headers={"Authorization": f"Bearer {key}"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        if answer.headers.get("RateLimit-Limit") is None:
            raise RuntimeError(f"our server does not count requests in Redis\n{running.tails()}")


def settle(url: str, patience: float = 30.0, quiet: float = 2.0, cap: float = 180.0) -> int:
    """Wait until this database has run no statement for `quiet` seconds, so the next figure
    starts on an idle server: requests wrk gave up on are still queued in the server, each
    starting its statement when it gets a thread. After `patience` seconds, every statement
    still running is cancelled (its request fails at once), which drains such a queue.
    Returns how many were cancelled."""
    started = time.monotonic()
    quiet_since: float | None = None
    cancelled = 0
    busy = "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
    busy += " AND state = 'active' AND pid <> pg_backend_pid()"
    with psycopg.connect(as_admin(url), autocommit=True) as conn:
        while time.monotonic() - started < cap:
            running = conn.execute(busy).fetchall()
            now = time.monotonic()
            if not running:
                quiet_since = quiet_since or now
                if now - quiet_since >= quiet:
                    break
            else:
                quiet_since = None
                if now - started > patience:
                    for (pid,) in running:
                        conn.execute("SELECT pg_cancel_backend(%s)", (pid,))
                    cancelled += len(running)
            time.sleep(0.1)
    return cancelled


def conditions(args: argparse.Namespace, d: Dataset) -> dict[str, str]:
    return {
        **report.machine(),
        "load generator": f"wrk, 2 threads, {args.seconds:g} s per side after a 1 s warm-up,"
        " on the same machine",
        "data": f"the reads' tenant: {len(d.clients)} clients, {len(d.plans)} plans, one webhook"
        f" with {d.deliveries:,} deliveries; the commands' tenant: {len(d.writer_plans)} plans;"
        f" {d.events:,} events in all",
        "servers": "`techplan serve` and `uvicorn bench.baseline_app:create --factory`,"
        f" {args.workers} process(es) each, same PostgreSQL pool settings",
    }


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    wanted = set(args.only) if args.only is not None else None
    with own_database() as url, tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        settings = Settings(
            database_url=url, redis_url=REDIS_URL, secret_key=SECRET, webhook_allow_private=True
        )
        c = bootstrap(settings)
        try:
            migrate(c.db, c.store, c.runner)
            say(f"loading {args.clients} clients' stories ...")
            d = load(c, args.clients)
        finally:
            c.close()
        say(f"loaded {d.events:,} events; starting the servers")
        chosen = [f for f in figures(d, args.connections) if wanted is None or f.name in wanted]
        env = server_env(url, d)
        sections: dict[str, str] = {}
        with servers(env, args.workers, tmp) as running:
            small = run_figures(chosen, running, d, args, tmp, url)
            if small:  # written at once: a later phase that fails does not lose it
                sections[report.THROUGHPUT] = report.throughput(small, conditions(args, d))
                report.write(args.out, sections)
            if wanted is None or "lag" in wanted:
                say(f"lag: {args.lag_rate:g} POSTs/s for {args.lag_seconds:g} s, one worker ...")
                try:
                    result = lag.measure(
                        url,
                        running.ours_url,
                        d.writer_key,
                        d.writer_plans,
                        env,
                        tmp,
                        api_pid=running.ours_pid,
                        rate=args.lag_rate,
                        seconds=args.lag_seconds,
                    )
                except (RuntimeError, TimeoutError) as exc:  # the rest of the run goes on
                    say(f"lag not measured: {exc}")
                else:
                    say(
                        f"lag p50 {result.p50_ms:.0f} ms p99 {result.p99_ms:.0f} ms (own read"
                        f" model p99 {result.own_p99_ms:.0f} ms), {result.failed} failed,"
                        f" {result.missing} never seen"
                    )
                    sections[report.LAG] = report.lag(result, lag_conditions(args, d, result))
                    report.write(args.out, sections)
        if args.scale:
            sections[report.SCALE] = grown(args, settings, d, env, small, tmp)
        say(report.write(args.out, sections))
    return 0


def lag_conditions(args: argparse.Namespace, d: Dataset, result: lag.LagResult) -> dict[str, str]:
    return {
        **report.machine(),
        "client": f"httpx, open loop, {args.lag_rate:g} POSTs/s for {args.lag_seconds:g} s"
        " (after 2 s not counted), on the same machine",
        "server": f"`techplan serve`, {args.workers} process(es); one `techplan worker`"
        f" folding {result.projections} projections (LISTEN/NOTIFY)",
        "CPU a command": ", ".join(f"{k} {v:.1f} ms" for k, v in result.cpu_ms.items())
        + " (the API's and worker's processes, PostgreSQL's backends of the database),"
        " from the first send until the last command was folded",
        "data": f"the commands' tenant's {len(d.writer_plans)} plans, in turn; {d.events:,}"
        " events in all before the wrk figures' commands",
    }


def grown(
    args: argparse.Namespace,
    settings: Settings,
    d: Dataset,
    env: dict[str, str],
    small: Sequence[Outcome],
    tmp: Path,
) -> str:
    """Grow a copy of the small store; then the read figures on the small store again and on
    the large one, one right after the other, so both see the same machine."""
    from bench import scale

    reads = [o.figure for o in small if o.figure.ours.method == "GET"]
    url = settings.require_database()
    with scale.copy_of(url) as large_url:
        loaded = scale.grow(
            settings.with_(database_url=large_url),
            bench_tenant=d.tenant_id,
            tenants=args.scale_tenants,
            clients=args.scale_clients,
            events=args.scale_events,
        )
        say("the large store is folded; the read figures on the small store again ...")
        with servers(env, args.workers, tmp) as running:
            again = run_figures(reads, running, d, args, tmp, url)
        say("... and on the large store")
        env = {**env, "DATABASE_URL": large_url, "TECHPLAN_REDIS_PREFIX": f"tp-large:{SECRET[:8]}"}
        with servers(env, args.workers, tmp) as running:
            large = run_figures(reads, running, d, args, tmp, large_url)
    return report.scale(again, large, loaded, conditions(args, d))


if __name__ == "__main__":
    sys.exit(main())
