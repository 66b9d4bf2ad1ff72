"""A review of a client's technology strategy: a meeting (QBR) planned for a date, held once.

Completing a review records where the notification log stood at that moment, so the next
review can ask "what changed since": every decision after that position. A completed
review is the record of what was agreed, so it is locked.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.shared import (
    Decision,
    RuleViolation,
    StateConflict,
    TechplanAggregate,
    TechplanCreated,
    TechplanEvent,
    created_fields,
    rfc3339,
)


class ReviewStatus(StrEnum):
    PLANNED = "planned"
    COMPLETED = "completed"


class Review(TechplanAggregate):
    aggregate_type = "review"

    class Created(TechplanCreated):
        """A review meeting was planned with a client."""

        title: str
        scheduled_for: str
        attendees: list[str]

        def apply(self, review: Review) -> None:
            review.tenant_id = self.tenant_id
            review.client_id = self.client_id
            review.title = self.title
            review.scheduled_for = date.fromisoformat(self.scheduled_for)
            review.attendees = tuple(self.attendees)
            review.status = ReviewStatus.PLANNED
            review.summary = None
            review.completed_at = None
            review.completed_position = None

    class Retitled(TechplanEvent):
        """A review was renamed."""

        title: str

        def apply(self, review: Review) -> None:
            review.title = self.title

    class Rescheduled(TechplanEvent):
        """A review was moved to another date."""

        scheduled_for: str

        def apply(self, review: Review) -> None:
            review.scheduled_for = date.fromisoformat(self.scheduled_for)

    class AttendeesChanged(TechplanEvent):
        """Who attends a review changed."""

        attendees: list[str]

        def apply(self, review: Review) -> None:
            review.attendees = tuple(self.attendees)

    class Completed(TechplanEvent):
        """A review was held: its summary is recorded and it is locked."""

        summary: str | None
        completed_position: int

        def apply(self, review: Review) -> None:
            review.status = ReviewStatus.COMPLETED
            review.summary = self.summary
            review.completed_at = rfc3339(self.timestamp)
            review.completed_position = self.completed_position

    title: str
    scheduled_for: date
    attendees: tuple[str, ...]
    status: ReviewStatus
    summary: str | None
    completed_at: str | None  # as API.md writes times; the read side filters by it as is
    completed_position: int | None

    @classmethod
    def create(
        cls,
        *,
        id: UUID,
        tenant_id: UUID,
        client_id: UUID,
        title: str,
        scheduled_for: date,
        attendees: Iterable[str] = (),
        by: Decision,
    ) -> Review:
        return cls._create(
            cls.Created,
            id=id,
            title=title,
            scheduled_for=_day(scheduled_for),
            attendees=_attendees(attendees),
            **created_fields(tenant_id, client_id, by),
        )

    # ------------------------------------------------------------ commands

    def update(
        self,
        *,
        title: str | None = None,
        scheduled_for: date | None = None,
        attendees: Iterable[str] | None = None,
        by: Decision,
    ) -> None:
        """Change what is given: one event per kind of change, none when nothing changes."""
        self._require_rationale(by)
        self._require_planned()
        if title is not None and title != self.title:
            self._record(self.Retitled, by, title=title)
        if scheduled_for is not None and (day := _day(scheduled_for)) != str(self.scheduled_for):
            self._record(self.Rescheduled, by, scheduled_for=day)
        if attendees is not None and (people := _attendees(attendees)) != list(self.attendees):
            self._record(self.AttendeesChanged, by, attendees=people)

    def complete(self, *, summary: str | None, head_position: int, by: Decision) -> None:
        """Hold the review. `head_position` is the notification log's last position now:
        the decisions after it are the ones the next review looks at."""
        self._require_planned()
        if isinstance(head_position, bool) or not isinstance(head_position, int):
            raise RuleViolation("a position is an integer", field="completed_position")
        if head_position < 0:
            raise RuleViolation("a position is not negative", field="completed_position")
        self._record(self.Completed, by, summary=summary, completed_position=head_position)

    # ------------------------------------------------------------ rules

    def _require_planned(self) -> None:
        if self.status is ReviewStatus.COMPLETED:
            raise StateConflict("a completed review is locked")

    def view(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "client_id": str(self.client_id),
            "title": self.title,
            "scheduled_for": self.scheduled_for.isoformat(),
            "attendees": list(self.attendees),
            "status": self.status.value,
            "summary": self.summary,
            "completed_at": self.completed_at,
            "completed_position": self.completed_position,
            "version": self.version,
        }

    def primitive_state(self) -> dict[str, Any]:
        state = super().primitive_state()
        state["scheduled_for"] = self.scheduled_for.isoformat()
        state["attendees"] = list(self.attendees)
        state["status"] = self.status.value
        return state

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["scheduled_for"] = date.fromisoformat(state["scheduled_for"])
        state["attendees"] = tuple(state["attendees"])
        state["status"] = ReviewStatus(state["status"])


def _day(value: date) -> str:
    if not isinstance(value, date):
        raise RuleViolation("a date reads like 2027-03-01", field="scheduled_for")
    return value.isoformat()


def _attendees(people: Iterable[str]) -> list[str]:
    """Attendees in the order given, each once."""
    if isinstance(people, str):
        raise RuleViolation("attendees is a list of names", field="attendees")
    return list(dict.fromkeys(people))
