"""Use cases on reviews: plan one, change it, hold it (which locks it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from domain.client import Client
from domain.review import Review
from services.auth import EDIT
from services.commands.context import Context, change, requires

Result = tuple[Review, int]


@dataclass(frozen=True, kw_only=True)
class CreateReview:
    client_id: UUID
    title: str
    scheduled_for: date
    attendees: list[str]


@dataclass(frozen=True, kw_only=True)
class UpdateReview:
    """None leaves a field as it is."""

    review_id: UUID
    rationale: str
    title: str | None = None
    scheduled_for: date | None = None
    attendees: list[str] | None = None


@requires(EDIT)
def create_review(ctx: Context, command: CreateReview) -> Result:
    client = ctx.load(Client, command.client_id)
    review = Review.create(
        id=uuid4(),
        tenant_id=client.tenant_id,
        client_id=client.id,
        title=command.title,
        scheduled_for=command.scheduled_for,
        attendees=command.attendees,
        by=ctx.decision(),
    )
    return review, ctx.store.save(review)


@requires(EDIT)
def update_review(ctx: Context, command: UpdateReview) -> Result:
    return change(
        ctx,
        Review,
        command.review_id,
        lambda review: review.update(
            title=command.title,
            scheduled_for=command.scheduled_for,
            attendees=command.attendees,
            by=ctx.decision(command.rationale),
        ),
    )


@requires(EDIT)
def complete_review(
    ctx: Context, review_id: UUID, summary: str | None = None, rationale: str | None = None
) -> Result:
    """Every decision committed before this point is "before the review"; the next review's
    changes start after the head position read here."""
    return change(
        ctx,
        Review,
        review_id,
        lambda review: review.complete(
            summary=summary,
            head_position=ctx.store.max_position(),
            by=ctx.decision(rationale),
        ),
    )
