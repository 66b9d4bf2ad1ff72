from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ActualIn")


@_attrs_define
class ActualIn:
    """
    Attributes:
        line_id (UUID):
        amount_minor (int): integer minor units; negative: a credit
        note (None | str | Unset):
        rationale (None | str | Unset):
    """

    line_id: UUID
    amount_minor: int
    note: str | Unset | None = UNSET
    rationale: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        line_id = str(self.line_id)

        amount_minor = self.amount_minor

        note: str | Unset | None
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        rationale: str | Unset | None
        if isinstance(self.rationale, Unset):
            rationale = UNSET
        else:
            rationale = self.rationale

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "line_id": line_id,
                "amount_minor": amount_minor,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note
        if rationale is not UNSET:
            field_dict["rationale"] = rationale

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        line_id = UUID(d.pop("line_id"))

        amount_minor = d.pop("amount_minor")

        def _parse_note(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        def _parse_rationale(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rationale = _parse_rationale(d.pop("rationale", UNSET))

        actual_in = cls(
            line_id=line_id,
            amount_minor=amount_minor,
            note=note,
            rationale=rationale,
        )

        return actual_in
