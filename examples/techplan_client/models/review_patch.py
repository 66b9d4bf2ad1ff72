from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReviewPatch")


@_attrs_define
class ReviewPatch:
    """
    Attributes:
        rationale (str): why: 1-4,000 characters
        title (None | str | Unset):
        scheduled_for (datetime.date | None | Unset):
        attendees (list[str] | None | Unset):
    """

    rationale: str
    title: str | Unset | None = UNSET
    scheduled_for: datetime.date | Unset | None = UNSET
    attendees: list[str] | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        rationale = self.rationale

        title: str | Unset | None
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title

        scheduled_for: str | Unset | None
        if isinstance(self.scheduled_for, Unset):
            scheduled_for = UNSET
        elif isinstance(self.scheduled_for, datetime.date):
            scheduled_for = self.scheduled_for.isoformat()
        else:
            scheduled_for = self.scheduled_for

        attendees: list[str] | Unset | None
        if isinstance(self.attendees, Unset):
            attendees = UNSET
        elif isinstance(self.attendees, list):
            attendees = self.attendees

        else:
            attendees = self.attendees

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "rationale": rationale,
            }
        )
        if title is not UNSET:
            field_dict["title"] = title
        if scheduled_for is not UNSET:
            field_dict["scheduled_for"] = scheduled_for
        if attendees is not UNSET:
            field_dict["attendees"] = attendees

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        rationale = d.pop("rationale")

        def _parse_title(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))

        def _parse_scheduled_for(data: object) -> datetime.date | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                scheduled_for_type_0 = datetime.date.fromisoformat(data)

                return scheduled_for_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        scheduled_for = _parse_scheduled_for(d.pop("scheduled_for", UNSET))

        def _parse_attendees(data: object) -> list[str] | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                attendees_type_0 = cast(list[str], data)

                return attendees_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        attendees = _parse_attendees(d.pop("attendees", UNSET))

        review_patch = cls(
            rationale=rationale,
            title=title,
            scheduled_for=scheduled_for,
            attendees=attendees,
        )

        return review_patch
