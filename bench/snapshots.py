"""How long loading a technology plan with a long history takes, with and without snapshots.

    uv run python -m bench.snapshots [--events 5000] [--repeat 15]

It creates a throwaway role and database (connecting as `postgres` only to create and drop
them; set TECHPLAN_BENCH_ADMIN_URL, default postgresql://postgres@127.0.0.1:5432/postgres),
writes one plan of `--events` events through the domain's own commands (one save per
decision, as the API does, so the event store snapshots it every `--interval` versions), then
loads it repeatedly through two event stores on the same tables: one that reads the latest
snapshot and the events after it, one with snapshotting off that replays every event. Both are
measured in the same run, interleaved; the answer is their ratio. Then the same at a version
just before the next snapshot (the worst case, `interval - 1` events after a snapshot).
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from itertools import cycle
from uuid import UUID, uuid4

import psycopg

from domain.calendar import FiscalQuarter
from domain.plan import Period, RecurringCost, TechnologyPlan
from domain.shared import Actor, Decision, Money, Priority
from infra.eventstore import EventStore
from services.settings import Settings
from services.store import Store

ADMIN_URL = os.environ.get(
    "TECHPLAN_BENCH_ADMIN_URL",
    os.environ.get("TECHPLAN_TEST_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
)
VERA = Actor("bench", "Vera (vCIO)", "editor")
CURRENCY = "EUR"
INITIATIVES = 60


@contextmanager
def throwaway_database() -> Iterator[str]:
    """An ordinary role owning a fresh database, both dropped afterwards."""
    name = f"techplan_bench_{secrets.token_hex(4)}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {name} LOGIN NOSUPERUSER NOCREATEROLE NOBYPASSRLS")
        admin.execute(f"CREATE DATABASE {name} OWNER {name}")
    base = psycopg.conninfo.conninfo_to_dict(ADMIN_URL)
    try:
        yield f"postgresql://{name}@{base.get('host', '127.0.0.1')}:{base.get('port', 5432)}/{name}"
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"DROP ROLE IF EXISTS {name}")


def decisions(start: datetime) -> Iterator[Decision]:
    for n in range(10**9):
        yield Decision(VERA, start + timedelta(minutes=n), f"bench-{n}", "weekly plan review")


def write_plan(store: Store, events: int) -> UUID:
    """One plan: INITIATIVES proposals, then a stream of single-field changes to them
    (rescheduled, re-estimated, reprioritised, retitled), one save per decision."""
    by = decisions(datetime(2026, 1, 5, 9, tzinfo=UTC))
    plan = TechnologyPlan.create(
        id=uuid4(),
        tenant_id=uuid4(),
        client_id=uuid4(),
        title="FY2027 technology plan",
        strategy_id=uuid4(),
        by=next(by),
    )
    goal = uuid4()
    ids = [uuid4() for _ in range(INITIATIVES)]
    for n, iid in enumerate(ids):
        plan.propose_initiative(
            initiative_id=iid,
            title=f"Initiative {n}",
            category="security",
            goal_ids=[goal],
            target_quarter=FiscalQuarter(2027, n % 4 + 1),
            one_time_cost=Money(100_000 + n, CURRENCY),
            recurring_cost=RecurringCost(2_500, CURRENCY, Period.MONTH, 1 + n % 5),
            priority=Priority.MEDIUM,
            currency=CURRENCY,
            by=next(by),
        )
        store.save(plan)
    changes: list[Callable[[UUID, int], None]] = [
        lambda iid, n: plan.update_initiative(
            iid,
            target_quarter=FiscalQuarter(2027 + n % 3, n % 4 + 1),
            currency=CURRENCY,
            by=next(by),
        ),
        lambda iid, n: plan.update_initiative(
            iid, one_time_cost=Money(100_000 + n, CURRENCY), currency=CURRENCY, by=next(by)
        ),
        lambda iid, n: plan.update_initiative(
            iid, priority=list(Priority)[n % 4], currency=CURRENCY, by=next(by)
        ),
        lambda iid, n: plan.update_initiative(
            iid, title=f"Initiative, revision {n}", currency=CURRENCY, by=next(by)
        ),
    ]
    for n, (change, iid) in enumerate(zip(cycle(changes), cycle(ids), strict=False)):
        if plan.version >= events:
            break
        change(iid, n)
        if plan.pending_events:
            store.save(plan)
    assert plan.version == events, plan.version
    return plan.id


def timed(load: Callable[[], TechnologyPlan]) -> float:
    started = time.perf_counter()
    load()
    return time.perf_counter() - started


def compare(
    with_snapshots: EventStore, without: EventStore, plan_id: UUID, version: int | None, repeat: int
) -> tuple[float, float]:
    """Median seconds per load (with, without), measured interleaved after a warm-up."""

    def loader(app: EventStore) -> Callable[[], TechnologyPlan]:
        return lambda: app.repository.get(plan_id, version=version)

    a, b = loader(with_snapshots), loader(without)
    assert a().view() == b().view()  # the same plan either way
    fast, slow = [], []
    for _ in range(repeat):
        fast.append(timed(a))
        slow.append(timed(b))
    return statistics.median(fast), statistics.median(slow)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--interval", type=int, default=Settings().snapshot_interval)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with throwaway_database() as url:
        env = Settings(database_url=url).eventsourcing_env()
        with_snapshots = EventStore(env, args.interval)
        without = EventStore({**env, "IS_SNAPSHOTTING_ENABLED": "n"}, args.interval)
        assert with_snapshots.snapshots is not None and without.snapshots is None
        try:
            store = Store(with_snapshots)
            store.create_tables()
            started = time.perf_counter()
            plan_id = write_plan(store, args.events)
            took = time.perf_counter() - started
            print(f"wrote a plan of {args.events:,} events in {took:.1f} s", flush=True)
            latest_snapshot = args.events - args.events % args.interval
            worst = args.events - 1 if args.events % args.interval == 0 else args.events
            header = f"{'load':<44}{'snapshots':>11}{'replay':>11}{'ratio':>8}"
            print(header)
            print("-" * len(header))
            cases: list[tuple[str, int | None]] = [
                (f"latest (v{args.events}, a snapshot at v{latest_snapshot})", None)
            ]
            if worst != args.events:
                cases.append((f"v{worst} ({worst % args.interval} events after a snapshot)", worst))
            for label, version in cases:
                fast, slow = compare(with_snapshots, without, plan_id, version, args.repeat)
                print(
                    f"{label:<44}{fast * 1000:>8.1f} ms{slow * 1000:>8.1f} ms{slow / fast:>7.0f}x"
                )
        finally:
            with_snapshots.close()
            without.close()


if __name__ == "__main__":
    main()
