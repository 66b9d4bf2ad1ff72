from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PlanIn")


@_attrs_define
class PlanIn:
    """
    Attributes:
        title (str): 1-200 characters, no control characters
        strategy_id (UUID):
        rationale (None | str | Unset):
    """

    title: str
    strategy_id: UUID
    rationale: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        title = self.title

        strategy_id = str(self.strategy_id)

        rationale: str | Unset | None
        if isinstance(self.rationale, Unset):
            rationale = UNSET
        else:
            rationale = self.rationale

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "title": title,
                "strategy_id": strategy_id,
            }
        )
        if rationale is not UNSET:
            field_dict["rationale"] = rationale

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        title = d.pop("title")

        strategy_id = UUID(d.pop("strategy_id"))

        def _parse_rationale(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rationale = _parse_rationale(d.pop("rationale", UNSET))

        plan_in = cls(
            title=title,
            strategy_id=strategy_id,
            rationale=rationale,
        )

        return plan_in
