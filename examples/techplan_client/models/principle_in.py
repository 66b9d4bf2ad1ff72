from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PrincipleIn")


@_attrs_define
class PrincipleIn:
    """
    Attributes:
        statement (str): up to 4,000 characters; tab and newline are the only control characters
        rationale (None | str | Unset):
    """

    statement: str
    rationale: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        statement = self.statement

        rationale: str | Unset | None
        if isinstance(self.rationale, Unset):
            rationale = UNSET
        else:
            rationale = self.rationale

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "statement": statement,
            }
        )
        if rationale is not UNSET:
            field_dict["rationale"] = rationale

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        statement = d.pop("statement")

        def _parse_rationale(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rationale = _parse_rationale(d.pop("rationale", UNSET))

        principle_in = cls(
            statement=statement,
            rationale=rationale,
        )

        return principle_in
