from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="DecisionIn")


@_attrs_define
class DecisionIn:
    """
    Attributes:
        rationale (str): why: 1-4,000 characters
    """

    rationale: str

    def to_dict(self) -> dict[str, Any]:
        rationale = self.rationale

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "rationale": rationale,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        rationale = d.pop("rationale")

        decision_in = cls(
            rationale=rationale,
        )

        return decision_in
