"""Query parameters, typed and bounded once: the OpenAPI document states what each accepts, and
Litestar refuses anything else (422, services/problems.py) before a handler runs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar.params import QueryParameter

from services.errors import Invalid

BIGINT = 2**63 - 1  # positions and versions are PostgreSQL bigints

Limit = Annotated[int, QueryParameter(ge=1, le=500, description="items per page (1-500)")]
# A page's cursor is the `next_cursor` of the page before. Every value the pattern admits is a
# valid cursor (a position or a version: the page starts after it, or before it for the lists
# that run newest first), so a client or a generated test never meets a cursor that parses but
# means nothing.
PageCursor = Annotated[
    str | None,
    QueryParameter(
        min_length=1,
        max_length=18,
        pattern=r"^[0-9]{1,18}$",
        description="the `next_cursor` of the previous page",
    ),
]
# The operator's lists of tenants and keys are ordered by id: the cursor is the last id seen.
IdCursor = Annotated[
    str | None,
    QueryParameter(
        min_length=36,
        max_length=36,
        pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        description="the `next_cursor` of the previous page",
    ),
]
# Fiscal years run 1901-9999 (domain/calendar.py); the patterns say so exactly.
_YEAR = r"(190[1-9]|19[1-9][0-9]|[2-9][0-9]{3})"
FISCAL_YEAR = rf"^FY{_YEAR}$"
FISCAL_QUARTER = rf"^FY{_YEAR}-Q[1-4]$"
QuarterParam = Annotated[
    str | None,
    QueryParameter(pattern=FISCAL_QUARTER, description="a fiscal quarter, e.g. FY2027-Q2"),
]
NO_CONTROLS = r"^[^\x00-\x1f\x7f]*$"  # PostgreSQL's text holds no NUL; no control is meant
SearchText = Annotated[
    str | None, QueryParameter(min_length=1, max_length=200, pattern=NO_CONTROLS)
]
MinPosition = Annotated[
    int | None,
    QueryParameter(
        ge=0,
        le=BIGINT,
        description="answer only once the read side holds every event up to this position",
        schema_extra={"minimum": 0},  # Litestar leaves out a bound of 0
    ),
]
Version = Annotated[
    int | None,
    QueryParameter(
        le=BIGINT,
        description="the resource as it was after this version (404 if none); with as_of,"
        " as it was at whichever of the two came first",
    ),
]
# Times are taken as text and parsed here: Litestar's lax conversion would read `0.5` as a
# Unix timestamp.
Instant = Annotated[
    str | None,
    QueryParameter(
        max_length=64,
        description="an RFC 3339 date-time with an offset",
        schema_extra={"format": "date-time"},
    ),
]
AsOf = Annotated[
    str | None,
    QueryParameter(
        max_length=64,
        description="the resource as it was after its last event at or before this time",
        schema_extra={"format": "date-time"},
    ),
]
IdFilter = Annotated[UUID | None, QueryParameter(description="only items of this id")]
AggregateType = Literal["client", "strategy", "plan", "budget", "review", "standard", "assessment"]


def instant(raw: str | None, field: str) -> datetime | None:
    """A moment in UTC. Every RFC 3339 time is accepted: one past the calendar's ends once
    in UTC (0001-01-01T00:00:00+01:00) is taken as that end, which no event is beyond."""
    if raw is None:
        return None
    try:
        value = msgspec.convert(raw, datetime)
    except msgspec.ValidationError:
        raise Invalid(f"{field} is not an RFC 3339 date-time", field=field) from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise Invalid(f"{field} needs a time zone offset", field=field)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        edge = datetime.min if value.year == 1 else datetime.max
        return edge.replace(tzinfo=UTC)
