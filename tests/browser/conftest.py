"""A real `techplan serve` and `techplan worker` on the test database, the demo data loaded,
and Debian's Chromium driven by Python Playwright (no browser download is possible here:
Playwright is pointed at the system browser). Skipped, with the reason, when Chromium or
Playwright is missing."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import OPERATOR_TOKEN

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("TECHPLAN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("TECHPLAN_ARTIFACTS", ROOT / ".artifacts")) / "portal"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until(check: Any, what: str, deadline: float = 60.0) -> Any:
    """Poll a condition until it holds or the deadline passes (then fail, naming it)."""
    end = time.monotonic() + deadline
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > end:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.1)


@dataclass
class Served:
    base: str
    admin_key: str
    demo: dict[str, Any]
    http: httpx.Client

    def api(self, method: str, path: str, key: str | None = None, **kw: Any) -> Any:
        headers = {"Authorization": f"Bearer {key or self.admin_key}"}
        return self.http.request(method, f"{self.base}{path}", headers=headers, **kw)

    def caught_up(self, position: int) -> None:
        """The worker has folded everything up to `position` (read-your-writes, bounded)."""

        def ready() -> bool:
            r = self.api("GET", f"/v1/portfolio?limit=1&min_position={position}")
            return r.status_code == 200

        _wait_until(ready, f"the read side to reach position {position}")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian: apt-get install -y chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:  # pragma: no cover - it is a dev dependency
        pytest.skip("Python Playwright is not installed")
    return CHROMIUM


@pytest.fixture(scope="module")
def served(settings: Any, container: Any, chromium_path: str) -> Iterator[Served]:
    from services.demo import load_demo

    demo = load_demo(container)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "TECHPLAN_REDIS_PREFIX": settings.redis_prefix,
        "TECHPLAN_ADMIN_TOKEN": OPERATOR_TOKEN,
        "TECHPLAN_SECRET_KEY": settings.secret_key,
        "TECHPLAN_WEBHOOK_ALLOW_PRIVATE": "true",
        "TECHPLAN_READ_WAIT": "5",
    }
    logs = ARTIFACTS / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    processes = []
    outputs = []
    for name, args in (
        ("serve", ["serve", "--host", "127.0.0.1", "--port", str(port)]),
        ("worker", ["worker"]),
    ):
        out = (logs / f"{name}.log").open("w")
        outputs.append(out)
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "services.cli", *args],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        )
    base = f"http://127.0.0.1:{port}"
    http = httpx.Client(timeout=30)

    def live() -> bool:
        try:
            return http.get(f"{base}/health/live").status_code == 200
        except httpx.TransportError:
            return False

    try:
        _wait_until(live, "techplan serve to answer")
        s = Served(base=base, admin_key=demo["api_key"], demo=demo, http=http)
        s.caught_up(container.store.max_position())
        yield s
    finally:
        http.close()
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for out in outputs:
            out.close()


@pytest.fixture(scope="module")
def browser(chromium_path: str, served: Served) -> Iterator[Any]:
    """Module-scoped: Playwright's sync API keeps an event loop running in this thread while
    it is open, which would stop every later test that runs its own loop."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, headless=True)
        try:
            yield b
        finally:
            b.close()
