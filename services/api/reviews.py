"""/v1/clients/{cid}/reviews and /v1/reviews: plan a review, change it, hold it."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from domain.review import Review
from projections import reviews as reviews_view
from services.api.common import answer, client_list
from services.api.history import load_at
from services.api.params import AsOf, Limit, MinPosition, PageCursor, Version
from services.api.responses import typed
from services.api.reviews_out import ReviewOut, ReviewPage
from services.api.schemas import ReviewComplete, ReviewIn, ReviewPatch
from services.auth import READ, Principal
from services.bootstrap import Container
from services.commands import reviews as commands
from services.commands.context import Context


class ClientReviewsController(Controller):
    path = "/v1/clients/{client_id:uuid}/reviews"
    tags = ["reviews"]

    @post("/", sync_to_thread=True, status_code=201)
    def create(
        self,
        context: NamedDependency[Context],
        client_id: FromPath[UUID],
        data: JSONBody[ReviewIn],
    ) -> Response[ReviewOut]:
        review, position = commands.create_review(
            context,
            commands.CreateReview(
                client_id=client_id,
                title=data.title,
                scheduled_for=data.scheduled_for,
                attendees=data.attendees,
            ),
        )
        return answer(ReviewOut, review.view(), status=201, position=position)

    @get("/")
    async def list_reviews(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        client_id: FromPath[UUID],
        limit: Limit = 50,
        cursor: PageCursor = None,
        min_position: MinPosition = None,
    ) -> ReviewPage:
        page = await client_list(
            container,
            principal,
            client_id,
            reviews_view.projection.name,
            reviews_view.list_reviews,
            limit=limit,
            cursor=cursor,
            min_position=min_position,
        )
        return typed(ReviewPage, page)


class ReviewController(Controller):
    path = "/v1/reviews/{review_id:uuid}"
    tags = ["reviews"]

    @get("/", sync_to_thread=True)
    def get_review(
        self,
        context: NamedDependency[Context],
        review_id: FromPath[UUID],
        version: Version = None,
        as_of: AsOf = None,
    ) -> Response[ReviewOut]:
        context.principal.require(*READ)
        review = load_at(context, Review, review_id, version, as_of)
        return answer(ReviewOut, review.view())

    @patch("/", sync_to_thread=True)
    def update(
        self,
        context: NamedDependency[Context],
        review_id: FromPath[UUID],
        data: JSONBody[ReviewPatch],
    ) -> Response[ReviewOut]:
        review, position = commands.update_review(
            context,
            commands.UpdateReview(
                review_id=review_id,
                rationale=data.rationale,
                title=data.title,
                scheduled_for=data.scheduled_for,
                attendees=data.attendees,
            ),
        )
        return answer(ReviewOut, review.view(), position=position)

    @post("/complete", sync_to_thread=True, status_code=200)
    def complete(
        self,
        context: NamedDependency[Context],
        review_id: FromPath[UUID],
        data: JSONBody[ReviewComplete | None] = None,
    ) -> Response[ReviewOut]:
        done = data or ReviewComplete()
        review, position = commands.complete_review(
            context, review_id, done.summary, done.rationale
        )
        return answer(ReviewOut, review.view(), position=position)
