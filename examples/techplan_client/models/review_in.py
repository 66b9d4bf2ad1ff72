from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReviewIn")


@_attrs_define
class ReviewIn:
    """
    Attributes:
        title (str): 1-200 characters, no control characters
        scheduled_for (datetime.date):
        attendees (list[str] | Unset): up to 100 names
    """

    title: str
    scheduled_for: datetime.date
    attendees: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        title = self.title

        scheduled_for = self.scheduled_for.isoformat()

        attendees: list[str] | Unset = UNSET
        if not isinstance(self.attendees, Unset):
            attendees = self.attendees

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "title": title,
                "scheduled_for": scheduled_for,
            }
        )
        if attendees is not UNSET:
            field_dict["attendees"] = attendees

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        title = d.pop("title")

        scheduled_for = datetime.date.fromisoformat(d.pop("scheduled_for"))

        attendees = cast(list[str], d.pop("attendees", UNSET))

        review_in = cls(
            title=title,
            scheduled_for=scheduled_for,
            attendees=attendees,
        )

        return review_in
