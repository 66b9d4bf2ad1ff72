"""The reviews list: one row per review with its date, attendees and, once held, where the
notification log stood (what "changes since this review" starts from)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec

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


def _set(cur: Cursor, e: Any, sets: str, *values: Any) -> None:
    cur.execute(
        f"UPDATE reviews_view SET {sets}, version = %s WHERE id = %s",
        (*values, e.originator_version, e.originator_id),
    )


@projection.on(R.Created)
def created(cur: Cursor, e: R.Created, position: int) -> None:
    cur.execute(
        "INSERT INTO reviews_view (tenant_id, client_id, id, title, scheduled_for, attendees,"
        " status, version, created_position)"
        " VALUES (%s, %s, %s, %s, %s, %s::jsonb, 'planned', %s, %s)",
        (
            e.tenant_id,
            e.client_id,
            e.originator_id,
            e.title,
            e.scheduled_for,
            msgspec.json.encode(list(e.attendees)).decode(),
            e.originator_version,
            position,
        ),
    )


@projection.on(R.Retitled)
def retitled(cur: Cursor, e: R.Retitled, position: int) -> None:
    _set(cur, e, "title = %s", e.title)


@projection.on(R.Rescheduled)
def rescheduled(cur: Cursor, e: R.Rescheduled, position: int) -> None:
    _set(cur, e, "scheduled_for = %s", e.scheduled_for)


@projection.on(R.AttendeesChanged)
def attendees_changed(cur: Cursor, e: R.AttendeesChanged, position: int) -> None:
    _set(cur, e, "attendees = %s::jsonb", msgspec.json.encode(list(e.attendees)).decode())


@projection.on(R.Completed)
def completed(cur: Cursor, e: R.Completed, position: int) -> None:
    _set(
        cur,
        e,
        "status = 'completed', summary = %s, completed_at = %s, completed_position = %s",
        e.summary,
        e.timestamp,
        e.completed_position,
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
