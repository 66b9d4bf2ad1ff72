"""Command-to-visible lag measured from outside: a paced client sends `rate` POSTs a second to
`techplan serve` while one `techplan worker` folds, and a LISTEN on the projections' position
notifications (projections/notify.py) records when each projection reached which position.

A command's lag runs from its answer (which carries the `position` of its last event; the
commit is before the answer) to the moment every projection's tracking position reached that
position: what a client waits before any read reflects its write. Also given: the lag of the
command's own read model (`plans`) alone, and the lag counted from the send (an upper bound,
which includes the command's own latency). The client is open-loop: each POST leaves at its
scheduled time whatever the earlier answers' latency, so a slow server does not lower the
rate it is offered.
"""

from __future__ import annotations

import asyncio
import bisect
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import httpx
import psycopg

from bench.readside import as_admin
from bench.servers import ROOT, stop
from projections.notify import CHANNEL, parse

OWN = "plans"  # the read model the command (an initiative proposal) lands in


@dataclass(frozen=True)
class LagResult:
    what: str
    commands: int
    failed: int
    missing: int  # answered, but never seen folded before the deadline
    rate: float  # POSTs sent a second
    committed: float  # commands answered 201 a second, over the same span
    answer_p50_ms: float  # each POST's own latency, send to answer
    answer_p99_ms: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    own_p99_ms: float
    send_p99_ms: float
    projections: int
    cpu_ms: dict[str, float]  # CPU time per committed command: the API, the worker, PostgreSQL


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Positions(threading.Thread):
    """Every projection's position over time, from LISTEN (no polling of the table)."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.seen: dict[str, tuple[list[float], list[int]]] = {}
        self.ready = threading.Event()
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with psycopg.connect(self.url, autocommit=True) as conn:
                conn.execute(f"LISTEN {CHANNEL}")
                now = time.perf_counter()
                for name, position in conn.execute(
                    "SELECT name, position FROM projection_tracking"
                ).fetchall():
                    self.seen[name] = ([now], [position])
                self.ready.set()
                while not self.stop.is_set():
                    for note in conn.notifies(timeout=0.1):
                        moment = time.perf_counter()
                        name, position = parse(note.payload)
                        times, positions = self.seen.setdefault(name, ([], []))
                        if not positions or position > positions[-1]:
                            times.append(moment)
                            positions.append(position)
        except BaseException as exc:  # reported by the caller
            self.error = exc
            self.ready.set()

    def reached(self, name: str, position: int) -> float | None:
        """When projection `name` first reached `position` (None: not yet)."""
        times, positions = self.seen[name]
        i = bisect.bisect_left(positions, position)
        return times[i] if i < len(positions) else None

    def visible(self, position: int, names: list[str]) -> float | None:
        moments = [self.reached(n, position) for n in names]
        return None if any(m is None for m in moments) else max(m for m in moments if m)

    def lowest(self) -> int:
        return min(positions[-1] for _, positions in self.seen.values())


def _stat(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rpartition(")")[2].split()


def _tree(root: int) -> list[int]:
    """`root` and its descendants (uvicorn's workers, say)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with suppress(OSError):
                parents[int(entry)] = int(_stat(int(entry))[1])
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += [child for child, parent in parents.items() if parent == pid]
    return found


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User and system CPU time of each process still running (Linux's /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for pid in pids:
        with suppress(OSError):
            fields = _stat(pid)
            found[pid] = (int(fields[11]) + int(fields[12])) / tick
    return found


def backends(url: str) -> list[int]:
    with psycopg.connect(url) as conn:
        return [
            r[0]
            for r in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid()"
            ).fetchall()
        ]


class Usage:
    """CPU time used by the API, the worker and PostgreSQL's backends for this database
    between `start` and `stop` (a backend that came and went in between is not counted)."""

    def __init__(self, url: str, api: int, worker: int) -> None:
        self.url, self.roots = url, {"API": api, "worker": worker}
        self.before: dict[str, dict[int, float]] = {}
        self.used: dict[str, float] = {}

    def _now(self) -> dict[str, dict[int, float]]:
        now = {name: cpu_seconds(_tree(pid)) for name, pid in self.roots.items()}
        now["PostgreSQL"] = cpu_seconds(backends(self.url))
        return now

    def start(self) -> None:
        self.before = self._now()

    def stop(self) -> None:
        for name, after in self._now().items():
            before = self.before.get(name, {})
            self.used[name] = sum(t - before.get(pid, 0.0) for pid, t in after.items())


@dataclass
class Sent:
    sent: float
    answered: float = 0.0
    position: int | None = None


async def paced(
    base_url: str, key: str, plans: list[UUID], rate: float, seconds: float
) -> list[Sent]:
    body = {"title": "Lag {n}", "category": "software", "goal_ids": [], "priority": "medium"}
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    done: list[Sent] = []
    async with httpx.AsyncClient(
        base_url=base_url, headers=headers, limits=limits, timeout=30
    ) as client:

        async def one(n: int) -> None:
            record = Sent(time.perf_counter())
            done.append(record)
            content = json.dumps({**body, "title": f"Lag {n}"})
            try:
                answer = await client.post(
                    f"/v1/plans/{plans[n % len(plans)]}/initiatives", content=content
                )
            except httpx.HTTPError:
                return
            record.answered = time.perf_counter()
            if answer.status_code == 201:
                record.position = int(answer.json()["position"])

        tasks = []
        started = time.perf_counter()
        for n in range(round(rate * seconds)):
            delay = started + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)  # the schedule, not a wait on a condition
            tasks.append(asyncio.create_task(one(n)))
        await asyncio.gather(*tasks)
    return done


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "services.cli", "worker"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )


def head(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT max(notification_id) FROM techplan_events").fetchone()
        return int(row[0] or 0) if row else 0


def wait_for(condition: Callable[[], bool], what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} within {timeout:g} s")
        time.sleep(0.05)


def measure(
    url: str,
    base_url: str,
    key: str,
    plans: list[UUID],
    env: dict[str, str],
    workdir: Path,
    *,
    api_pid: int,
    rate: float = 100.0,
    seconds: float = 20.0,
    warm_up: float = 2.0,
) -> LagResult:
    watcher = Positions(as_admin(url))
    watcher.start()
    watcher.ready.wait(30)
    if watcher.error:
        raise watcher.error
    log = workdir / "worker.log"
    workers = [start_worker(env, log)]
    try:
        # What the earlier figures wrote is folded first: the clock starts on a worker that
        # is up and caught up.
        target = head(as_admin(url))

        def caught_up() -> bool:
            if workers[-1].poll() is not None:  # e.g. no connection slot left on a shared server
                if len(workers) == 3:
                    raise RuntimeError(f"the worker exited: {log.read_text()[-1000:]}")
                time.sleep(5)
                workers.append(start_worker(env, log))
            return watcher.lowest() >= target

        wait_for(caught_up, "the worker caught up", 900)
        usage = Usage(as_admin(url), api_pid, workers[-1].pid)
        usage.start()
        sent = asyncio.run(paced(base_url, key, plans, rate, warm_up + seconds))
        last = max((s.position or 0) for s in sent)
        with suppress(TimeoutError):  # what is not folded by then is counted as missing
            wait_for(lambda: watcher.lowest() >= last, "the worker folded the commands", 60)
        usage.stop()
    finally:
        watcher.stop.set()
        stop(workers[-1])
    watcher.join(timeout=5)
    names = sorted(watcher.seen)
    first = sent[0].sent + warm_up
    counted = [s for s in sent if s.sent >= first]
    lags, own, from_send = [], [], []
    failed = missing = 0
    for s in counted:
        if s.position is None:
            failed += 1
            continue
        visible = watcher.visible(s.position, names)
        mine = watcher.reached(OWN, s.position)
        if visible is None or mine is None:
            missing += 1
            continue
        lags.append(max(visible - s.answered, 0.0) * 1000)
        own.append(max(mine - s.answered, 0.0) * 1000)
        from_send.append((visible - s.sent) * 1000)
    span = counted[-1].sent - counted[0].sent if len(counted) > 1 else 1.0
    ok = [s for s in counted if s.position is not None]
    committed = sum(1 for s in sent if s.position is not None)  # the warm-up's too
    answered = max((s.answered for s in ok), default=0.0) - min((s.sent for s in ok), default=0.0)
    latency = [(s.answered - s.sent) * 1000 for s in ok]
    return LagResult(
        what=f"POST /v1/plans/{{id}}/initiatives at {rate:g}/s, {seconds:g} s, one worker",
        commands=len(counted),
        failed=failed,
        missing=missing,
        rate=(len(counted) - 1) / span if span else 0.0,
        committed=len(ok) / answered if answered > 0 else 0.0,
        answer_p50_ms=percentile(latency, 50),
        answer_p99_ms=percentile(latency, 99),
        p50_ms=percentile(lags, 50),
        p99_ms=percentile(lags, 99),
        max_ms=max(lags, default=float("nan")),
        own_p99_ms=percentile(own, 99),
        send_p99_ms=percentile(from_send, 99),
        projections=len(names),
        cpu_ms={k: v * 1000 / max(committed, 1) for k, v in usage.used.items()},
    )
