"""Scheduled clean-up: what Techplan keeps only for a while.

`Idempotency-Key` answers are kept 24 h (API.md). A repeat after that is a new request anyway
(services/idempotency.py ignores a stale row), so the hourly purge only keeps the table from
growing for ever. Trace links (infra/tracing.py) serve the folds of a command's events, which
follow within seconds: a day later they go too. arq's `unique` cron runs each once per slot
however many workers there are.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from arq import cron

from infra import tracing
from services.idempotency import purge_expired
from workers.observe import observed

log = logging.getLogger("techplan.worker")


@observed
async def purge_idempotency_keys(ctx: dict[str, Any]) -> int:
    purged = await asyncio.to_thread(purge_expired, ctx["container"].db)
    if purged:
        log.info("purged %d idempotency keys older than 24 h", purged)
    return purged


@observed
async def forget_traces(ctx: dict[str, Any]) -> None:
    def forget() -> None:
        with ctx["container"].db.tx() as cur:
            tracing.forget_old(cur)

    await asyncio.to_thread(forget)


FUNCTIONS = [purge_idempotency_keys, forget_traces]
CRON_JOBS = [
    cron(purge_idempotency_keys, minute=17, second=0, unique=True, keep_result=0),
    cron(forget_traces, minute=47, second=0, unique=True, keep_result=0),
]
