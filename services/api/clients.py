"""/v1/clients"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from domain.client import Client
from projections import clients as clients_view
from services.api.clients_out import ClientOut, ClientPage
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
from services.api.schemas import ClientIn, ClientPatch
from services.auth import READ, Principal
from services.bootstrap import Container
from services.commands import clients as commands
from services.commands.context import Context


class ClientController(Controller):
    path = "/v1/clients"
    tags = ["clients"]

    @post("/", sync_to_thread=True, status_code=201)
    def create(
        self,
        context: NamedDependency[Context],
        data: JSONBody[ClientIn],
    ) -> Response[ClientOut]:
        client, position = commands.create_client(
            context,
            commands.CreateClient(
                name=data.name,
                fiscal_year_start_month=data.fiscal_year_start_month,
                currency=data.currency,
            ),
        )
        return answer(ClientOut, client.view(), status=201, position=position)

    @get("/")
    async def list_clients(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        limit: Limit = 50,
        cursor: PageCursor = None,
        min_position: MinPosition = None,
    ) -> ClientPage:
        principal.require(*READ)
        check_limit(limit)
        after = decode_cursor(cursor, int) or 0
        await fresh(container, min_position, ["clients"])
        rows = await tenant_read(
            container,
            principal,
            clients_view.list_clients,
            client_ids=principal.client_ids,
            after=after,
            limit=limit + 1,
        )
        return typed_page(ClientPage, rows, limit)

    @get("/{client_id:uuid}", sync_to_thread=True)
    def get_client(
        self,
        context: NamedDependency[Context],
        client_id: FromPath[UUID],
        version: Version = None,
        as_of: AsOf = None,
    ) -> Response[ClientOut]:
        context.principal.require(*READ)
        client = load_at(context, Client, client_id, version, as_of)
        return answer(ClientOut, client.view())

    @patch("/{client_id:uuid}", sync_to_thread=True)
    def update(
        self,
        context: NamedDependency[Context],
        client_id: FromPath[UUID],
        data: JSONBody[ClientPatch],
    ) -> Response[ClientOut]:
        client, position = commands.update_client(
            context,
            commands.UpdateClient(
                client_id=client_id,
                rationale=data.rationale,
                name=data.name,
                fiscal_year_start_month=data.fiscal_year_start_month,
            ),
        )
        return answer(ClientOut, client.view(), position=position)
