from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.category import Category
from ..models.priority import Priority
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money_in import MoneyIn
    from ..models.recurring_cost_in import RecurringCostIn


T = TypeVar("T", bound="InitiativePatch")


@_attrs_define
class InitiativePatch:
    """
    Attributes:
        rationale (str): why: 1-4,000 characters
        title (str | Unset): 1-200 characters, no control characters
        category (Category | Unset):
        goal_ids (list[UUID] | Unset):
        target_quarter (None | str | Unset):
        one_time_cost (MoneyIn | None | Unset):
        recurring_cost (None | RecurringCostIn | Unset):
        priority (Priority | Unset):
    """

    rationale: str
    title: str | Unset = UNSET
    category: Category | Unset = UNSET
    goal_ids: list[UUID] | Unset = UNSET
    target_quarter: str | Unset | None = UNSET
    one_time_cost: MoneyIn | Unset | None = UNSET
    recurring_cost: RecurringCostIn | Unset | None = UNSET
    priority: Priority | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.money_in import MoneyIn
        from ..models.recurring_cost_in import RecurringCostIn

        rationale = self.rationale

        title = self.title

        category: str | Unset = UNSET
        if not isinstance(self.category, Unset):
            category = self.category.value

        goal_ids: list[str] | Unset = UNSET
        if not isinstance(self.goal_ids, Unset):
            goal_ids = []
            for goal_ids_item_data in self.goal_ids:
                goal_ids_item = str(goal_ids_item_data)
                goal_ids.append(goal_ids_item)

        target_quarter: str | Unset | None
        if isinstance(self.target_quarter, Unset):
            target_quarter = UNSET
        else:
            target_quarter = self.target_quarter

        one_time_cost: dict[str, Any] | Unset | None
        if isinstance(self.one_time_cost, Unset):
            one_time_cost = UNSET
        elif isinstance(self.one_time_cost, MoneyIn):
            one_time_cost = self.one_time_cost.to_dict()
        else:
            one_time_cost = self.one_time_cost

        recurring_cost: dict[str, Any] | Unset | None
        if isinstance(self.recurring_cost, Unset):
            recurring_cost = UNSET
        elif isinstance(self.recurring_cost, RecurringCostIn):
            recurring_cost = self.recurring_cost.to_dict()
        else:
            recurring_cost = self.recurring_cost

        priority: str | Unset = UNSET
        if not isinstance(self.priority, Unset):
            priority = self.priority.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "rationale": rationale,
            }
        )
        if title is not UNSET:
            field_dict["title"] = title
        if category is not UNSET:
            field_dict["category"] = category
        if goal_ids is not UNSET:
            field_dict["goal_ids"] = goal_ids
        if target_quarter is not UNSET:
            field_dict["target_quarter"] = target_quarter
        if one_time_cost is not UNSET:
            field_dict["one_time_cost"] = one_time_cost
        if recurring_cost is not UNSET:
            field_dict["recurring_cost"] = recurring_cost
        if priority is not UNSET:
            field_dict["priority"] = priority

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money_in import MoneyIn
        from ..models.recurring_cost_in import RecurringCostIn

        d = dict(src_dict)
        rationale = d.pop("rationale")

        title = d.pop("title", UNSET)

        _category = d.pop("category", UNSET)
        category: Category | Unset
        if isinstance(_category, Unset):
            category = UNSET
        else:
            category = Category(_category)

        _goal_ids = d.pop("goal_ids", UNSET)
        goal_ids: list[UUID] | Unset = UNSET
        if _goal_ids is not UNSET:
            goal_ids = []
            for goal_ids_item_data in _goal_ids:
                goal_ids_item = UUID(goal_ids_item_data)

                goal_ids.append(goal_ids_item)

        def _parse_target_quarter(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        target_quarter = _parse_target_quarter(d.pop("target_quarter", UNSET))

        def _parse_one_time_cost(data: object) -> MoneyIn | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                one_time_cost_type_0 = MoneyIn.from_dict(data)

                return one_time_cost_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MoneyIn | None | Unset, data)

        one_time_cost = _parse_one_time_cost(d.pop("one_time_cost", UNSET))

        def _parse_recurring_cost(data: object) -> RecurringCostIn | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                recurring_cost_type_0 = RecurringCostIn.from_dict(data)

                return recurring_cost_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RecurringCostIn | Unset, data)

        recurring_cost = _parse_recurring_cost(d.pop("recurring_cost", UNSET))

        _priority = d.pop("priority", UNSET)
        priority: Priority | Unset
        if isinstance(_priority, Unset):
            priority = UNSET
        else:
            priority = Priority(_priority)

        initiative_patch = cls(
            rationale=rationale,
            title=title,
            category=category,
            goal_ids=goal_ids,
            target_quarter=target_quarter,
            one_time_cost=one_time_cost,
            recurring_cost=recurring_cost,
            priority=priority,
        )

        return initiative_patch
