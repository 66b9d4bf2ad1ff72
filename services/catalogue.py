"""The catalogue of event type names, derived from the event classes themselves."""

from __future__ import annotations

import inspect
from functools import cache
from typing import Any

from domain.shared import TechplanEvent
from services.store import aggregate_classes


@cache
def event_classes() -> dict[str, type[TechplanEvent]]:
    found: dict[str, type[TechplanEvent]] = {}
    for aggregate in aggregate_classes():
        for _, member in inspect.getmembers(aggregate, inspect.isclass):
            if issubclass(member, TechplanEvent) and member.__qualname__.startswith(
                aggregate.__name__ + "."
            ):
                found[member.type_name()] = member
    return dict(sorted(found.items()))


def event_types() -> list[dict[str, Any]]:
    return [
        {
            "type": name,
            "aggregate_type": name.split(".")[0],
            "description": describe(cls),
        }
        for name, cls in event_classes().items()
    ]


def describe(cls: type) -> str:
    """The first line of the event's own docstring (dataclass makes up one for subclasses)."""
    for klass in cls.__mro__:
        doc = klass.__dict__.get("__doc__")
        if doc and not doc.startswith(f"{klass.__name__}("):
            return inspect.cleandoc(doc).splitlines()[0]
    return ""
