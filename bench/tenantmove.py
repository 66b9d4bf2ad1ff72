"""Moving a tenant between databases (cells): export, import, catch-up, purge, timed.

    uv run python -m bench.tenantmove [--events 100000]

Two databases of their own, each owned by an ordinary role (like the tests). The source gets
the demo tenant (`techplan dev`'s data) and a tenant with `--events` events told as clients'
stories (bench/workload.py). For each tenant, through the real CLI as an operator runs it:

- `techplan tenants export ID --out FILE` on the source: wall time and file size;
- `techplan tenants import FILE` into the target: wall time;
- the target's projections folding the imported events (in process): time;
- `techplan tenants purge ID --confirm ID` on the source: wall time.

The baseline measured in the same run is `pg_dump --data-only` of the source's events table
(the tenant's events are a share of it), so the ratio says what the tenant format costs over
PostgreSQL's own dump of the same rows.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from uuid import UUID

from bench.readside import ADMIN_URL, REDIS_URL, own_database, say
from bench.workload import Workload
from services.bootstrap import Container, bootstrap
from services.demo import find_demo_tenant, load_demo
from services.schema import migrate
from services.settings import Settings
from services.tenancy.export import events_table, tenant_events


def techplan(url: str, *args: str) -> float:
    """Run `techplan ARGS` against `url`; the wall time in seconds."""
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": REDIS_URL}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "services.cli", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def count_events(c: Container, tenant_id: UUID) -> int:
    with c.db.tx() as cur:
        return sum(1 for _ in tenant_events(cur, events_table(c.store.app), tenant_id))


def dump_seconds(url: str, table: str, out: Path) -> tuple[float, int]:
    started = time.perf_counter()
    with out.open("wb") as f:
        subprocess.run(["pg_dump", "--data-only", "--table", table, url], stdout=f, check=True)
    return time.perf_counter() - started, out.stat().st_size


def move(
    source: Container,
    source_url: str,
    target: Container,
    target_url: str,
    tenant_id: UUID,
    label: str,
    work: Path,
) -> dict[str, float]:
    events = count_events(source, tenant_id)
    file = work / f"{label}.ndjson"
    export_s = techplan(source_url, "tenants", "export", str(tenant_id), "--out", str(file))
    import_s = techplan(target_url, "tenants", "import", str(file))
    started = time.perf_counter()
    target.runner.catch_up(limit=2000)
    fold_s = time.perf_counter() - started
    purge_s = techplan(source_url, "tenants", "purge", str(tenant_id), "--confirm", str(tenant_id))
    size = file.stat().st_size
    say(
        f"{label:<14} {events:>8,} events  export {export_s:6.2f} s  {size / 1e6:7.1f} MB"
        f"  import {import_s:6.2f} s  fold {fold_s:6.2f} s  purge {purge_s:5.2f} s"
    )
    return {"events": events, "export": export_s, "import": import_s, "size": size}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.tenantmove", description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args(argv)
    say(f"techplan tenant move bench (admin {ADMIN_URL}), {os.cpu_count()} CPUs")
    with own_database() as source_url, own_database() as target_url:
        source = bootstrap(Settings(database_url=source_url, redis_url=REDIS_URL))
        target = bootstrap(Settings(database_url=target_url, redis_url=REDIS_URL))
        try:
            migrate(source.db, source.store, source.runner)
            migrate(target.db, target.store, target.runner)
            load_demo(source)
            demo = find_demo_tenant(source)
            assert demo is not None
            workload = Workload(source.store, seed=3, tenants=1)
            big = workload.tenants[0]
            with source.db.tx() as cur:
                cur.execute(
                    "INSERT INTO tenants (id, name, created_at) VALUES (%s, 'Bench MSP', now())",
                    (big,),
                )
            workload.write(args.events, rounds=12)
            source.runner.catch_up(limit=2000)
            with tempfile.TemporaryDirectory() as tmp:
                work = Path(tmp)
                total = source.store.max_position()
                dump_s, dump_size = dump_seconds(
                    source_url, events_table(source.store.app), work / "events.sql"
                )
                startup = techplan(source_url, "projections", "status")
                say(f"baseline: a CLI process that only connects: {startup:.2f} s")
                say(
                    f"baseline: pg_dump --data-only of the events table ({total:,} events):"
                    f" {dump_s:.2f} s, {dump_size / 1e6:.1f} MB"
                )
                move(source, source_url, target, target_url, demo, "demo tenant", work)
                big_move = move(
                    source, source_url, target, target_url, big, "workload tenant", work
                )
                per_event = big_move["export"] / big_move["events"]
                say(
                    f"export per event {per_event * 1e6:.1f} us vs pg_dump"
                    f" {dump_s / total * 1e6:.1f} us ({(dump_s / total) / per_event:.2f} x)"
                )
        finally:
            source.close()
            target.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
