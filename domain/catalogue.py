"""The aggregates and the catalogue of event type names, derived from the event classes."""

from __future__ import annotations

import inspect
from functools import cache
from typing import Any

from domain.assessment import Assessment
from domain.budget import Budget
from domain.client import Client
from domain.plan import TechnologyPlan
from domain.review import Review
from domain.shared import TechplanAggregate, TechplanEvent
from domain.standard import Standard
from domain.strategy import Strategy

# Every aggregate the store holds; snapshots, the catalogue and the fixture test use this list.
AGGREGATES: tuple[type[TechplanAggregate], ...] = (
    Client,
    Strategy,
    TechnologyPlan,
    Budget,
    Review,
    Standard,
    Assessment,
)


@cache
def event_classes() -> dict[str, type[TechplanEvent]]:
    found: dict[str, type[TechplanEvent]] = {}
    for aggregate in AGGREGATES:
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
