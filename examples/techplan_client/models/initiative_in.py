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


T = TypeVar("T", bound="InitiativeIn")


@_attrs_define
class InitiativeIn:
    """
    Attributes:
        title (str): 1-200 characters, no control characters
        category (Category):
        goal_ids (list[UUID]):
        priority (Priority):
        target_quarter (None | str | Unset):
        one_time_cost (MoneyIn | None | Unset):
        recurring_cost (None | RecurringCostIn | Unset):
        rationale (None | str | Unset):
    """

    title: str
    category: Category
    goal_ids: list[UUID]
    priority: Priority
    target_quarter: str | Unset | None = UNSET
    one_time_cost: MoneyIn | Unset | None = UNSET
    recurring_cost: RecurringCostIn | Unset | None = UNSET
    rationale: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.money_in import MoneyIn
        from ..models.recurring_cost_in import RecurringCostIn

        title = self.title

        category = self.category.value

        goal_ids = []
        for goal_ids_item_data in self.goal_ids:
            goal_ids_item = str(goal_ids_item_data)
            goal_ids.append(goal_ids_item)

        priority = self.priority.value

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

        rationale: str | Unset | None
        if isinstance(self.rationale, Unset):
            rationale = UNSET
        else:
            rationale = self.rationale

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "title": title,
                "category": category,
                "goal_ids": goal_ids,
                "priority": priority,
            }
        )
        if target_quarter is not UNSET:
            field_dict["target_quarter"] = target_quarter
        if one_time_cost is not UNSET:
            field_dict["one_time_cost"] = one_time_cost
        if recurring_cost is not UNSET:
            field_dict["recurring_cost"] = recurring_cost
        if rationale is not UNSET:
            field_dict["rationale"] = rationale

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money_in import MoneyIn
        from ..models.recurring_cost_in import RecurringCostIn

        d = dict(src_dict)
        title = d.pop("title")

        category = Category(d.pop("category"))

        goal_ids = []
        _goal_ids = d.pop("goal_ids")
        for goal_ids_item_data in _goal_ids:
            goal_ids_item = UUID(goal_ids_item_data)

            goal_ids.append(goal_ids_item)

        priority = Priority(d.pop("priority"))

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

        def _parse_rationale(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rationale = _parse_rationale(d.pop("rationale", UNSET))

        initiative_in = cls(
            title=title,
            category=category,
            goal_ids=goal_ids,
            priority=priority,
            target_quarter=target_quarter,
            one_time_cost=one_time_cost,
            recurring_cost=recurring_cost,
            rationale=rationale,
        )

        return initiative_in
