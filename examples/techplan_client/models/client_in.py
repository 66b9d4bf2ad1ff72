from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ClientIn")


@_attrs_define
class ClientIn:
    """
    Attributes:
        name (str): 1-200 characters, no control characters
        fiscal_year_start_month (int | Unset):  Default: 1.
        currency (str | Unset): ISO 4217 code Default: 'USD'.
    """

    name: str
    fiscal_year_start_month: int | Unset = 1
    currency: str | Unset = "USD"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        fiscal_year_start_month = self.fiscal_year_start_month

        currency = self.currency

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
            }
        )
        if fiscal_year_start_month is not UNSET:
            field_dict["fiscal_year_start_month"] = fiscal_year_start_month
        if currency is not UNSET:
            field_dict["currency"] = currency

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        fiscal_year_start_month = d.pop("fiscal_year_start_month", UNSET)

        currency = d.pop("currency", UNSET)

        client_in = cls(
            name=name,
            fiscal_year_start_month=fiscal_year_start_month,
            currency=currency,
        )

        client_in.additional_properties = d
        return client_in

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
