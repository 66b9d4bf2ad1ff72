from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="StrategyIn")


@_attrs_define
class StrategyIn:
    """
    Attributes:
        title (str): 1-200 characters, no control characters
        vision (None | str | Unset):
        rationale (None | str | Unset):
    """

    title: str
    vision: str | Unset | None = UNSET
    rationale: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        title = self.title

        vision: str | Unset | None
        if isinstance(self.vision, Unset):
            vision = UNSET
        else:
            vision = self.vision

        rationale: str | Unset | None
        if isinstance(self.rationale, Unset):
            rationale = UNSET
        else:
            rationale = self.rationale

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "title": title,
            }
        )
        if vision is not UNSET:
            field_dict["vision"] = vision
        if rationale is not UNSET:
            field_dict["rationale"] = rationale

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        title = d.pop("title")

        def _parse_vision(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        vision = _parse_vision(d.pop("vision", UNSET))

        def _parse_rationale(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rationale = _parse_rationale(d.pop("rationale", UNSET))

        strategy_in = cls(
            title=title,
            vision=vision,
            rationale=rationale,
        )

        return strategy_in
