"""An initiative's status moves and the checks on its fields, apart from the aggregate."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.calendar import FiscalQuarter
from domain.shared import Priority, RuleViolation, canonical_id


class InitiativeStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


_P, _A, _I = InitiativeStatus.PROPOSED, InitiativeStatus.APPROVED, InitiativeStatus.IN_PROGRESS
# The statuses each action may start from; anything else is a 409.
MOVES_FROM: dict[str, set[str]] = {
    "approve": {_P},
    "start": {_A},
    "complete": {_I},
    "defer": {_P, _A},
    "cancel": {_P, _A, _I},
}
LOCKED = {InitiativeStatus.DONE, InitiativeStatus.CANCELLED}


def copy_cost(value: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if value is None else dict(value)


def initiative_view(initiative: dict[str, Any]) -> dict[str, Any]:
    view = dict(initiative)
    view["goal_ids"] = list(initiative["goal_ids"])
    view["one_time_cost"] = copy_cost(initiative["one_time_cost"])
    view["recurring_cost"] = copy_cost(initiative["recurring_cost"])
    return view


def checked_goal_ids(
    goal_ids: Iterable[UUID | str], strategy_goal_ids: Iterable[UUID | str] | None
) -> list[str]:
    ids = list(dict.fromkeys(canonical_id(g, "goal_ids") for g in goal_ids))
    if strategy_goal_ids is not None:
        known = {canonical_id(g, "strategy_goal_ids") for g in strategy_goal_ids}
        if any(g not in known for g in ids):
            raise RuleViolation("a goal id is not a goal of the plan's strategy", field="goal_ids")
    return ids


def quarter_text(quarter: FiscalQuarter | None) -> str | None:
    return None if quarter is None else str(quarter)


def priority_value(priority: Priority | str) -> str:
    try:
        return Priority(priority).value
    except ValueError:
        raise RuleViolation(
            "priority is one of critical, high, medium, low", field="priority"
        ) from None
