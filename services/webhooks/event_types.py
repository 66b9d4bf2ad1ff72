"""Which events a subscription wants: exact names, `prefix.*`, or `*`, checked against the
catalogue so a typo is refused (422) instead of silently never matching."""

from __future__ import annotations

from collections.abc import Sequence

from domain.catalogue import event_classes
from services.errors import Invalid


def known_patterns() -> tuple[set[str], set[str]]:
    names = set(event_classes())
    prefixes = {name.split(".", 1)[0] for name in names}
    return names, prefixes


def validate(patterns: Sequence[str], field: str = "event_types") -> list[str]:
    """The patterns without duplicates, in their order; an unknown one is 422 naming it."""
    if not patterns:
        raise Invalid("name at least one event type, a prefix like plan.*, or *", field=field)
    names, prefixes = known_patterns()
    for i, pattern in enumerate(patterns):
        if pattern == "*" or pattern in names:
            continue
        if pattern.endswith(".*") and pattern[:-2] in prefixes:
            continue
        raise Invalid(
            f"unknown event type {pattern!r}: GET /v1/event-types lists them", field=f"{field}.{i}"
        )
    return list(dict.fromkeys(patterns))


def matches(patterns: Sequence[str], type_name: str) -> bool:
    for pattern in patterns:
        if pattern == "*" or pattern == type_name:
            return True
        if pattern.endswith(".*") and type_name.startswith(pattern[:-1]):
            return True
    return False
