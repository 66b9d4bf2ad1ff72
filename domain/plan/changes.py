"""What an edit of an initiative changes: one event (by name) per kind of change.

Everything is checked before anything is recorded, so a bad field leaves no half-update.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from domain.calendar import FiscalQuarter
from domain.category import Category
from domain.plan.costs import (
    RecurringCost,
    checked_one_time_cost,
    checked_recurring_cost,
    cost_fields,
)
from domain.plan.initiative import (
    Initiative,
    checked_goal_ids,
    checked_priority,
    goal_uuids,
    quarter_text,
)
from domain.shared import UNSET, Money, Priority, Unset


def initiative_changes(
    current: Initiative,
    *,
    title: str | None,
    description: str | Unset | None,
    category: Category | str | None,
    goal_ids: Iterable[UUID | str] | None,
    target_quarter: FiscalQuarter | Unset | None,
    one_time_cost: Money | Unset | None,
    recurring_cost: RecurringCost | Unset | None,
    priority: Priority | str | None,
    currency: str,
    strategy_goal_ids: Iterable[UUID | str] | None,
) -> list[tuple[str, dict[str, Any]]]:
    """(event class name, fields) for each kind of change, none when nothing changes."""
    changes: list[tuple[str, dict[str, Any]]] = []
    if title is not None and title != current.title:
        changes.append(("InitiativeRetitled", {"title": title}))
    if description is not UNSET and description != current.description:
        changes.append(("InitiativeDescribed", {"description": description}))
    if category is not None and (new := Category.parse(category)) != current.category:
        changes.append(("InitiativeRecategorized", {"category": new.value}))
    if goal_ids is not None:
        new_goals = checked_goal_ids(goal_ids, strategy_goal_ids)
        if goal_uuids(new_goals) != current.goal_ids:
            changes.append(("InitiativeRealigned", {"goal_ids": new_goals}))
    if target_quarter is not UNSET and target_quarter != current.target_quarter:
        changes.append(("InitiativeRescheduled", {"target_quarter": quarter_text(target_quarter)}))
    one_time = (
        current.one_time_cost
        if one_time_cost is UNSET
        else checked_one_time_cost(one_time_cost, currency)
    )
    recurring = (
        current.recurring_cost
        if recurring_cost is UNSET
        else checked_recurring_cost(recurring_cost, currency)
    )
    if (one_time, recurring) != (current.one_time_cost, current.recurring_cost):
        changes.append(("InitiativeReestimated", cost_fields(one_time, recurring)))
    if priority is not None and (new_p := checked_priority(priority)) != current.priority:
        changes.append(("InitiativeReprioritized", {"priority": new_p.value}))
    return changes
