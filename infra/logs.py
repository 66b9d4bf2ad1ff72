"""Logs as JSON lines (structlog), with the request or job they belong to on every line.

Every process (`serve`, `worker`, `dev`) calls `configure_logging` once: structlog renders
its own lines and, through `ProcessorFormatter`, every stdlib logger's (uvicorn, arq,
psycopg, Techplan's `logging.getLogger` modules), so all of them are JSON.

What a line is about comes from `log_context`: the API's middleware opens one per request
(request id, correlation id), authentication adds the tenant and key id to it, a worker job
opens one per job, a fold one per event. The context is a mutable record held in a
contextvar, so a field added in a worker thread (Litestar runs sync handlers and
dependencies in threads, with a copy of the context) is seen by the request's later lines
too, the access line included.

Secrets never reach a line: API keys (`tpk_...`), webhook secrets (`whsec_...`) and bearer
tokens are masked in every string of every line, as the last step before rendering.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from contextvars import ContextVar, Token
from typing import IO, Any

import structlog
from structlog.types import EventDict, Processor, WrappedLogger

_context: ContextVar[dict[str, Any] | None] = ContextVar("techplan_log_context", default=None)

# What must never be logged, whatever logged it.
_SECRETS = re.compile(
    r"tpk_[A-Za-z0-9_\-]{8,}|whsec_[A-Za-z0-9+/=_\-]{8,}|(?i:bearer)\s+[^\s\"',;]+"
)
MASK = "[redacted]"


class log_context:  # lower case: used like a function, `with log_context(...)`
    """Every line logged inside (in this task, or in threads started with a copy of its
    context) carries `fields`, the fields of the context around it, and whatever `bind`
    adds later. A class rather than a generator: a rebuild opens one per event folded."""

    __slots__ = ("fields", "token")

    def __init__(self, **fields: Any) -> None:
        self.fields = fields
        self.token: Token[dict[str, Any] | None] | None = None

    def __enter__(self) -> dict[str, Any]:
        fields = self.fields
        record = {**(_context.get() or {}), **{k: v for k, v in fields.items() if v is not None}}
        self.token = _context.set(record)
        return record

    def __exit__(self, *exc: object) -> None:
        if self.token is not None:
            _context.reset(self.token)
            self.token = None


def bind(**fields: Any) -> None:
    """Add fields to the current context (seen by every later line of the request or job)."""
    record = _context.get()
    if record is not None:
        record.update({k: str(v) for k, v in fields.items() if v is not None})


def current() -> dict[str, Any]:
    return dict(_context.get() or {})


def redact(text: str) -> str:
    return _SECRETS.sub(MASK, text)


def _merge_context(_: WrappedLogger, __: str, event: EventDict) -> EventDict:
    for key, value in (_context.get() or {}).items():
        event.setdefault(key, value)
    return event


# The stdlib record's copies of `event` and `timestamp`, and uvicorn's coloured message.
_STDLIB_COPIES = frozenset({"message", "asctime", "color_message"})


def _redact_all(_: WrappedLogger, __: str, event: EventDict) -> EventDict:
    return {k: _clean(v) for k, v in event.items() if k not in _STDLIB_COPIES}


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, MutableMapping):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, int | float | bool) or value is None:
        return value
    return redact(str(value))


_HANDLER_NAME = "techplan-json"


def configure_logging(level: int | str = logging.INFO, stream: IO[str] | None = None) -> None:
    """JSON lines on `stream` (stderr by default) for structlog and the stdlib alike."""
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        _merge_context,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[
            *shared,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            _redact_all,
            structlog.processors.JSONRenderer(),
        ],
    )
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # Uvicorn's loggers keep their own handlers unless told not to: through ours instead.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # httpx logs every request with its URL, and a webhook URL may carry a token.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def unconfigure_logging() -> None:
    """Remove the JSON handler (tests that capture logs put things back as they were)."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
