"""The bench's server processes: a free port, a uvicorn process started and stopped around a
block, and py-spy sampling it (`--profile`)."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start(argv: list[str], env: dict[str, str], probe: str, log: Path) -> subprocess.Popen[bytes]:
    """Start the server and wait until `probe` answers; a server that exits because a shared
    PostgreSQL had no connection slot left is started again (three times at most)."""
    for attempt in range(3):
        with log.open("wb") as out:
            process = subprocess.Popen(
                argv, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(probe, timeout=2):
                    return process
            except OSError:
                if process.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.2)
                    continue
            output = log.read_text()
            if process.poll() is None:
                process.kill()
                process.wait()
            if "remaining connection slots" in output and attempt < 2:
                time.sleep(10)
                break
            raise RuntimeError(f"{argv} did not start:\n{output[-2000:]}")
    raise AssertionError("unreachable")


@contextmanager
def server(
    argv: list[str], env: dict[str, str], probe: str, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    process = start(argv, env, probe, log)
    try:
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """SIGTERM, then SIGKILL if it has not ended within `timeout` s."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def profiling(pid: int, out: Path | None) -> Iterator[None]:
    """py-spy (`uv tool install py-spy`) samples the server while wrk runs: collapsed stacks
    into `out` (see `bench/profile.py` to sum them up), for `--profile DIR`."""
    if out is None:
        yield
        return
    spy = subprocess.Popen(
        ["py-spy", "record", "--pid", str(pid), "--format", "raw", "--output", str(out),
         "--rate", "200", "--subprocesses", "--gil"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(1)  # py-spy attaches
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)
        spy.wait(timeout=60)
