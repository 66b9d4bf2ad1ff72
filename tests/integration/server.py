"""Real `techplan serve` processes for tests that need one (or two) over a socket."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import httpx
import psycopg


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(settings: Any, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TECHPLAN_")}
    env.update(
        DATABASE_URL=settings.database_url,
        REDIS_URL=settings.redis_url,
        TECHPLAN_ADMIN_TOKEN=settings.admin_token,
        TECHPLAN_SECRET_KEY=settings.secret_key,
        TECHPLAN_REDIS_PREFIX=settings.redis_prefix,
        TECHPLAN_DB_POOL_SIZE=str(settings.db_pool_size),
        TECHPLAN_DB_POOL_MAX_OVERFLOW=str(settings.db_pool_max_overflow),
        TECHPLAN_RATE_LIMIT="0",
        TECHPLAN_TENANT_RATE_LIMIT="0",
    )
    env.update(overrides)
    return env


@contextmanager
def serve(settings: Any, **overrides: str) -> Iterator[str]:
    """Start `techplan serve` on a free port; yields its base URL once it answers."""
    with serve_many(1, settings, **overrides) as (base,):
        yield base


@contextmanager
def serve_many(count: int, settings: Any, **overrides: str) -> Iterator[tuple[str, ...]]:
    """`count` processes started side by side (start-up is mostly imports: slow on a busy
    machine); yields their base URLs once all of them answer."""
    with ExitStack() as stack:
        logs = [stack.enter_context(tempfile.TemporaryFile()) for _ in range(count)]
        ports = [free_port() for _ in range(count)]
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "services.cli", "serve", "--port", str(port)],
                env=server_env(settings, **overrides),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            for port, log in zip(ports, logs, strict=True)
        ]
        bases = tuple(f"http://127.0.0.1:{port}" for port in ports)
        try:
            deadline = time.monotonic() + 90
            for process, base, log in zip(processes, bases, logs, strict=True):
                while not _answers(base):
                    if process.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        raise RuntimeError(f"techplan serve did not start:\n{log.read().decode()}")
                    time.sleep(0.1)
            yield bases
        finally:
            for process in processes:
                process.terminate()
            for process, base, log in zip(processes, bases, logs, strict=True):
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
                log.seek(0)
                print(f"--- techplan serve at {base} ---\n{log.read().decode()[-20000:]}")


def _answers(base: str) -> bool:
    try:
        return httpx.get(f"{base}/health/live", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@contextmanager
def paused(container: Any, *projections: str) -> Iterator[None]:
    """Hold the advisory locks the runner takes for a batch: every projector skips these
    projections (they stay behind) until the block ends."""
    with psycopg.connect(container.db.url, autocommit=True) as conn:
        for name in projections:
            conn.execute(
                "SELECT pg_advisory_lock(hashtext('techplan.projection'), hashtext(%s))", (name,)
            )
        yield
