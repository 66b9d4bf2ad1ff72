"""Keeps every projection caught up: LISTEN for new events, fold them, repeat.

Low lag: the event store NOTIFYs on every insert and we fold right away. Safe with several
processes: each batch takes the projection's advisory lock (projections/runner.py), and a
notification that arrives while we fold is still queued on our connection, so no wake-up is
lost. The `poll` timeout is the safety net when a notification is missed.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import psycopg

from services.bootstrap import Container

log = logging.getLogger("techplan.projector")


class Projector:
    def __init__(self, poll: float = 1.0) -> None:
        self.poll = poll
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.container: Container | None = None

    # lifespan hook protocol (services/app.py)
    async def start(self, container: Container) -> None:
        self.start_thread(container)

    async def stop(self) -> None:
        self.stop_thread()

    def start_thread(self, container: Container) -> None:
        self.container = container
        container.nudge_projector = self._wake.set
        self._thread = threading.Thread(target=self._run, name="techplan-projector", daemon=True)
        self._thread.start()

    def stop_thread(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        assert self.container is not None
        c = self.container
        channel = getattr(c.store.app.recorder, "channel_name", "stored_events")
        while not self._stop.is_set():
            try:
                with psycopg.connect(c.db.url, autocommit=True) as conn:
                    conn.execute(f'LISTEN "{channel}"')
                    while not self._stop.is_set():
                        c.runner.catch_up()
                        # Still behind: another worker holds a projection we skipped, so
                        # look again soon even if no notification comes.
                        self._wait(conn, 0.05 if self._behind() else self.poll)
            except Exception:
                log.exception("projector loop failed; reconnecting")
                self._stop.wait(self.poll)

    def _behind(self) -> bool:
        """Some projection that is not stopped at a failing event lags behind the head:
        only when another worker held one of them (otherwise this catch-up reached the head
        it saw, and any later event comes with its notification)."""
        assert self.container is not None
        runner = self.container.runner
        if not runner.locked_out:
            return False
        return any(s["lag"] > 0 and not s["error"] for s in runner.status())

    def _wait(self, conn: psycopg.Connection[Any], timeout: float) -> None:
        # Wake on a NOTIFY, a nudge from a waiting read, or the timeout.
        waited = 0.0
        step = min(0.1, timeout)
        while waited < timeout and not self._stop.is_set():
            if self._wake.is_set():
                self._wake.clear()
                return
            for _ in conn.notifies(timeout=step, stop_after=1):
                return
            waited += step
