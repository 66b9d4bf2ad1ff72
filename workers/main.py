"""`techplan worker`: the arq worker that keeps projections caught up and runs jobs.

Projections are folded by a LISTEN/NOTIFY loop started with the worker (low lag); the cron
`catch_up` every few seconds is the safety net if a notification was missed. Several workers
may run at once: the runner's advisory locks decide who advances which projection. Webhook
deliveries (workers/deliveries.py) and the hourly clean-up (workers/housekeeping.py) run in
the same worker.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from arq import cron
from arq.worker import Worker

from infra import tracing
from projections.rebuild import rebuild
from services.bootstrap import bootstrap
from services.settings import Settings
from workers import deliveries, housekeeping
from workers.observe import observed
from workers.projector import Projector
from workers.queue import queue_name, worker_redis_settings

log = logging.getLogger("techplan.worker")


@observed
async def catch_up(ctx: dict[str, Any]) -> int:
    container = ctx["container"]
    return await asyncio.to_thread(container.runner.catch_up)


@observed
async def rebuild_projection(ctx: dict[str, Any], name: str) -> int:
    return await asyncio.to_thread(rebuild, ctx["container"].runner, name)


def worker_functions() -> list[Any]:
    return [catch_up, rebuild_projection, *deliveries.FUNCTIONS, *housekeeping.FUNCTIONS]


def build_worker(settings: Settings, *, poll: float = 1.0, handle_signals: bool = True) -> Worker:
    projector = Projector(poll=poll)

    async def on_startup(ctx: dict[str, Any]) -> None:
        if not tracing.enabled():  # `techplan dev` runs the API and this worker together
            tracing.setup_tracing("techplan-worker")
        container = await asyncio.to_thread(bootstrap, settings)
        container.arq = ctx["redis"]
        ctx["container"] = container
        projector.start_thread(container)
        await deliveries.on_startup(ctx)
        log.info("worker started: projections %s", ", ".join(container.runner.by_name))

    async def on_shutdown(ctx: dict[str, Any]) -> None:
        await deliveries.on_shutdown(ctx)
        projector.stop_thread()
        container = ctx.get("container")
        if container is not None:
            container.close()

    return Worker(
        functions=worker_functions(),
        cron_jobs=[
            cron(catch_up, second=set(range(0, 60, 5)), unique=True, run_at_startup=True),
            *deliveries.CRON_JOBS,
            *housekeeping.CRON_JOBS,
        ],
        redis_settings=worker_redis_settings(settings),
        queue_name=queue_name(settings),
        on_startup=on_startup,
        on_shutdown=on_shutdown,
        handle_signals=handle_signals,
        keep_result=60,
        max_jobs=10,
        job_timeout=3600,
    )


def run_worker(settings: Settings) -> int:
    worker = build_worker(settings)
    worker.run()
    return 0
