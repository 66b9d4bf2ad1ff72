"""Response bodies of the health probes and the event-type catalogue
(services/api/responses.py)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from services.api.history_out import AggregateType, EventType
from services.api.responses import UNSET, Out, UnsetType

# "ok", or why not: "unreachable: <the error's class>" (stated, not checked: responses.py).
Check = Annotated[str, msgspec.Meta(extra_json_schema={"pattern": "^(ok|unreachable: .+)$"})]


class LiveOut(Out, kw_only=True):
    """The process answers."""

    status: Literal["ok"]


class ReadyChecksOut(Out, kw_only=True):
    """What readiness checked; `redis` only where a Redis is configured."""

    postgres: Check
    redis: Check | UnsetType = UNSET


class ReadyOut(Out, kw_only=True):
    """Readiness: `ok` (200) when every check is, else `unavailable` (503)."""

    status: Literal["ok", "unavailable"]
    checks: ReadyChecksOut


class EventTypeOut(Out, kw_only=True):
    """An event type and the first line of what it records."""

    type: EventType
    aggregate_type: AggregateType
    description: str


class EventTypePage(Out, kw_only=True):
    """Every event type, in one page (`next_cursor` is always null)."""

    items: list[EventTypeOut]
    next_cursor: str | None
