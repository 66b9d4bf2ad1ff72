"""The API SIGKILLed in the middle of a command, then the same request retried with the same
`Idempotency-Key`: exactly one effect, whether the process died before the command's events
committed or after (with its answer lost).

The moment of the kill is made certain with PostgreSQL locks held by the test: the event
table's lock holds a command just before its commit; a row lock on the idempotency record
holds the recording of the answer (which the client gets only once it is recorded) just after it.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import psycopg
import pytest

from tests.faults.conftest import bearer, new_tenant
from tests.faults.processes import Cluster, Techplan, wait_for

LEASE = 5 + 5  # TECHPLAN_REQUEST_TIMEOUT of the fixture + services/idempotency.LEASE_MARGIN


class Strategy:
    def __init__(self, app: Techplan, key: str) -> None:
        self.app = app
        self.key = key
        with self.http() as h:
            client = h.post("/v1/clients", json={"name": "Contoso"}).json()
            r = h.post(f"/v1/clients/{client['id']}/strategies", json={"title": "Resilience"})
            assert r.status_code == 201, r.text
            self.id = r.json()["id"]

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.app.base_url, timeout=30, headers=bearer(self.key))

    def add_goal(self, title: str) -> httpx.Response:
        with self.http() as h:
            return h.post(
                f"/v1/strategies/{self.id}/goals",
                json={"title": title, "priority": "high"},
                headers={"Idempotency-Key": title},
            )

    def goals_titled(self, title: str) -> int:
        with self.http() as h:
            r = h.get(f"/v1/strategies/{self.id}")
            assert r.status_code == 200, r.text
            return sum(1 for g in r.json()["goals"] if g["title"] == title)


@contextmanager
def in_background(strategy: Strategy, title: str) -> Iterator[list[Any]]:
    """Send the command from a thread; what it got (an answer or an error) lands in the list."""
    outcome: list[Any] = []

    def send() -> None:
        try:
            outcome.append(strategy.add_goal(title))
        except httpx.HTTPError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=send)
    thread.start()
    try:
        yield outcome
    finally:
        thread.join(timeout=60)


def retry_until_settled(strategy: Strategy, title: str) -> httpx.Response:
    """What a client does after losing its answer: repeat with the same key while the first
    attempt may still be running (409 with the plain conflict type)."""

    def settled() -> httpx.Response | None:
        r = strategy.add_goal(title)
        if r.status_code == 409 and r.json()["type"].endswith("/409"):
            return None  # "still running": its lease has not ended yet
        return r

    answer: httpx.Response = wait_for(settled, timeout=LEASE + 20, what="the retry is answered")
    return answer


def kill_and_restart(app: Techplan, serve: Any) -> Any:
    serve.kill()
    serve.wait(timeout=10)
    return app.serve()


@pytest.fixture
def db(cluster: Cluster, techplan: Techplan) -> Iterator[psycopg.Connection[Any]]:
    """The test's own superuser connection to the API's database, to hold locks with."""
    url = techplan.env["DATABASE_URL"].replace("techplan@", "postgres@")
    with psycopg.connect(url) as conn:
        yield conn


def test_killed_before_the_commit_then_retried_applies_once(
    techplan: Techplan, db: psycopg.Connection[Any]
) -> None:
    app = techplan
    serve = app.serve()
    strategy = Strategy(app, new_tenant(app))
    title = "before-commit-" + secrets.token_hex(3)

    db.execute("LOCK TABLE techplan_events IN EXCLUSIVE MODE")  # commands wait here
    with in_background(strategy, title) as outcome:

        def command_waits_on_the_lock() -> bool:
            with psycopg.connect(db.info.dsn, autocommit=True) as look:
                waiting = look.execute(
                    "SELECT count(*) FROM pg_locks WHERE relation = 'techplan_events'::regclass"
                    " AND NOT granted"
                ).fetchone()
            return bool(waiting and waiting[0])

        wait_for(command_waits_on_the_lock, timeout=30, what="the command waits to commit")
        serve = kill_and_restart(app, serve)
        db.rollback()  # the killed command's transaction may go on now: it must not commit
    assert isinstance(outcome[0], httpx.HTTPError), "the first attempt got no answer"

    r = retry_until_settled(strategy, title)
    assert r.status_code == 201, r.text
    assert strategy.goals_titled(title) == 1
    again = strategy.add_goal(title)
    assert again.status_code == 201 and again.headers.get("idempotent-replayed") == "true"
    assert strategy.goals_titled(title) == 1


def test_killed_after_the_commit_then_retried_applies_once(
    techplan: Techplan, db: psycopg.Connection[Any]
) -> None:
    app = techplan
    serve = app.serve()
    strategy = Strategy(app, new_tenant(app))

    for attempt in range(10):
        title = f"after-commit-{attempt}-" + secrets.token_hex(3)
        caught = None
        with in_background(strategy, title) as outcome:
            # The command's events (and `applied_at`, in the same transaction) are committed:
            # take the idempotency row's lock before the API records its answer there.
            deadline = time.monotonic() + 30
            while caught is None and not outcome and time.monotonic() < deadline:
                caught = db.execute(
                    "SELECT state FROM idempotency_keys WHERE key = %s"
                    " AND applied_at IS NOT NULL FOR NO KEY UPDATE SKIP LOCKED",
                    (title,),
                ).fetchone()
                if caught is None:
                    db.rollback()
            if caught is not None and caught[0] == "running":
                serve = kill_and_restart(app, serve)
            db.rollback()
        if caught is not None and caught[0] == "running":
            break
    else:
        print(db.execute("SELECT key, state, applied_at, token FROM idempotency_keys").fetchall())
        pytest.fail("never caught a command between its commit and its answer")
    assert isinstance(outcome[0], httpx.HTTPError), "the first attempt got no answer"
    assert strategy.goals_titled(title) == 1

    r = retry_until_settled(strategy, title)
    assert r.status_code == 409, r.text
    problem = r.json()
    assert problem["type"].endswith("/idempotency-response-lost")
    assert "applied" in problem["detail"]
    assert strategy.goals_titled(title) == 1, "the retry applied nothing more"
    print(f"caught after the commit on attempt {attempt + 1}")
