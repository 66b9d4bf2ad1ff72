from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.category import Category
from ..models.line_kind import LineKind
from ..models.line_patch_quarter import LinePatchQuarter
from ..types import UNSET, Unset

T = TypeVar("T", bound="LinePatch")


@_attrs_define
class LinePatch:
    """
    Attributes:
        rationale (str): why: 1-4,000 characters
        category (Category | Unset):
        quarter (LinePatchQuarter | Unset):
        amount_minor (int | Unset): integer minor units (cents), 0 or more
        kind (LineKind | Unset):
        initiative_id (None | Unset | UUID):
        description (None | str | Unset):
    """

    rationale: str
    category: Category | Unset = UNSET
    quarter: LinePatchQuarter | Unset = UNSET
    amount_minor: int | Unset = UNSET
    kind: LineKind | Unset = UNSET
    initiative_id: Unset | UUID | None = UNSET
    description: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        rationale = self.rationale

        category: str | Unset = UNSET
        if not isinstance(self.category, Unset):
            category = self.category.value

        quarter: str | Unset = UNSET
        if not isinstance(self.quarter, Unset):
            quarter = self.quarter.value

        amount_minor = self.amount_minor

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
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

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "rationale": rationale,
            }
        )
        if category is not UNSET:
            field_dict["category"] = category
        if quarter is not UNSET:
            field_dict["quarter"] = quarter
        if amount_minor is not UNSET:
            field_dict["amount_minor"] = amount_minor
        if kind is not UNSET:
            field_dict["kind"] = kind
        if initiative_id is not UNSET:
            field_dict["initiative_id"] = initiative_id
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        rationale = d.pop("rationale")

        _category = d.pop("category", UNSET)
        category: Category | Unset
        if isinstance(_category, Unset):
            category = UNSET
        else:
            category = Category(_category)

        _quarter = d.pop("quarter", UNSET)
        quarter: LinePatchQuarter | Unset
        if isinstance(_quarter, Unset):
            quarter = UNSET
        else:
            quarter = LinePatchQuarter(_quarter)

        amount_minor = d.pop("amount_minor", UNSET)

        _kind = d.pop("kind", UNSET)
        kind: LineKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = LineKind(_kind)

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

        line_patch = cls(
            rationale=rationale,
            category=category,
            quarter=quarter,
            amount_minor=amount_minor,
            kind=kind,
            initiative_id=initiative_id,
            description=description,
        )

        return line_patch
