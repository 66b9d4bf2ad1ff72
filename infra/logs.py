"""Logs as JSON lines (structlog), with the request or job they belong to on every line.

Every process (`serve`, `worker`, `dev`) calls `configure_logging` once: structlog's
`ProcessorFormatter` renders every stdlib logger's lines (uvicorn, arq, psycopg, Techplan's
`logging.getLogger` modules) and structlog's own as JSON objects with `event`, `level`,
`logger`, `timestamp`, the record's extra fields and its context's.

What a line is about comes from `log_context`: the API's middleware opens one per request
(request id, correlation id), authentication adds the tenant and key id to it, a worker job
opens one per job, a fold one per event. The context is a mutable record held in a
contextvar, so a field added in a worker thread (Litestar runs sync handlers and
dependencies in threads, with a copy of the context) is seen by the request's later lines
too, the access line included.

Secrets never reach a line: API keys (`tpk_...`), webhook secrets (`whsec_...`) and bearer
tokens are masked in every string of every line, as the last step before rendering.

The API writes a line per request, so a line must be cheap: the chain is short (context,
level, logger, extras, timestamp; then the exception, masking and msgspec as the renderer's
serializer), and the logging module is told not to look up the caller's frame, thread or
process for each record (no line shows them).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import MutableMapping
from contextvars import ContextVar, Token
from typing import IO, Any

import msgspec
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
        around = _context.get()
        record = {} if around is None else around.copy()
        for key, value in self.fields.items():
            if value is not None:
                record[key] = value
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


def bind_text(fields: dict[str, str]) -> None:
    """`bind` for fields that are text already."""
    record = _context.get()
    if record is not None:
        record.update(fields)


def current() -> dict[str, Any]:
    return dict(_context.get() or {})


def redact(text: str) -> str:
    return _SECRETS.sub(MASK, text)


def _merge_context(_: WrappedLogger, __: str, event: EventDict) -> EventDict:
    for key, value in (_context.get() or {}).items():
        event.setdefault(key, value)
    return event


# The stdlib record's copies of `event` and `timestamp`, uvicorn's coloured message, the
# asyncio task's name, and ProcessorFormatter's own keys.
_LEFT_OUT = frozenset(
    {"message", "asctime", "color_message", "taskName", "_record", "_from_structlog"}
)


def _redact_all(_: WrappedLogger, __: str, event: EventDict) -> EventDict:
    """The last step before rendering: every string of the line masked (`redact`)."""
    sub = _SECRETS.sub
    return {
        k: sub(MASK, v) if type(v) is str else _clean(v)
        for k, v in event.items()
        if k not in _LEFT_OUT
    }


def _dumps(value: Any, **_: Any) -> str:
    """JSONRenderer's serializer: msgspec (a third of the standard library's time)."""
    try:
        return msgspec.json.encode(value).decode()
    except (TypeError, msgspec.EncodeError):  # a key msgspec cannot write: never lose a line
        return json.dumps(value, default=str)


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


_TIMESTAMP = structlog.processors.TimeStamper(fmt="iso", utc=True)
_HANDLER_NAME = "techplan-json"
_LOOKUPS_OFF = {
    "_srcfile": None,
    "logThreads": False,
    "logProcesses": False,
    "logMultiprocessing": False,
}
_LOOKUPS = {name: getattr(logging, name) for name in _LOOKUPS_OFF}


def configure_logging(level: int | str = logging.INFO, stream: IO[str] | None = None) -> None:
    """JSON lines on `stream` (stderr by default) for every logger."""
    # No line shows where a record was made, by which thread or process: not looking them up
    # for every record is the logging module's own advice for speed.
    for name, value in _LOOKUPS_OFF.items():
        setattr(logging, name, value)
    # stdlib records (uvicorn, arq, psycopg, Techplan's modules): the shortest chain that
    # makes the line, secrets masked last.
    pre_chain: list[Processor] = [
        _merge_context,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        _TIMESTAMP,
    ]
    structlog.configure(  # structlog's own loggers, should a module use one: the same lines
        processors=[
            _merge_context,
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            _TIMESTAMP,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=pre_chain,
        processors=[
            structlog.processors.format_exc_info,
            _redact_all,
            structlog.processors.JSONRenderer(serializer=_dumps),
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
    for name, value in _LOOKUPS.items():
        setattr(logging, name, value)
