"""What a delivery POSTs: the event as API.md describes it, with the delivery's own id."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

import msgspec

from domain.shared import TENANT_WIDE, TechplanEvent, rfc3339

# Fields every event has; `data` carries the rest: what this event changed.
COMMON = frozenset(
    {
        "originator_id",
        "originator_version",
        "originator_topic",
        "timestamp",
        "tenant_id",
        "client_id",
        "actor",
        "correlation_id",
        "rationale",
    }
)
EVENT_IDS = uuid.UUID("0b1f5a52-3c2e-4a49-9a43-6c1e8d7b9f10")

# The aggregate as an event left it: (aggregate id, version) -> the aggregate.
StateAt = Callable[[UUID, int], Any]

# Events on an item name it by one of these fields; the item is found in the aggregate's view
# under the list named, by its key. The first field an event has decides (a budget line's
# event names the initiative it funds too, an actual names its line).
ITEMS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "plan": (("initiative_id", "initiatives", "id"),),
    "budget": (("actual_id", "actuals", "id"), ("line_id", "lines", "id")),
    "strategy": (("goal_id", "goals", "id"), ("principle_id", "principles", "id")),
    "assessment": (("standard_id", "items", "standard_id"),),
}

_encoder = msgspec.json.Encoder()


def event_id(event: TechplanEvent) -> UUID:
    """A stable id for an event: the same on every delivery and replay of it."""
    return uuid.uuid5(EVENT_IDS, f"{event.originator_id}:{event.originator_version}")


def jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return rfc3339(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, Decimal):
        return str(value)
    as_dict = getattr(value, "as_dict", None)
    if callable(as_dict):
        return jsonable(as_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((jsonable(v) for v in value), key=str)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return str(value)


def item_after(event: TechplanEvent, state_at: StateAt | None) -> dict[str, Any] | None:
    """For an event on an item (an initiative, a budget line or actual, a goal, an assessment
    answer), that item's whole state after the event, as GET shows it; None for other events
    and for an item the event removed."""
    if state_at is None:
        return None
    for field, list_key, key in ITEMS.get(event.type_name().split(".", 1)[0], ()):
        item_id = getattr(event, field, None)
        if item_id is None:
            continue
        view = state_at(event.originator_id, event.originator_version).view()
        wanted = str(item_id)
        return next((i for i in view.get(list_key, []) if i.get(key) == wanted), None)
    return None


def event_fields(
    event: TechplanEvent, position: int, state_at: StateAt | None = None
) -> dict[str, Any]:
    """The payload without its delivery id. `data` holds what the event changed and, given
    `state_at`, under `item` the whole state of the item it changed."""
    type_name = event.type_name()
    data = {k: jsonable(v) for k, v in vars(event).items() if k not in COMMON}
    item = item_after(event, state_at)
    if item is not None:
        data["item"] = item
    return {
        "event_id": str(event_id(event)),
        "type": type_name,
        "position": position,
        "occurred_at": rfc3339(event.timestamp),
        # A standard belongs to the tenant, not to a client.
        "client_id": None if event.client_id == TENANT_WIDE else str(event.client_id),
        "aggregate": {
            "type": type_name.split(".", 1)[0],
            "id": str(event.originator_id),
            "version": event.originator_version,
        },
        "actor": event.actor.as_dict(),
        "rationale": event.rationale,
        "correlation_id": event.correlation_id,
        "data": data,
    }


def body(delivery_id: UUID, fields: Mapping[str, Any], *, replay: bool) -> str:
    """The exact JSON text sent (and signed): `id` first, then the event."""
    return _encoder.encode({"id": str(delivery_id), **fields, "replay": replay}).decode()
