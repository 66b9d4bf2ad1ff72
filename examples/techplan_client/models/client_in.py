from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

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

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        fiscal_year_start_month = self.fiscal_year_start_month

        currency = self.currency

        field_dict: dict[str, Any] = {}

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

        return client_in
