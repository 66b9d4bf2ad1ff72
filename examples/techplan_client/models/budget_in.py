from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BudgetIn")


@_attrs_define
class BudgetIn:
    """
    Attributes:
        fiscal_year (int | str):
        plan_id (None | Unset | UUID):
        title (None | str | Unset):
        rationale (None | str | Unset):
    """

    fiscal_year: int | str
    plan_id: Unset | UUID | None = UNSET
    title: str | Unset | None = UNSET
    rationale: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        fiscal_year: int | str
        fiscal_year = self.fiscal_year

        plan_id: str | Unset | None
        if isinstance(self.plan_id, Unset):
            plan_id = UNSET
        elif isinstance(self.plan_id, UUID):
            plan_id = str(self.plan_id)
        else:
            plan_id = self.plan_id

        title: str | Unset | None
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title

        rationale: str | Unset | None
        if isinstance(self.rationale, Unset):
            rationale = UNSET
        else:
            rationale = self.rationale

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "fiscal_year": fiscal_year,
            }
        )
        if plan_id is not UNSET:
            field_dict["plan_id"] = plan_id
        if title is not UNSET:
            field_dict["title"] = title
        if rationale is not UNSET:
            field_dict["rationale"] = rationale

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_fiscal_year(data: object) -> int | str:
            return cast(int | str, data)

        fiscal_year = _parse_fiscal_year(d.pop("fiscal_year"))

        def _parse_plan_id(data: object) -> Unset | UUID | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                plan_id_type_0 = UUID(data)

                return plan_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        plan_id = _parse_plan_id(d.pop("plan_id", UNSET))

        def _parse_title(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))

        def _parse_rationale(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rationale = _parse_rationale(d.pop("rationale", UNSET))

        budget_in = cls(
            fiscal_year=fiscal_year,
            plan_id=plan_id,
            title=title,
            rationale=rationale,
        )

        return budget_in
