"""/v1/standards: the tenant's standards library."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from domain.category import Category
from domain.standard import Standard, StandardStatus
from projections import standards as standards_view
from services.api.assessment_schemas import StandardIn, StandardPatch, template
from services.api.common import (
    answer,
    check_limit,
    decode_cursor,
    fresh,
    tenant_read,
    typed_page,
)
from services.api.history import load_at
from services.api.params import AsOf, Limit, MinPosition, PageCursor, Version
from services.api.patching import converted, given, nullable
from services.api.schemas import DecisionIn
from services.api.standards_out import StandardOut, StandardPage
from services.auth import READ_LIBRARY, Principal
from services.bootstrap import Container
from services.commands import standards as commands
from services.commands.context import Context


class StandardsController(Controller):
    path = "/v1/standards"
    tags = ["standards"]

    @post("/", sync_to_thread=True, status_code=201)
    def create(
        self, context: NamedDependency[Context], data: JSONBody[StandardIn]
    ) -> Response[StandardOut]:
        standard, position = commands.create_standard(
            context,
            commands.CreateStandard(
                title=data.title,
                category=data.category,
                question=data.question,
                weight=data.weight,
                severity=data.severity,
                initiative_template=template(data.initiative_template),
                rationale=data.rationale,
            ),
        )
        return answer(StandardOut, standard.view(), status=201, position=position)

    @get("/", summary="The library, oldest first, filtered")
    async def list_standards(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        category: FromQuery[Category | None] = None,
        status: FromQuery[StandardStatus | None] = None,
        limit: Limit = 50,
        cursor: PageCursor = None,
        min_position: MinPosition = None,
    ) -> StandardPage:
        principal.require(*READ_LIBRARY)
        check_limit(limit)
        after = decode_cursor(cursor, int) or 0
        await fresh(container, min_position, [standards_view.projection.name])
        rows = await tenant_read(
            container,
            principal,
            standards_view.list_standards,
            category=None if category is None else category.value,
            status=None if status is None else status.value,
            after=after,
            limit=limit + 1,
        )
        return typed_page(StandardPage, rows, limit)

    @get("/{standard_id:uuid}", sync_to_thread=True)
    def get_standard(
        self,
        context: NamedDependency[Context],
        standard_id: FromPath[UUID],
        version: Version = None,
        as_of: AsOf = None,
    ) -> Response[StandardOut]:
        context.principal.require(*READ_LIBRARY)
        standard = load_at(context, Standard, standard_id, version, as_of)
        return answer(StandardOut, standard.view())

    @patch("/{standard_id:uuid}", sync_to_thread=True)
    def update(
        self,
        context: NamedDependency[Context],
        standard_id: FromPath[UUID],
        data: JSONBody[StandardPatch],
    ) -> Response[StandardOut]:
        standard, position = commands.update_standard(
            context,
            commands.UpdateStandard(
                standard_id=standard_id,
                rationale=data.rationale,
                title=given(data.title),
                category=given(data.category),
                question=nullable(data.question),
                weight=given(data.weight),
                severity=given(data.severity),
                initiative_template=converted(data.initiative_template, template),
            ),
        )
        return answer(StandardOut, standard.view(), position=position)

    @post("/{standard_id:uuid}/retire", sync_to_thread=True, status_code=200)
    def retire(
        self,
        context: NamedDependency[Context],
        standard_id: FromPath[UUID],
        data: JSONBody[DecisionIn],
    ) -> Response[StandardOut]:
        standard, position = commands.retire_standard(context, standard_id, data.rationale)
        return answer(StandardOut, standard.view(), position=position)
