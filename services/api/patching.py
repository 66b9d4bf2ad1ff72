"""PATCH semantics: msgspec's UNSET (the field was not sent) to what the domain expects."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from msgspec import UnsetType

from domain.shared import UNSET, Unset

T = TypeVar("T")
V = TypeVar("V")


def given(value: T | UnsetType) -> T | None:
    """A field that cannot be null: not sent means unchanged, which the domain reads as None."""
    return None if isinstance(value, UnsetType) else value


def nullable(value: T | UnsetType | None) -> T | Unset | None:
    """A nullable field: not sent stays UNSET, null clears it."""
    return UNSET if isinstance(value, UnsetType) else value


def converted(value: T | UnsetType | None, convert: Callable[[T | None], V]) -> V | Unset:
    """A nullable field whose value becomes a value object (a quarter, money)."""
    return UNSET if isinstance(value, UnsetType) else convert(value)
