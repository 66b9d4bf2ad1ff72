from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ReplayIn")


@_attrs_define
class ReplayIn:
    """
    Attributes:
        since_position (int):
    """

    since_position: int

    def to_dict(self) -> dict[str, Any]:
        since_position = self.since_position

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "since_position": since_position,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        since_position = d.pop("since_position")

        replay_in = cls(
            since_position=since_position,
        )

        return replay_in
