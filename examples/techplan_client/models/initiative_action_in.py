from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="InitiativeActionIn")


@_attrs_define
class InitiativeActionIn:
    """
    Attributes:
        rationale (str): why: 1-4,000 characters
        target_quarter (None | str | Unset): a fiscal quarter, e.g. FY2027-Q2
    """

    rationale: str
    target_quarter: str | Unset | None = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        rationale = self.rationale

        target_quarter: str | Unset | None
        if isinstance(self.target_quarter, Unset):
            target_quarter = UNSET
        else:
            target_quarter = self.target_quarter

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
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

        initiative_action_in.additional_properties = d
        return initiative_action_in

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
