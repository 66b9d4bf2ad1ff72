"""Scheduled clean-up: what Techplan keeps only for a while.

`Idempotency-Key` answers are kept 24 h (API.md). A repeat after that is a new request anyway
(services/idempotency.py ignores a stale row), so the hourly purge only keeps the table from
growing for ever. arq's `unique` cron runs it once per slot however many workers there are.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from arq import cron

from services.idempotency import purge_expired

log = logging.getLogger("techplan.worker")


async def purge_idempotency_keys(ctx: dict[str, Any]) -> int:
    purged = await asyncio.to_thread(purge_expired, ctx["container"].db)
    if purged:
        log.info("purged %d idempotency keys older than 24 h", purged)
    return purged


FUNCTIONS = [purge_idempotency_keys]
CRON_JOBS = [cron(purge_idempotency_keys, minute=17, second=0, unique=True, keep_result=0)]
