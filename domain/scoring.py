"""An assessment's score, in integer arithmetic (API.md): for the whole assessment and for each
category, round(100 x the weight answered "aligned" / the weight answered, "not applicable"
left out of both), or None while that weight is zero (nothing answered, or all of it not
applicable). Halves round up (12.5 is 13), the way a person rounds a percentage.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from domain.category import Category


class Result(StrEnum):
    ALIGNED = "aligned"
    MISALIGNED = "misaligned"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Scored:
    """What a score needs of an assessment item."""

    category: Category
    weight: int
    result: Result | None


def percent(items: Iterable[Scored]) -> int | None:
    aligned = answered = 0
    for item in items:
        if item.result is Result.ALIGNED:
            aligned += item.weight
        if item.result in (Result.ALIGNED, Result.MISALIGNED):
            answered += item.weight
    if answered == 0:
        return None
    return (200 * aligned + answered) // (2 * answered)


def score(items: Sequence[Scored]) -> dict[str, Any]:
    """`{overall, by_category: {category: n | None}}`, every category the items check, in the
    catalogue's order."""
    categories = [c for c in Category if any(i.category is c for i in items)]
    return {
        "overall": percent(items),
        "by_category": {c.value: percent(i for i in items if i.category is c) for c in categories},
    }
