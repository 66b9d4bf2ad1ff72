"""What every arq job tells the operator: a log context, a span and a duration.

A job's lines carry its name, id and try, and the correlation id it was enqueued with
(`correlation_id=`, passed by whoever enqueued it while serving a request or an event);
its duration is recorded by job and outcome (ok, retry, error), and logged as one `job` line
in the job's context (arq's own lines are outside it).
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from arq import Retry

from infra import tracing
from infra.logs import current, log_context
from infra.metrics import JOB_SECONDS

R = TypeVar("R")
log = logging.getLogger("techplan.worker")
Job = Callable[..., Coroutine[Any, Any, R]]


def observed(job: Job[R]) -> Job[R]:
    name = job.__name__

    @functools.wraps(job)
    async def run(ctx: dict[str, Any], *args: Any, correlation_id: str | None = None) -> R:
        started = time.perf_counter()
        outcome = "error"
        with (
            log_context(
                job=name,
                job_id=ctx.get("job_id"),
                job_try=ctx.get("job_try"),
                correlation_id=correlation_id,
            ),
            tracing.span(f"job {name}", **{"techplan.job": name}),
        ):
            try:
                result = await job(ctx, *args)
                outcome = "ok"
                return result
            except Retry:
                outcome = "retry"
                raise
            finally:
                seconds = time.perf_counter() - started
                JOB_SECONDS.labels(name, outcome).observe(seconds)
                log.info("job", extra={"outcome": outcome, "duration_ms": round(seconds * 1000, 1)})

    return run


def correlation() -> dict[str, str]:
    """`correlation_id=` for a job enqueued now: the one of the request or event at hand."""
    correlation_id = current().get("correlation_id")
    return {"correlation_id": str(correlation_id)} if correlation_id else {}
