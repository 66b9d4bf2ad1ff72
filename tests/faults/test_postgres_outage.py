"""PostgreSQL stopped under load: while it is down every request answers 503 problem+json
with `Retry-After` within the request timeout (never a hang, never a 500), and once it is
back the same `techplan serve` and `techplan worker` processes serve again."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

import httpx

from tests.faults.conftest import bearer, new_tenant
from tests.faults.processes import Cluster, Techplan, wait_for

REQUEST_TIMEOUT = 5.0  # TECHPLAN_REQUEST_TIMEOUT of the fixture
SLACK = 2.0  # scheduling on a busy 2-core machine


@dataclass
class Call:
    started: float
    ended: float
    status: int  # 0: no answer at all
    content_type: str
    retry_after: str | None


class Load:
    """Clients creating and reading clients in a loop, every call recorded."""

    def __init__(self, app: Techplan, key: str, threads: int = 4) -> None:
        self.app = app
        self.key = key
        self.calls: list[Call] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run) for _ in range(threads)]
        self.created: list[str] = []

    def __enter__(self) -> Load:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)

    def _run(self) -> None:
        with httpx.Client(base_url=self.app.base_url, timeout=60, headers=bearer(self.key)) as h:
            while not self.stop.is_set():
                name = "load " + secrets.token_hex(4)
                started = time.monotonic()
                try:
                    # Every other command with an Idempotency-Key: that layer talks to the
                    # database before the command does.
                    headers = {"Idempotency-Key": name} if len(self.calls) % 2 else {}
                    r = h.post("/v1/clients", json={"name": name}, headers=headers)
                    if r.status_code == 201:
                        self.created.append(r.json()["id"])
                        r = h.get(f"/v1/clients/{r.json()['id']}")
                    call = Call(
                        started,
                        time.monotonic(),
                        r.status_code,
                        r.headers.get("content-type", ""),
                        r.headers.get("retry-after"),
                    )
                except httpx.HTTPError:
                    call = Call(started, time.monotonic(), 0, "", None)
                self.calls.append(call)
                if call.status != 201 and call.status != 200:
                    time.sleep(0.05)  # a client backs off a little on errors

    def since(self, t: float) -> list[Call]:
        return [c for c in list(self.calls) if c.started >= t]


def test_postgres_stopped_under_load_answers_503_then_recovers(
    techplan: Techplan, cluster: Cluster
) -> None:
    app = techplan
    serve = app.serve()
    worker = app.worker()
    key = new_tenant(app)

    with Load(app, key) as load:
        wait_for(lambda: len(load.created) >= 5, timeout=30, what="the load is running")
        cluster.stop("fast")
        stopped = time.monotonic()
        time.sleep(8)  # the outage: the load keeps going
        during = [c for c in load.since(stopped + 0.5) if c.ended < time.monotonic()]
        cluster.start()
        restarted = time.monotonic()
        wait_for(
            lambda: any(c.status in (200, 201) for c in load.since(restarted)),
            timeout=20,
            what="requests succeed again after PostgreSQL is back",
        )
        recovered = time.monotonic() - restarted
        time.sleep(1)

    assert len(during) >= 10, "the load kept asking while PostgreSQL was down"
    statuses = {c.status for c in during}
    assert statuses == {503}, statuses
    assert all(c.content_type.startswith("application/problem+json") for c in during)
    assert all(c.retry_after and int(c.retry_after) >= 1 for c in during)
    slowest = max(c.ended - c.started for c in load.calls)
    assert slowest < REQUEST_TIMEOUT + SLACK, f"a request took {slowest:.1f}s"
    assert 500 not in {c.status for c in load.calls}
    assert 0 not in {c.status for c in load.calls}, "a request got no answer at all"
    print(f"outage calls {len(during)}, slowest {slowest:.2f}s, recovered in {recovered:.1f}s")

    # The same processes, never restarted, serve reads and the read side again.
    assert serve.poll() is None and worker.poll() is None
    with httpx.Client(base_url=app.base_url, timeout=30, headers=bearer(key)) as h:
        r = h.post("/v1/clients", json={"name": "after the outage"})
        assert r.status_code == 201, r.text
        position = r.json()["position"]
        r = h.get("/v1/clients", params={"min_position": position, "limit": 500})
        assert r.status_code == 200, r.text
        listed = {c["id"] for c in r.json()["items"]}
    assert set(load.created) <= listed, "every acknowledged client is kept and projected"


def test_postgres_frozen_under_load_answers_within_the_request_timeout(
    techplan: Techplan, cluster: Cluster
) -> None:
    """SIGSTOPped, PostgreSQL accepts connections (the kernel does) and never answers: no
    error ever comes, so only the request timeout can answer the clients."""
    app = techplan
    serve = app.serve()
    worker = app.worker()
    key = new_tenant(app)

    with Load(app, key) as load:
        wait_for(lambda: len(load.created) >= 5, timeout=30, what="the load is running")
        frozen = cluster.freeze()
        froze = time.monotonic()
        try:
            time.sleep(2 * REQUEST_TIMEOUT + 3)  # a few rounds of timed-out requests
        finally:
            cluster.thaw(frozen)
        thawed = time.monotonic()
        during = [c for c in load.since(froze + 0.5) if c.ended < thawed]
        wait_for(
            lambda: any(c.status in (200, 201) for c in load.since(thawed + 1)),
            timeout=30,
            what="requests succeed again after PostgreSQL is thawed",
        )

    assert len(during) >= 3, "requests were answered while PostgreSQL hung"
    assert {c.status for c in during} == {503}
    assert all(c.content_type.startswith("application/problem+json") for c in during)
    assert all(c.retry_after for c in during)
    slowest = max(c.ended - c.started for c in load.calls)
    assert slowest < REQUEST_TIMEOUT + SLACK, f"a request took {slowest:.1f}s"
    assert {0, 500}.isdisjoint({c.status for c in load.calls})
    assert serve.poll() is None and worker.poll() is None
    print(f"frozen: {len(during)} answers, slowest {slowest:.2f}s")
