from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.period import Period
from ..types import UNSET, Unset

T = TypeVar("T", bound="RecurringCostIn")


@_attrs_define
class RecurringCostIn:
    """
    Attributes:
        amount_minor (int): integer minor units (cents), 0 or more
        currency (str): ISO 4217 code
        per (Period):
        quantity (int | Unset):  Default: 1.
    """

    amount_minor: int
    currency: str
    per: Period
    quantity: int | Unset = 1

    def to_dict(self) -> dict[str, Any]:
        amount_minor = self.amount_minor

        currency = self.currency

        per = self.per.value

        quantity = self.quantity

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount_minor": amount_minor,
                "currency": currency,
                "per": per,
            }
        )
        if quantity is not UNSET:
            field_dict["quantity"] = quantity

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount_minor = d.pop("amount_minor")

        currency = d.pop("currency")

        per = Period(d.pop("per"))

        quantity = d.pop("quantity", UNSET)

        recurring_cost_in = cls(
            amount_minor=amount_minor,
            currency=currency,
            per=per,
            quantity=quantity,
        )

        return recurring_cost_in
