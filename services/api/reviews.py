"""/v1/clients/{cid}/reviews and /v1/reviews: plan a review, change it, hold it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from domain.review import Review
from projections import reviews as reviews_view
from services.api.common import (
    client_list,
    ctx,
    resource,
    uuid_of,
)
from services.api.history import load_at
from services.auth import READ, Principal
from services.commands import reviews as commands
from services.commands.reviews import ReviewComplete, ReviewIn, ReviewPatch


class ClientReviewsController(Controller):
    path = "/v1/clients/{client_id:str}/reviews"
    tags = ["reviews"]

    @post("/", sync_to_thread=True, status_code=201)
    def create(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        client_id: FromPath[str],
        data: JSONBody[ReviewIn],
    ) -> Response[dict[str, Any]]:
        review, position = commands.create_review(
            ctx(request, principal), uuid_of(client_id, "client"), data
        )
        return resource(review.view(), status=201, position=position)

    @get("/", sync_to_thread=True)
    def list_reviews(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        client_id: FromPath[str],
        limit: FromQuery[int] = 50,
        cursor: FromQuery[str | None] = None,
        min_position: FromQuery[int | None] = None,
    ) -> dict[str, Any]:
        return client_list(
            request,
            principal,
            client_id,
            reviews_view.projection.name,
            reviews_view.list_reviews,
            limit=limit,
            cursor=cursor,
            min_position=min_position,
        )


class ReviewController(Controller):
    path = "/v1/reviews/{review_id:str}"
    tags = ["reviews"]

    @get("/", sync_to_thread=True)
    def get_review(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        review_id: FromPath[str],
        version: FromQuery[int | None] = None,
        as_of: FromQuery[datetime | None] = None,
    ) -> Response[dict[str, Any]]:
        principal.require(*READ)
        review = load_at(
            ctx(request, principal), Review, uuid_of(review_id, "review"), version, as_of
        )
        return resource(review.view())

    @patch("/", sync_to_thread=True)
    def update(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        review_id: FromPath[str],
        data: JSONBody[ReviewPatch],
    ) -> Response[dict[str, Any]]:
        review, position = commands.update_review(
            ctx(request, principal), uuid_of(review_id, "review"), data
        )
        return resource(review.view(), position=position)

    @post("/complete", sync_to_thread=True, status_code=200)
    def complete(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        review_id: FromPath[str],
        data: JSONBody[ReviewComplete | None] = None,
    ) -> Response[dict[str, Any]]:
        review, position = commands.complete_review(
            ctx(request, principal), uuid_of(review_id, "review"), data or ReviewComplete()
        )
        return resource(review.view(), position=position)
