"""Read models folded from given events, exactly once through crashes, invisible without the
tenant setting; an event a projection cannot fold parks its aggregate there and says so."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import pytest

from bench.workload import Workload
from domain.calendar import FiscalQuarter
from domain.client import Client
from domain.plan import Period, RecurringCost, TechnologyPlan
from domain.review import Review
from domain.shared import Actor, Decision, Money, Priority
from domain.strategy import Strategy
from projections import alignment, audit, portfolio, reviews, roadmap
from tests.integration.readside import (
    assert_equal_to_rebuild,
    audit_positions,
    dump,
    event_positions,
    own_container,
    read_models,
)

VERA = Actor("k1", "Vera", "editor")


def by(rationale: str | None = None) -> Decision:
    return Decision(VERA, datetime.now(UTC), "req-1", rationale)


@pytest.fixture
def c(settings: Any) -> Iterator[Any]:
    with own_container(settings) as container:
        yield container


def a_client_with_a_plan(c: Any) -> tuple[Client, Strategy, TechnologyPlan, Any]:
    tenant = uuid4()
    client = Client.create(
        id=uuid4(),
        tenant_id=tenant,
        name="Contoso",
        fiscal_year_start_month=7,
        currency="EUR",
        by=by(),
    )
    strategy = Strategy.create(
        id=uuid4(), tenant_id=tenant, client_id=client.id, title="IT 2027", vision=None, by=by()
    )
    goal = uuid4()
    strategy.add_goal(
        goal_id=goal, title="Resilience", description=None, priority=Priority.HIGH, by=by()
    )
    strategy.adopt(by("board approved"))
    client.activate_strategy(strategy.id, by("board approved"))
    plan = TechnologyPlan.create(
        id=uuid4(),
        tenant_id=tenant,
        client_id=client.id,
        title="Plan",
        strategy_id=strategy.id,
        by=by(),
    )
    return client, strategy, plan, goal


def test_projections_fold_given_events(c: Any) -> None:
    client, strategy, plan, goal = a_client_with_a_plan(c)
    aligned, stray = uuid4(), uuid4()
    for iid, goals, quarter in ((aligned, [goal], "FY2027-Q2"), (stray, [], None)):
        plan.propose_initiative(
            initiative_id=iid,
            title="Immutable backups",
            category="backup_dr",
            goal_ids=goals,
            target_quarter=FiscalQuarter.parse(quarter) if quarter else None,
            one_time_cost=Money(90_000, "EUR"),
            recurring_cost=RecurringCost(1_000, "EUR", Period.MONTH, 2),
            priority="high",
            currency="EUR",
            by=by(),
        )
    plan.approve_initiative(
        aligned,
        strategy_status="active",
        active_goal_ids=[goal],
        by=by("ransomware hit a peer"),
    )
    review = Review.create(
        id=uuid4(),
        tenant_id=client.tenant_id,
        client_id=client.id,
        title="QBR",
        scheduled_for=date(2027, 1, 10),
        attendees=["Vera"],
        by=by(),
    )
    position = c.store.save(client, strategy, plan, review)
    review.complete(summary="ok", head_position=position, by=by())
    last = c.store.save(review)
    c.runner.catch_up()
    assert all(s["position"] == last and not s["error"] for s in c.runner.status())

    with c.db.tenant_tx(client.tenant_id) as cur:
        rows = audit.search(cur, audit.AuditFilter(), before=None, limit=100)
        assert [p for p, _ in rows] == sorted(event_positions(c), reverse=True)
        approved = next(item for _, item in rows if item["type"] == "plan.initiative_approved")
        assert approved["rationale"] == "ransomware hit a peer"
        assert approved["actor"] == {"id": "k1", "name": "Vera", "role": "editor"}
        assert approved["changes"] == [
            {"path": f"/initiatives/{aligned}/status", "before": "proposed", "after": "approved"}
        ]
        found = audit.search(cur, audit.AuditFilter(q="ransomware peers"), before=None, limit=5)
        assert [item["type"] for _, item in found] == ["plan.initiative_approved"]

        calendar = roadmap.client_calendar(cur, client.id)
        assert calendar is not None and calendar["fiscal_year_start_month"] == 7
        q2 = FiscalQuarter.parse("FY2027-Q2")
        road = roadmap.roadmap(cur, calendar, q2, q2)
        assert road["quarters"][0]["starts_on"] == "2026-10-01"
        assert road["quarters"][0]["one_time_total"] == {"amount_minor": 90_000, "currency": "EUR"}
        assert road["quarters"][0]["recurring_annual_total"]["amount_minor"] == 24_000
        assert [i["id"] for i in road["unscheduled"]] == [str(stray)]

        aligned_view = alignment.alignment(cur, client.id)
        assert [i["id"] for i in aligned_view["goals"][0]["initiatives"]] == [str(aligned)]
        assert [i["id"] for i in aligned_view["unaligned_initiatives"]] == [str(stray)]

        ((_, row),) = portfolio.list_portfolio(
            cur, client_ids=None, after=0, limit=10, today=date(2026, 8, 1)
        )
        assert row["initiatives_by_status"]["approved"] == 1
        assert row["unaligned_initiatives"] == 1
        assert [i["id"] for i in row["next_quarter_initiatives"]] == [str(aligned)]

        held = reviews.get_review(cur, review.id)
        assert held == review.view()


def test_read_models_are_invisible_without_the_tenant(c: Any) -> None:
    Workload(c.store, tenants=2).write(200, rounds=1)
    c.runner.catch_up()
    mine = Workload(c.store, tenants=1)
    mine.write(50, rounds=1)
    c.runner.catch_up()
    for name in read_models(c):
        for table in c.runner.by_name[name].tables:
            with c.db.projector_tx() as cur:
                cur.execute(f"SELECT count(*) AS n FROM {table}")
                everything = cur.fetchone()["n"]
            with c.db.tx() as cur:  # no tenant set: nothing, whatever the WHERE
                cur.execute(f"SELECT count(*) AS n FROM {table}")
                assert cur.fetchone()["n"] == 0, table
            with c.db.tenant_tx(mine.tenants[0]) as cur:
                cur.execute(f"SELECT count(DISTINCT tenant_id) AS t, count(*) AS n FROM {table}")
                seen = cur.fetchone()
                assert seen["t"] <= 1 and seen["n"] < everything, table
            with c.db.tenant_tx(uuid4()) as cur:
                cur.execute(f"SELECT count(*) AS n FROM {table}")
                assert cur.fetchone()["n"] == 0, table


def test_exactly_once_through_a_crash_between_batches(
    c: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    Workload(c.store).write(1500, rounds=2)
    trail = c.runner.by_name["audit"]
    assert c.runner.run_batch(trail, limit=200).folded == 200

    real_flush = type(trail).flush

    def crash_after_writing(self: Any, cur: Any) -> None:
        real_flush(self, cur)  # the rows are written...
        raise ConnectionError("worker died")  # ...but the position never is

    monkeypatch.setattr(type(trail), "flush", crash_after_writing)
    result = c.runner.run_batch(trail, limit=200)
    assert result.error and "worker died" in result.error
    assert c.runner.positions()["audit"] == 200
    assert audit_positions(c) == event_positions(c)[:200]  # the crashed batch left nothing

    monkeypatch.setattr(type(trail), "flush", real_flush)
    c.runner.catch_up(limit=300)
    assert audit_positions(c) == event_positions(c)
    assert_equal_to_rebuild(c)


def test_a_fold_that_fails_parks_its_aggregate_and_the_rest_goes_on(
    c: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    workload = Workload(c.store)
    workload.write(300, rounds=1)
    c.runner.catch_up()
    first_new = c.store.max_position() + 1
    workload.write(300, rounds=1)
    head = c.store.max_position()
    fold = reviews.projection.folds["review.created"]

    def broken(cur: Any, e: Any, position: int) -> None:
        raise ValueError("cannot fold this review")

    monkeypatch.setitem(reviews.projection.folds, "review.created", broken)
    c.runner.catch_up(["reviews"])
    status = {s["name"]: s for s in c.runner.status()}["reviews"]
    parked = status["parked"]
    # the projection went on to the head: only the new reviews wait
    assert status["position"] == head and status["lag"] == 0 and status["error"] is None
    assert parked["aggregates"] > 0 and parked["events"] > parked["aggregates"]  # and behind
    assert all(h["position"] >= first_new for h in parked["heads"])
    assert all("cannot fold this review" in h["error"] for h in parked["heads"])
    with c.db.projector_tx() as cur:
        cur.execute("SELECT aggregate_id, position FROM projection_parked ORDER BY position")
        rows = cur.fetchall()
        cur.execute("SELECT id FROM reviews_view")
        folded_reviews = {r["id"] for r in cur.fetchall()}
    waiting = {r["aggregate_id"] for r in rows}
    assert not waiting & folded_reviews  # nothing of a parked review was folded...
    assert len(folded_reviews) > 0  # ...and the reviews before it were
    assert [r["position"] for r in rows] == [
        p for p in event_positions(c) if p in {r["position"] for r in rows}
    ]

    out = techplan(c, "projections", "status")
    assert out.returncode == 0, out.stderr
    line = next(line for line in out.stdout.splitlines() if line.startswith("reviews"))
    assert f"position {head:>10}" in line and "lag        0" in line
    assert f"PARKED {parked['events']} events of {parked['aggregates']} aggregates" in line
    first = parked["heads"][0]
    assert f"parked at {first['position']}: aggregate {first['aggregate_id']}" in out.stdout

    # a rebuild does not stop there either: from position 0 it parks every review
    from projections.rebuild import rebuild

    rebuild(c.runner, "reviews")
    with c.db.projector_tx() as cur:
        cur.execute("SELECT aggregate_id, position FROM projection_parked ORDER BY position")
        rebuilt = cur.fetchall()
        cur.execute("SELECT count(*) AS n FROM reviews_view")
        assert cur.fetchone()["n"] == 0
    assert set(map(str, rows)) < set(map(str, rebuilt))
    assert {s["name"]: s for s in c.runner.status()}["reviews"]["position"] == head

    # fixed (the CLI is another process, without the broken fold): they fold in order
    monkeypatch.setitem(reviews.projection.folds, "review.created", fold)
    out = techplan(c, "projections", "retry", "reviews")
    assert out.returncode == 0, out.stderr
    assert f"{len(rebuilt)} parked events folded, 0 still parked" in out.stdout
    status = {s["name"]: s for s in c.runner.status()}["reviews"]
    assert status["parked"]["events"] == 0 and status["lag"] == 0
    assert_equal_to_rebuild(c, ["reviews"])


def test_parked_events_fold_after_a_fix_and_a_restart(
    c: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from projections.runner import Runner

    Workload(c.store).write(300, rounds=1)
    fold = audit.projection.folds.get("review.completed")
    poisoned: set[Any] = set()

    def broken(self: Any, cur: Any, event: Any, position: int) -> None:
        if event.originator_id in poisoned or (
            not poisoned and event.type_name() == "review.completed"
        ):
            poisoned.add(event.originator_id)
            raise ValueError("cannot fold this event")
        real(self, cur, event, position)

    real = type(audit.projection).fold
    monkeypatch.setattr(type(audit.projection), "fold", broken)
    c.runner.catch_up(["audit"])
    status = {s["name"]: s for s in c.runner.status()}["audit"]
    assert status["lag"] == 0 and status["parked"]["aggregates"] == 1
    assert status["parked"]["heads"][0]["aggregate_id"] == str(next(iter(poisoned)))
    assert len(audit_positions(c)) == len(event_positions(c)) - status["parked"]["events"]

    monkeypatch.setattr(type(audit.projection), "fold", real)
    restarted = Runner(c.db, c.store.app, c.runner.projections)
    restarted.catch_up(["audit"])  # its first look folds what waits, before anything new
    assert audit_positions(c) == event_positions(c)
    assert {s["name"]: s for s in c.runner.status()}["audit"]["parked"]["events"] == 0
    assert fold is None  # the audit folds every event through one method
    assert_equal_to_rebuild(c, ["audit"])


def test_rebuild_shows_progress_and_swaps_in_equal_tables(c: Any) -> None:
    Workload(c.store).write(1000, rounds=2)
    c.runner.catch_up()
    before = dump(c, "audit")
    out = techplan(c, "projections", "rebuild", "audit")
    assert out.returncode == 0, out.stderr
    assert "[##############################]" in out.stderr
    assert "rebuilt audit:" in out.stderr and "events/s" not in out.stdout
    assert dump(c, "audit") == before
    unknown = techplan(c, "projections", "rebuild", "nope")
    assert unknown.returncode == 2 and "no projection 'nope'" in unknown.stderr


def techplan(c: Any, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TECHPLAN_")}
    env.update(DATABASE_URL=c.settings.database_url, REDIS_URL=c.settings.redis_url)
    return subprocess.run(
        [sys.executable, "-m", "services.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_one_rebuild_of_a_projection_at_a_time(c: Any) -> None:
    import psycopg

    from projections.rebuild import RebuildRunning, rebuild

    with psycopg.connect(c.settings.database_url, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(hashtext('techplan.rebuild'), hashtext('audit'))")
        with pytest.raises(RebuildRunning):
            rebuild(c.runner, "audit")
        assert rebuild(c.runner, "reviews") == 0  # another projection is free to rebuild
    assert rebuild(c.runner, "audit") == 0  # the lock went with the other session
