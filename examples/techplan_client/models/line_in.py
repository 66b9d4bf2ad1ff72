from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.category import Category
from ..models.line_in_quarter import LineInQuarter
from ..models.line_kind import LineKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="LineIn")


@_attrs_define
class LineIn:
    """
    Attributes:
        category (Category):
        quarter (LineInQuarter):
        amount_minor (int): integer minor units (cents), 0 or more
        kind (LineKind):
        initiative_id (None | Unset | UUID):
        description (None | str | Unset):
        rationale (None | str | Unset):
    """

    category: Category
    quarter: LineInQuarter
    amount_minor: int
    kind: LineKind
    initiative_id: Unset | UUID | None = UNSET
    description: str | Unset | None = UNSET
    rationale: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        category = self.category.value

        quarter = self.quarter.value

        amount_minor = self.amount_minor

        kind = self.kind.value

        initiative_id: str | Unset | None
        if isinstance(self.initiative_id, Unset):
            initiative_id = UNSET
        elif isinstance(self.initiative_id, UUID):
            initiative_id = str(self.initiative_id)
        else:
            initiative_id = self.initiative_id

        description: str | Unset | None
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        rationale: str | Unset | None
        if isinstance(self.rationale, Unset):
            rationale = UNSET
        else:
            rationale = self.rationale

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "category": category,
                "quarter": quarter,
                "amount_minor": amount_minor,
                "kind": kind,
            }
        )
        if initiative_id is not UNSET:
            field_dict["initiative_id"] = initiative_id
        if description is not UNSET:
            field_dict["description"] = description
        if rationale is not UNSET:
            field_dict["rationale"] = rationale

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = Category(d.pop("category"))

        quarter = LineInQuarter(d.pop("quarter"))

        amount_minor = d.pop("amount_minor")

        kind = LineKind(d.pop("kind"))

        def _parse_initiative_id(data: object) -> Unset | UUID | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                initiative_id_type_0 = UUID(data)

                return initiative_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        initiative_id = _parse_initiative_id(d.pop("initiative_id", UNSET))

        def _parse_description(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_rationale(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rationale = _parse_rationale(d.pop("rationale", UNSET))

        line_in = cls(
            category=category,
            quarter=quarter,
            amount_minor=amount_minor,
            kind=kind,
            initiative_id=initiative_id,
            description=description,
            rationale=rationale,
        )

        return line_in
