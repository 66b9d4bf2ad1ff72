"""Response bodies of /v1/clients/{cid}/reviews and /v1/reviews (services/api/responses.py)."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from services.api.responses import Instant, Out, Resource


class ReviewOut(Resource, kw_only=True):
    """A technology strategy meeting (a QBR). Once `completed` it is locked: `completed_at`
    and `completed_position` (the log position `/changes?since_review=` starts after) are
    set, and null before."""

    id: UUID
    client_id: UUID
    title: str
    scheduled_for: date
    attendees: list[str]
    status: Literal["planned", "completed"]
    summary: str | None
    completed_at: Instant | None
    completed_position: int | None
    version: int


class ReviewPage(Out, kw_only=True):
    items: list[ReviewOut]
    next_cursor: str | None
