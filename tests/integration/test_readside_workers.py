"""`techplan worker` processes keep the read side exactly once: a worker killed with SIGKILL
in the middle of projecting is replaced by another without loss or duplication, and two
workers at once never fold an event twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.workload import Workload
from tests.integration.readside import (
    assert_equal_to_rebuild,
    audit_positions,
    caught_up,
    event_positions,
    own_container,
    wait_until,
)

Spawn = Callable[[], subprocess.Popen[bytes]]


@pytest.fixture
def c(settings: Any) -> Iterator[Any]:
    with own_container(settings) as container:
        yield container


@pytest.fixture
def spawn(c: Any, tmp_path: Path) -> Iterator[Spawn]:
    """Start `techplan worker` processes configured only through the environment."""
    started: list[subprocess.Popen[bytes]] = []
    env = {k: v for k, v in os.environ.items() if not k.startswith("TECHPLAN_")}
    env.update(
        DATABASE_URL=c.settings.database_url,
        REDIS_URL=c.settings.redis_url,
        TECHPLAN_REDIS_PREFIX=f"{c.settings.redis_prefix}:{tmp_path.name}",
    )

    def start() -> subprocess.Popen[bytes]:
        log = (tmp_path / f"worker-{len(started)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "worker"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    for log in sorted(tmp_path.glob("worker-*.log")):
        text = log.read_text(errors="replace")
        assert "Traceback" not in text or "KeyboardInterrupt" in text, text[-3000:]


def write_in_background(workload: Workload, events: int) -> threading.Thread:
    writer = threading.Thread(target=workload.write, args=(events,), kwargs={"rounds": 3})
    writer.start()
    return writer


def total_folded(c: Any) -> int:
    return sum(c.runner.positions().values())


def test_a_killed_worker_is_replaced_without_loss_or_duplication(c: Any, spawn: Spawn) -> None:
    workload = Workload(c.store, seed=11)
    first = spawn()
    writer = write_in_background(workload, 3000)
    wait_until(lambda: total_folded(c) > 1500, timeout=60, what="the first worker is projecting")
    first.send_signal(signal.SIGKILL)  # in the middle of a batch, most likely
    assert first.wait(timeout=10) == -signal.SIGKILL
    at_kill = c.runner.positions()
    head = c.store.max_position()
    assert any(0 < p < head for p in at_kill.values()) or min(at_kill.values()) < head

    second = spawn()
    mark = total_folded(c)
    wait_until(lambda: total_folded(c) > mark + 1500, timeout=60, what="the second worker works")
    second.send_signal(signal.SIGKILL)
    assert second.wait(timeout=10) == -signal.SIGKILL

    spawn()
    writer.join(timeout=120)
    assert not writer.is_alive()
    wait_until(lambda: caught_up(c), timeout=120, what="every projection reaches the head")
    assert audit_positions(c) == event_positions(c)
    assert len(event_positions(c)) >= 3000
    assert_equal_to_rebuild(c)


def test_two_workers_at_once_fold_each_event_once(c: Any, spawn: Spawn, tmp_path: Path) -> None:
    spawn()
    spawn()
    logs = [tmp_path / "worker-0.log", tmp_path / "worker-1.log"]
    wait_until(
        lambda: all("worker started" in log.read_text() for log in logs),
        timeout=60,
        what="both workers are up",
    )
    writer = write_in_background(Workload(c.store, seed=13), 2000)
    writer.join(timeout=120)
    assert not writer.is_alive()
    wait_until(lambda: caught_up(c), timeout=120, what="every projection reaches the head")
    assert audit_positions(c) == event_positions(c)
    assert_equal_to_rebuild(c)
