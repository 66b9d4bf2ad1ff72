"""Every use case's span, count by command and outcome, and log line (`requires` in
context.py runs each one inside `command`)."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

from domain.shared import DomainError
from infra import tracing
from infra.metrics import COMMANDS
from services.errors import ServiceError

log = logging.getLogger("techplan.commands")


def _outcome(exc: BaseException) -> str:
    if isinstance(exc, DomainError):
        return exc.kind
    if isinstance(exc, ServiceError):
        return re.sub(r"(?<!^)(?=[A-Z])", "_", type(exc).__name__).lower()
    return "error"


@contextmanager
def command(name: str) -> Iterator[None]:
    """A use case's span, count and line; its outcome is `ok` or the kind of its error."""
    started = time.perf_counter()
    outcome = "ok"
    with tracing.span(f"command {name}", **{"techplan.command": name}):
        try:
            yield
        except BaseException as exc:
            outcome = _outcome(exc)
            raise
        finally:
            COMMANDS.labels(name, outcome).inc()
            log.info(
                "command",
                extra={
                    "command": name,
                    "outcome": outcome,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
