from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ClientPatch")


@_attrs_define
class ClientPatch:
    """
    Attributes:
        rationale (str): why: 1-4,000 characters
        name (None | str | Unset):
        fiscal_year_start_month (int | None | Unset):
    """

    rationale: str
    name: str | Unset | None = UNSET
    fiscal_year_start_month: int | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        rationale = self.rationale

        name: str | Unset | None
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        fiscal_year_start_month: int | Unset | None
        if isinstance(self.fiscal_year_start_month, Unset):
            fiscal_year_start_month = UNSET
        else:
            fiscal_year_start_month = self.fiscal_year_start_month

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "rationale": rationale,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if fiscal_year_start_month is not UNSET:
            field_dict["fiscal_year_start_month"] = fiscal_year_start_month

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        rationale = d.pop("rationale")

        def _parse_name(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_fiscal_year_start_month(data: object) -> int | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        fiscal_year_start_month = _parse_fiscal_year_start_month(
            d.pop("fiscal_year_start_month", UNSET)
        )

        client_patch = cls(
            rationale=rationale,
            name=name,
            fiscal_year_start_month=fiscal_year_start_month,
        )

        return client_patch
