"""Money figures as the budget API states them, shared by the budget tests."""

from __future__ import annotations

from typing import Any


def money(amount_minor: int) -> dict[str, Any]:
    return {"amount_minor": amount_minor, "currency": "EUR"}


def figures(planned: int, actual: int) -> dict[str, Any]:
    return {"planned": money(planned), "actual": money(actual), "variance": money(planned - actual)}
