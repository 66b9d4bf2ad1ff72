from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="InitiativeActionIn")


@_attrs_define
class InitiativeActionIn:
    """
    Attributes:
        rationale (str): why: 1-4,000 characters
        target_quarter (None | str | Unset):
    """

    rationale: str
    target_quarter: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        rationale = self.rationale

        target_quarter: str | Unset | None
        if isinstance(self.target_quarter, Unset):
            target_quarter = UNSET
        else:
            target_quarter = self.target_quarter

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "rationale": rationale,
            }
        )
        if target_quarter is not UNSET:
            field_dict["target_quarter"] = target_quarter

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        rationale = d.pop("rationale")

        def _parse_target_quarter(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        target_quarter = _parse_target_quarter(d.pop("target_quarter", UNSET))

        initiative_action_in = cls(
            rationale=rationale,
            target_quarter=target_quarter,
        )

        return initiative_action_in
