"""Real processes for fault tests: a PostgreSQL cluster and a Redis of the test's own (so the
shared servers are never stopped), and `techplan serve` / `techplan worker` subprocesses
configured only through the environment.

The cluster is made with the Debian PostgreSQL binaries (`initdb`, `pg_ctl`), run as the
`postgres` OS user when the tests run as root (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import psycopg

REPO = Path(__file__).resolve().parents[2]


def pg_bin() -> Path | None:
    """The newest Debian PostgreSQL binaries, if installed."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: p.parts[-3])
    return found[-1].parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Callable[[], Any], *, timeout: float, what: str) -> Any:
    """Wait until `condition()` is truthy (and return it), or fail naming `what`."""
    deadline = time.monotonic() + timeout
    pause = 0.02
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting until {what}")
        time.sleep(pause)
        pause = min(pause * 2, 0.25)


def _as_postgres(argv: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


class Cluster:
    """A throwaway PostgreSQL cluster on its own port; stop, start, freeze and thaw it."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="techplan-faults-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        initdb = [str(bindir / "initdb"), "-D", str(self.data), "-U", "postgres"]
        self._run([*initdb, "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"])
        options = " ".join(
            [
                f"-p {self.port}",
                "-c listen_addresses=127.0.0.1",
                "-c unix_socket_directories=''",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
            ]
        )
        (self.root / "options").write_text(options)

    def _run(self, argv: list[str]) -> None:
        subprocess.run(_as_postgres(argv), check=True, capture_output=True, cwd=self.root)

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = (self.root / "options").read_text()
        pg_ctl = [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log)]
        self._run([*pg_ctl, "-o", options, "-w", "-t", "30", "start"])

    def stop(self, mode: str = "fast") -> None:
        self._run([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"])

    def pids(self) -> list[int]:
        """The postmaster and every process it started."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == postmaster:
                    children.append(int(stat.parent.name))
        return [postmaster, *children]

    def freeze(self) -> list[int]:
        """SIGSTOP the whole server: it accepts connections (the kernel does) and never
        answers, like a server that hangs."""
        pids = self.pids()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)
        return pids

    def thaw(self, pids: list[int]) -> None:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)

    def create_database(self, name: str) -> str:
        """A database owned by an ordinary role, as Techplan runs in production."""
        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            exists = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = 'techplan'")
            if exists.fetchone() is None:
                admin.execute("CREATE ROLE techplan LOGIN NOSUPERUSER NOCREATEROLE NOBYPASSRLS")
            admin.execute(f"CREATE DATABASE {name} OWNER techplan")
        return f"postgresql://techplan@127.0.0.1:{self.port}/{name}"

    def is_running(self) -> bool:
        try:
            with psycopg.connect(self.admin_url, connect_timeout=2):
                return True
        except psycopg.Error:
            return False

    def admin(self) -> psycopg.Connection[Any]:
        return psycopg.connect(self.admin_url, autocommit=True)

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, FileNotFoundError):
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


class RedisServer:
    """A redis-server of the test's own, without persistence: stopping it loses every queued
    job, the harshest case for the worker."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.tmp = tmp
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = (self.tmp / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.tmp)),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        wait_for(self._answers, timeout=10, what="redis-server answers")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


class Techplan:
    """`techplan serve` and `techplan worker` subprocesses sharing one environment."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.port = free_port()
        self.processes: list[tuple[str, subprocess.Popen[bytes]]] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def run(self, *args: str, timeout: float = 60) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "services.cli", *args],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def _spawn(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        n = sum(1 for other, _ in self.processes if other == name)
        log = (self.logs / f"{name}-{n}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "services.cli", *args],
            env=self.env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.processes.append((name, process))
        return process

    def serve(self) -> subprocess.Popen[bytes]:
        process = self._spawn("serve", "serve", "--port", str(self.port))

        def live() -> bool:
            assert process.poll() is None, self.log_text("serve")
            try:
                return httpx.get(f"{self.base_url}/health/live", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(live, timeout=60, what="techplan serve answers")
        return process

    def worker(self) -> subprocess.Popen[bytes]:
        """A worker, once it has started (projector and delivery listener running)."""
        n = sum(1 for other, _ in self.processes if other == "worker")
        process = self._spawn("worker", "worker")
        log = self.logs / f"worker-{n}.log"

        def started() -> bool:
            assert process.poll() is None, log.read_text(errors="replace")[-3000:]
            return "worker started" in log.read_text(errors="replace")

        wait_for(started, timeout=60, what="techplan worker has started")
        return process

    def log_text(self, name: str) -> str:
        return "\n".join(
            p.read_text(errors="replace") for p in sorted(self.logs.glob(f"{name}-*.log"))
        )

    def stop_all(self) -> None:
        for _, process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for _, process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
