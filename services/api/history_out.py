"""Response bodies of history, time travel, diffs, audit items and "what changed since"
(services/api/responses.py): one shape for every kind of aggregate.

The envelope of a history item or a change is declared exactly; what a change's `before` and
`after` hold is free-form on purpose: a field's value in the resource as GET shows it, which
is any JSON value (a string, a number, an item of a list as an object, null when the field
or item was added or removed), depending on the kind and the path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal
from uuid import UUID

import msgspec

from domain.catalogue import event_classes
from services.api.responses import DateTime, Instant, Out

__all__ = [
    "ActorOut",
    "AggregateChangesOut",
    "AggregateType",
    "AuditItemOut",
    "ChangeOut",
    "ChangesOut",
    "DiffOut",
    "EventType",
    "HealthScoreMove",
    "HistoryItemOut",
    "HistoryPage",
    "JsonValue",
    "Role",
]

AggregateType = Literal["client", "strategy", "plan", "budget", "review", "standard", "assessment"]
Role = Literal["admin", "editor", "viewer", "client"]
if TYPE_CHECKING:
    EventType = str
else:
    # `<aggregate_type>.<what happened>`: one of the catalogue's (GET /v1/event-types).
    EventType = Literal[tuple(event_classes())]

# Any JSON value: what a field of a resource holds (free-form, see the module's docstring).
JsonValue = str | int | float | bool | dict[str, Any] | list[Any] | None


class ActorOut(Out, kw_only=True):
    """Who took a decision: the API key (its id, name and role) behind the request."""

    id: str
    name: str
    role: Role


class ChangeOut(Out, kw_only=True):
    """One field-level change. `path` is a JSON Pointer into the resource as GET shows it,
    list items addressed by their id (`/goals/{gid}/priority`); `before` and `after` are
    free-form: the values at that path (any JSON value), `before` null for an added field or
    item and `after` null for a removed one."""

    path: str
    before: JsonValue
    after: JsonValue


class HistoryItemOut(Out, kw_only=True):
    """One event of an aggregate, as the changes it made to the resource."""

    version: Annotated[int, msgspec.Meta(ge=1)]
    type: EventType
    occurred_at: DateTime
    actor: ActorOut
    rationale: str | None
    changes: list[ChangeOut]
    position: int
    correlation_id: str | None


class HistoryPage(Out, kw_only=True):
    """`GET /v1/{kind}/{id}/history`: one item per event, oldest first."""

    items: list[HistoryItemOut]
    next_cursor: str | None


class DiffOut(Out, kw_only=True):
    """`GET /v1/{kind}/{id}/diff`: the net difference between versions `from` and `to`."""

    from_: int = msgspec.field(name="from")
    to: int
    changes: list[ChangeOut]


class AuditItemOut(HistoryItemOut, kw_only=True):
    """A history item and whose it is; `client_id` is null for a tenant-wide decision (the
    standards library)."""

    client_id: UUID | None
    aggregate_type: AggregateType
    aggregate_id: UUID


class AggregateChangesOut(Out, kw_only=True):
    """The net changes of one aggregate across a window (`title`: its title or name now; an
    assessment may have none)."""

    aggregate_type: AggregateType
    aggregate_id: UUID
    title: str | None
    changes: list[ChangeOut]


class HealthScoreMove(Out, kw_only=True):
    """The client's health score (the latest completed assessment's overall score) at the
    window's start and at its end; null where there was none."""

    before: Annotated[int, msgspec.Meta(ge=0, le=100)] | None
    after: Annotated[int, msgspec.Meta(ge=0, le=100)] | None


class ChangesOut(Out, kw_only=True):
    """`GET /v1/clients/{cid}/changes`: the decisions in the window, oldest first (paged by
    `next_cursor`), and with the first page the net changes of each aggregate touched."""

    since: Instant
    since_review: UUID | None
    since_position: int | None
    until: Instant | None
    decisions: list[AuditItemOut]
    next_cursor: str | None
    aggregates: list[AggregateChangesOut]
    health_score: HealthScoreMove
