"""The reviews list: one row per review with its date, attendees and, once held, where the
notification log stood (what "changes since this review" starts from)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from psycopg.types.json import Jsonb

from domain.review import Review
from domain.shared import rfc3339
from infra.db import Cursor
from projections.base import Projection

R = Review

projection = Projection()
projection.name = "reviews"
projection.tables = ("reviews_view",)
projection.ddl = (
    """CREATE TABLE IF NOT EXISTS reviews_view (
        tenant_id uuid NOT NULL,
        client_id uuid NOT NULL,
        id uuid PRIMARY KEY,
        title text NOT NULL,
        scheduled_for date NOT NULL,
        attendees jsonb NOT NULL,
        status text NOT NULL,
        summary text,
        completed_at timestamptz,
        completed_position bigint,
        version int NOT NULL,
        created_position bigint NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS reviews_view_client ON reviews_view (client_id, created_position)",
)


reviews_view = projection.buffered("reviews_view")


def _set(e: Any, **values: Any) -> None:
    reviews_view.set(e.originator_id, **values, version=e.originator_version)


def _attendees(e: Any) -> Jsonb:
    return Jsonb(list(e.attendees), dumps=_encode)


def _encode(value: Any) -> str:
    return msgspec.json.encode(value).decode()


@projection.on(R.Created)
def created(cur: Cursor, e: R.Created, position: int) -> None:
    reviews_view.insert(
        {
            "tenant_id": e.tenant_id,
            "client_id": e.client_id,
            "id": e.originator_id,
            "title": e.title,
            "scheduled_for": e.scheduled_for,
            "attendees": _attendees(e),
            "status": "planned",
            "version": e.originator_version,
            "created_position": position,
        }
    )


@projection.on(R.Retitled)
def retitled(cur: Cursor, e: R.Retitled, position: int) -> None:
    _set(e, title=e.title)


@projection.on(R.Rescheduled)
def rescheduled(cur: Cursor, e: R.Rescheduled, position: int) -> None:
    _set(e, scheduled_for=e.scheduled_for)


@projection.on(R.AttendeesChanged)
def attendees_changed(cur: Cursor, e: R.AttendeesChanged, position: int) -> None:
    _set(e, attendees=_attendees(e))


@projection.on(R.Completed)
def completed(cur: Cursor, e: R.Completed, position: int) -> None:
    _set(
        e,
        status="completed",
        summary=e.summary,
        completed_at=e.timestamp,
        completed_position=e.completed_position,
    )


# ---------------------------------------------------------------- queries


def view(row: dict[str, Any]) -> dict[str, Any]:
    """A review as GET /v1/reviews/{id} shows it."""
    return {
        "id": str(row["id"]),
        "client_id": str(row["client_id"]),
        "title": row["title"],
        "scheduled_for": row["scheduled_for"].isoformat(),
        "attendees": list(row["attendees"]),
        "status": row["status"],
        "summary": row["summary"],
        "completed_at": None if row["completed_at"] is None else rfc3339(row["completed_at"]),
        "completed_position": row["completed_position"],
        "version": row["version"],
    }


def list_reviews(
    cur: Cursor, client_id: UUID, *, after: int, limit: int
) -> list[tuple[int, dict[str, Any]]]:
    cur.execute(
        "SELECT * FROM reviews_view WHERE client_id = %s AND created_position > %s"
        " ORDER BY created_position LIMIT %s",
        (client_id, after, limit),
    )
    return [(r["created_position"], view(r)) for r in cur.fetchall()]


def get_review(cur: Cursor, review_id: UUID) -> dict[str, Any] | None:
    cur.execute("SELECT * FROM reviews_view WHERE id = %s", (review_id,))
    row = cur.fetchone()
    return None if row is None else view(row)
