"""A real HTTP receiver on 127.0.0.1 for webhook tests, and the arq worker run in a thread."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

import msgspec

T = TypeVar("T")


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    status: int
    at: float

    @property
    def id(self) -> str:
        return self.headers["webhook-id"]

    def json(self) -> Any:
        return msgspec.json.decode(self.body)


# What to answer: (status, headers, seconds to hang first)
Reply = tuple[int, dict[str, str], float]
Behaviour = Callable[[dict[str, str], bytes], Reply]


def ok(headers: dict[str, str], body: bytes) -> Reply:
    return 200, {}, 0.0


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    receiver: Receiver

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (timeout) is expected here."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body leave in two writes: without this, delayed ACKs cost 40 ms each.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.receiver._track(self.connection, True)

    def finish(self) -> None:
        self.server.receiver._track(self.connection, False)
        with contextlib.suppress(OSError):
            super().finish()

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        body = self.rfile.read(length)
        headers = {k.lower(): v for k, v in self.headers.items()}
        receiver = self.server.receiver
        status, extra, hang = receiver.behaviour(headers, body)
        if hang:
            receiver.release.wait(hang)
        # Recorded before the answer leaves: once the worker has written an attempt (it needs
        # the answer first), the request is already in `received`.
        receiver._record(Received(headers, body, status, time.monotonic()))
        answer = b"{}"
        self.send_response(status)
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)
        self.wfile.flush()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Receiver:
    behaviour: Behaviour = ok
    port: int = 0
    received: list[Received] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: _Server | None = None
    _connections: set[socket.socket] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> Receiver:
        server = _Server(("127.0.0.1", self.port), _Handler)
        server.receiver = self
        self.port = server.server_address[1]
        self._server = server
        self.release.clear()
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop listening and drop open keep-alive connections: the port refuses."""
        self.release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        with self._lock:
            for conn in list(self._connections):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)

    def _track(self, conn: socket.socket, alive: bool) -> None:
        with self._lock:
            if alive:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def _record(self, item: Received) -> None:
        with self._lock:
            self.received.append(item)

    def requests(self) -> list[Received]:
        with self._lock:
            return list(self.received)

    def succeeded(self) -> list[Received]:
        return [r for r in self.requests() if 200 <= r.status < 300]


@contextlib.contextmanager
def receiving(behaviour: Behaviour = ok) -> Iterator[Receiver]:
    receiver = Receiver(behaviour).start()
    try:
        yield receiver
    finally:
        receiver.stop()


def wait_until(condition: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
    """Poll `condition` until it is truthy; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    pause = 0.01
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or condition}")
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


class WorkerThread:
    """The real arq worker (workers.main.build_worker) on its own event loop in a thread."""

    def __init__(self, settings: Any) -> None:
        self.settings = settings
        self.loop: asyncio.AbstractEventLoop | None = None
        self.worker: Any = None
        self._stop: asyncio.Event | None = None
        self._started = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="test-arq-worker", daemon=True)

    def start(self) -> WorkerThread:
        self._thread.start()
        if not self._started.wait(20):
            raise AssertionError("the worker did not start")
        if self._error is not None:
            raise self._error
        return self

    def stop(self) -> None:
        if self.loop is not None and self._stop is not None:
            self.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(20)
        if self._error is not None:
            raise self._error

    def call(
        self, job: Callable[..., Coroutine[Any, Any, T]], *args: Any, timeout: float = 20.0
    ) -> T:
        """Run one of the worker's job functions now, on its loop and with its ctx, as a job
        of the worker would run; return what it returns (or raise what it raises)."""
        if self.loop is None or self.worker is None:
            raise AssertionError("the worker is not running")
        future = asyncio.run_coroutine_threadsafe(job(self.worker.ctx, *args), self.loop)
        return future.result(timeout)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:
            self._error = exc
            self._started.set()

    async def _main(self) -> None:
        from workers.main import build_worker

        self.loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        worker = build_worker(self.settings, poll=0.5, handle_signals=False)
        worker.poll_delay_s = 0.05
        self.worker = worker
        task = asyncio.ensure_future(worker.async_run())
        while "webhooks" not in worker.ctx and not task.done():
            await asyncio.sleep(0.01)
        if task.done():
            await task  # it failed to start: raise why
        self._started.set()
        await self._stop.wait()
        # arq's Worker.close() calls a redis method deprecated since redis 5 (a warning is an
        # error here), so the same steps are taken with the current API.
        for job in worker.tasks.values():
            job.cancel()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await asyncio.gather(*worker.tasks.values(), return_exceptions=True)
        if worker.on_shutdown is not None:
            await worker.on_shutdown(worker.ctx)
        await worker.pool.aclose(close_connection_pool=True)
