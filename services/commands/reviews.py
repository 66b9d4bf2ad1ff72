"""Use cases on reviews: plan one, change it, hold it (which locks it)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID, uuid4

from msgspec import Meta

from domain.client import Client
from domain.review import Review
from services.api.common import Ctx
from services.api.schemas import Body, Name, Rationale, Text
from services.auth import EDIT
from services.store import retrying

Attendees = Annotated[list[Name], Meta(max_length=100, description="up to 100 names")]


class ReviewIn(Body, kw_only=True):
    title: Name
    scheduled_for: date
    attendees: Attendees = []


class ReviewPatch(Body, kw_only=True):
    rationale: Rationale
    title: Name | None = None
    scheduled_for: date | None = None
    attendees: Attendees | None = None


class ReviewComplete(Body, kw_only=True):
    summary: Text | None = None
    rationale: Rationale | None = None


Result = tuple[Review, int]


def create_review(ctx: Ctx, client_id: UUID, data: ReviewIn) -> Result:
    ctx.principal.require(*EDIT)
    client = ctx.c.store.load(Client, client_id, ctx.principal)
    review = Review.create(
        id=uuid4(),
        tenant_id=client.tenant_id,
        client_id=client.id,
        title=data.title,
        scheduled_for=data.scheduled_for,
        attendees=data.attendees,
        by=ctx.decision(),
    )
    return review, ctx.c.store.save(review)


def update_review(ctx: Ctx, review_id: UUID, data: ReviewPatch) -> Result:
    ctx.principal.require(*EDIT)

    def attempt() -> Result:
        review = ctx.c.store.load(Review, review_id, ctx.principal, if_match=ctx.if_match)
        review.update(
            title=data.title,
            scheduled_for=data.scheduled_for,
            attendees=data.attendees,
            by=ctx.decision(data.rationale),
        )
        return review, ctx.c.store.save(review)

    return retrying(attempt, if_match=ctx.if_match)


def complete_review(ctx: Ctx, review_id: UUID, data: ReviewComplete) -> Result:
    """Every decision committed before this point is "before the review"; the next review's
    changes start after the head position read here."""
    ctx.principal.require(*EDIT)

    def attempt() -> Result:
        store = ctx.c.store
        review = store.load(Review, review_id, ctx.principal, if_match=ctx.if_match)
        review.complete(
            summary=data.summary,
            head_position=store.max_position(),
            by=ctx.decision(data.rationale),
        )
        return review, store.save(review)

    return retrying(attempt, if_match=ctx.if_match)


def get_review(ctx: Ctx, review_id: UUID) -> Review:
    return ctx.c.store.load(Review, review_id, ctx.principal)
