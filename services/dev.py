"""`techplan dev`: the API and the worker in one process, on embedded services, with demo data.

- Embedded PostgreSQL and Redis are started where DATABASE_URL or REDIS_URL are unset
  (services/embedded.py).
- The schema is migrated, the demo tenant is loaded on the first start (services/demo) and
  its admin key is kept in `<data_dir>/demo-key` (0600), since keys are stored hashed.
- uvicorn serves the API; the arq worker (which runs the projector) runs in the same event
  loop, started and stopped by the app's lifespan.
- Ctrl-C or SIGTERM stop the server, the worker and the embedded services.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any
from uuid import UUID

from services.bootstrap import Container
from services.embedded import Cleanup, prepare, write_key
from services.settings import Settings

__all__ = ["KEY_FILE", "WorkerHook", "ensure_demo", "prepare", "run_dev"]

log = logging.getLogger("techplan.dev")

KEY_FILE = "demo-key"


class Stopped(Exception):
    """SIGTERM or SIGHUP arrived: unwind, so that every cleanup runs."""


def ensure_demo(c: Container, data_dir: Path) -> dict[str, Any]:
    """Load the demo on the first start; later, read its key back (minting a new admin key if
    the file is gone or its key no longer opens the demo tenant)."""
    from domain.shared import Role
    from services.auth import authenticate, create_key
    from services.demo import DEMO_TENANT, find_demo_tenant, load_demo
    from services.errors import Unauthorized

    key_file = data_dir / KEY_FILE
    tenant_id = find_demo_tenant(c)
    if tenant_id is None:
        started = time.monotonic()
        demo = load_demo(c)
        write_key(key_file, demo["api_key"])
        log.info("demo data loaded: %s steps in %.1f s", demo["steps"], time.monotonic() - started)
        return {"tenant_id": demo["tenant_id"], "api_key": demo["api_key"], "first": True}
    key = key_file.read_text().strip() if key_file.exists() else ""
    try:
        if authenticate(c.db, f"Bearer {key}").tenant_id == tenant_id:
            return {"tenant_id": str(tenant_id), "api_key": key, "first": False}
    except Unauthorized:
        pass
    with c.db.tx() as cur:
        _, key = create_key(
            cur,
            tenant_id=UUID(str(tenant_id)),
            name=f"{DEMO_TENANT} admin (techplan dev)",
            role=Role.ADMIN,
            client_ids=None,
        )
    write_key(key_file, key)
    log.info("minted a new admin key for the demo tenant (the saved one did not work)")
    return {"tenant_id": str(tenant_id), "api_key": key, "first": False}


# ---------------------------------------------------------------- the worker in-process


class WorkerHook:
    """The arq worker as a task in uvicorn's event loop (lifespan hook protocol of
    services/app.py). The worker starts its own projector thread; reads that wait for a
    position nudge it through the API container. Signals stay with uvicorn
    (handle_signals=False); the lifespan shutdown closes the worker."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.worker: Any = None
        self.task: asyncio.Task[None] | None = None

    async def start(self, container: Container) -> None:
        from workers.main import build_worker

        self.worker = build_worker(self.settings, handle_signals=False)
        self.task = asyncio.create_task(self.worker.async_run(), name="techplan-worker")
        self.task.add_done_callback(self._finished)
        container.nudge_projector = self._nudge

    def _nudge(self) -> None:
        """Wake the projector of the worker's own container (it has its own pools)."""
        worker_container: Container | None = (
            self.worker.ctx.get("container") if self.worker else None
        )
        if worker_container is not None and worker_container.nudge_projector is not None:
            worker_container.nudge_projector()

    @staticmethod
    def _finished(task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("the in-process worker stopped", exc_info=task.exception())

    async def stop(self) -> None:
        if self.worker is None:
            return
        try:
            await self.worker.close()
        except Exception:
            log.exception("closing the in-process worker failed")
        if self.task is not None:
            await asyncio.wait({self.task}, timeout=10)


# ---------------------------------------------------------------- run


def _display_host(host: str) -> str:
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def _port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def stopped_projections(c: Container) -> list[str]:
    return [
        f"{s['name']} stopped at position {s['error_position']}: {s['error']}"
        for s in c.runner.status()
        if s["error"]
    ]


def banner(
    base: str,
    demo: dict[str, Any],
    settings: Settings,
    embedded: list[str],
    problems: list[str] | None = None,
) -> str:
    key = demo["api_key"]
    where = (
        f"{', '.join(embedded)}; data in {settings.data_dir}"
        if embedded
        else "none (DATABASE_URL and REDIS_URL are set)"
    )
    lines = [
        "",
        "Techplan dev is running" + (" (demo data loaded)" if demo["first"] else ""),
        f"  API           {base}",
        f"  OpenAPI UI    {base}/schema",
        f"  Portal        {base}/portal  (sign in with the API key below)",
        f"  Demo tenant   Demo MSP ({demo['tenant_id']})",
        f"  Admin API key {key}",
        f"                (saved in {settings.data_dir / KEY_FILE})",
        f"  Embedded      {where}",
        f"  Operator API  /admin/v1 with the token in {settings.data_dir / 'admin-token'}"
        if (settings.data_dir / "admin-token").exists()
        else "  Operator API  /admin/v1 with TECHPLAN_ADMIN_TOKEN",
        "",
        "  Try:",
        f"    curl -s -H 'Authorization: Bearer {key}' {base}/v1/clients",
        "",
        "  Ctrl-C stops the API, the worker and the embedded services.",
        "",
    ]
    for problem in problems or []:
        first_line = problem.splitlines()[0] if problem else problem
        lines.insert(-1, f"  WARNING: projection {first_line}")
    return "\n".join(lines)


_STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def _raise_stopped(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signal.Signals(signum).name)


def _shielded(run: Cleanup) -> Cleanup:
    """Stopping the embedded services must not be cut short by a second Ctrl-C or a SIGTERM
    that arrives late (`uv run` and `timeout` forward signals): it takes about a second."""

    def shielded() -> None:
        signals = (signal.SIGINT, *_STOP_SIGNALS)
        previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in signals}
        try:
            run()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    return shielded


async def _serve(app: Any, host: str, port: int, on_started: Callable[[], None]) -> bool:
    import uvicorn

    server = uvicorn.Server(
        uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False)
    )
    task = asyncio.create_task(server.serve())
    while not server.started and not task.done():
        await asyncio.sleep(0.05)
    if server.started:
        on_started()
    await task
    return bool(server.started)


def run_dev(settings: Settings, *, host: str, port: int) -> int:
    from infra.tracing import setup_tracing
    from services.app import create_app
    from services.bootstrap import bootstrap
    from services.redis import RedisHook
    from services.schema import migrate

    if not _port_free(host, port):
        print(f"techplan: {host}:{port} is already in use (try --port)", file=sys.stderr)
        return 2
    # uvicorn re-raises the signal that stopped it once it is done; SIGTERM's default action
    # would then kill us before the embedded services are stopped.
    previous = {sig: signal.signal(sig, _raise_stopped) for sig in _STOP_SIGNALS}
    # A cron catch_up every 5 s would log two lines each time; failures still log (ERROR).
    logging.getLogger("arq.worker").setLevel(logging.WARNING)
    started = time.monotonic()
    embedded = [
        name
        for name, url in (("PostgreSQL", settings.database_url), ("Redis", settings.redis_url))
        if not url
    ]
    try:
        settings, cleanup = prepare(settings)
        cleanup = _shielded(cleanup)
        try:
            container = bootstrap(settings)
            try:
                migrate(container.db, container.store, container.runner)
                demo = ensure_demo(container, settings.data_dir)
                container.runner.catch_up()  # the demo is on the read side before we serve
                problems = stopped_projections(container)
                setup_tracing("techplan-dev")
                app = create_app(container, lifespan_hooks=[RedisHook(), WorkerHook(settings)])
                base = f"http://{_display_host(host)}:{port}"

                def on_started() -> None:
                    print(banner(base, demo, settings, embedded, problems), flush=True)
                    log.info("ready in %.1f s", time.monotonic() - started)

                ok = asyncio.run(_serve(app, host, port, on_started))
                return 0 if ok else 1
            finally:
                _shielded(container.close)()
        finally:
            cleanup()
    except Stopped:
        return 0
    except SystemExit as exc:  # uvicorn exits when it cannot bind
        return exc.code if isinstance(exc.code, int) else 1
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
