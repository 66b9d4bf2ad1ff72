"""Logs as JSON lines, with the request or job they belong to on every line.

Every process (`serve`, `worker`, `dev`) calls `configure_logging` once: one handler renders
every stdlib logger's lines (uvicorn, arq, psycopg, Techplan's `logging.getLogger` modules)
as JSON objects with `event`, `level`, `logger`, `timestamp`, the record's extra fields and
its context's.

What a line is about comes from `log_context`: the API's middleware opens one per request
(request id, correlation id), authentication adds the tenant and key id to it, a worker job
opens one per job, a fold one per event. The context is a mutable record held in a
contextvar, so a field added in a worker thread (Litestar runs sync handlers and
dependencies in threads, with a copy of the context) is seen by the request's later lines
too, the access line included.

Secrets never reach a line: API keys (`tpk_...`), webhook secrets (`whsec_...`) and bearer
tokens are masked in every string of every line, as the last step before rendering.

The API writes a line per request, so a line must be cheap: `JsonLines` builds it straight
from the record (structlog's ProcessorFormatter, which this replaced, copied every record and
ran a chain of processors: 135 µs a line against 50), and the logging module is told not to
look up the caller's frame, thread or process for each record (no line shows them).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import MutableMapping
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from typing import IO, Any

import msgspec

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


# A record's own attributes; any other is an `extra` field of the line. Left out too: the
# record's copies of `event` and `timestamp`, and uvicorn's coloured message.
_RECORD_KEYS = frozenset(logging.makeLogRecord({}).__dict__) | {
    "message",
    "asctime",
    "color_message",
    "taskName",
}


class JsonLines(logging.Formatter):
    """A record as one JSON object: `event` (the message), the context's fields, `level`,
    `logger`, the extra fields, `exception` (the traceback) and `timestamp` (UTC, ISO 8601),
    every string masked (`redact`)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {"event": record.getMessage()}
        for key, value in (_context.get() or {}).items():
            line.setdefault(key, value)
        line["level"] = record.levelname.lower()
        line["logger"] = record.name
        for key, value in record.__dict__.items():
            if key not in _RECORD_KEYS:
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack_info"] = record.stack_info
        line["timestamp"] = (
            datetime.fromtimestamp(record.created, UTC).isoformat().replace("+00:00", "Z")
        )
        clean = _clean(line)
        try:
            return msgspec.json.encode(clean).decode()
        except (TypeError, msgspec.EncodeError):  # a key msgspec cannot write: never lose a line
            return json.dumps(clean, default=str)


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
    formatter = JsonLines()
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
