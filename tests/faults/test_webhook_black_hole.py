"""A webhook receiver that accepts the connection and never answers (never even reads): each
attempt times out after `TECHPLAN_WEBHOOK_TIMEOUT`, is retried per the schedule until the
delivery fails, and the deliveries of other endpoints, of the same tenant and of another,
are not held up meanwhile."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx

from tests.api.webhook_receiver import receiving
from tests.faults.conftest import bearer, new_tenant
from tests.faults.processes import Techplan, wait_for

TIMEOUT = 4.0
SCHEDULE = (2, 2)  # so 1 + 2 attempts


class BlackHole:
    """Accepts TCP connections and keeps them open without reading or writing a byte."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted: list[tuple[float, socket.socket]] = []
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def _accept(self) -> None:
        while not self._stop:
            with contextlib.suppress(OSError):
                conn, _ = self.listener.accept()
                self.accepted.append((time.monotonic(), conn))

    def close(self) -> None:
        self._stop = True
        self.listener.close()
        for _, conn in self.accepted:
            conn.close()


@contextlib.contextmanager
def black_hole() -> Iterator[BlackHole]:
    hole = BlackHole()
    try:
        yield hole
    finally:
        hole.close()


def subscribe(h: httpx.Client, url: str, event_types: list[str]) -> str:
    r = h.post("/v1/webhooks", json={"url": url, "event_types": event_types})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_a_receiver_that_never_answers_times_out_is_retried_and_blocks_no_one(
    techplan: Techplan,
) -> None:
    app = techplan
    app.env["TECHPLAN_WEBHOOK_TIMEOUT"] = str(TIMEOUT)
    app.env["TECHPLAN_WEBHOOK_RETRY_SCHEDULE"] = ",".join(map(str, SCHEDULE))
    app.serve()
    app.worker()
    a = httpx.Client(base_url=app.base_url, timeout=30, headers=bearer(new_tenant(app)))
    b = httpx.Client(base_url=app.base_url, timeout=30, headers=bearer(new_tenant(app)))
    with black_hole() as hole, receiving() as healthy_a, receiving() as healthy_b, a, b:
        stuck = subscribe(a, hole.url, ["client.created"])
        subscribe(a, healthy_a.url, ["*"])
        subscribe(b, healthy_b.url, ["*"])

        client = a.post("/v1/clients", json={"name": "Contoso"}).json()
        wait_for(lambda: hole.accepted, timeout=30, what="the black hole is called")
        # While that attempt hangs, everything else goes out at once.
        first_attempt = hole.accepted[0][0]
        for n in range(3):
            r = a.patch(
                f"/v1/clients/{client['id']}", json={"name": f"Contoso {n}", "rationale": "x"}
            )
            assert r.status_code == 200, r.text
        for n in range(5):
            assert b.post("/v1/clients", json={"name": f"Fabrikam {n}"}).status_code == 201
        wait_for(
            lambda: len(healthy_a.succeeded()) >= 4 and len(healthy_b.succeeded()) >= 5,
            timeout=30,
            what="the other endpoints' deliveries arrive",
        )
        others = time.monotonic() - first_attempt
        assert others < TIMEOUT, f"the others were done {others:.1f}s into the hanging attempt"
        assert len(hole.accepted) == 1, "still on the first attempt when the others were done"

        def failed() -> list[dict[str, Any]]:
            r = a.get(f"/v1/webhooks/{stuck}/deliveries", params={"status": "failed"})
            assert r.status_code == 200, r.text
            items: list[dict[str, Any]] = r.json()["items"]
            return items

        (delivery,) = wait_for(failed, timeout=60, what="the delivery has failed")
    attempts = delivery["attempts"]
    assert len(attempts) == 1 + len(SCHEDULE)
    assert len(hole.accepted) == 1 + len(SCHEDULE), "one connection per attempt"
    for attempt in attempts:
        assert attempt["status_code"] is None
        assert "no answer within" in attempt["error"]
        assert TIMEOUT * 1000 * 0.9 <= attempt["duration_ms"] < TIMEOUT * 1000 * 2
    starts = [datetime.fromisoformat(x["at"].replace("Z", "+00:00")) for x in attempts]
    for before, after, wait in zip(starts, starts[1:], SCHEDULE, strict=False):
        # Each retry leaves at least its interval after the previous attempt gave up.
        assert (after - before).total_seconds() >= TIMEOUT + wait * 0.95
    print(f"8 other deliveries done {others:.2f}s into a {TIMEOUT:g}s hanging attempt")
