"""/v1/clients"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from domain.client import Client
from projections import clients as clients_view
from services.api.common import (
    check_limit,
    container,
    ctx,
    decode_cursor,
    page,
    resource,
    uuid_of,
    wait_for,
)
from services.api.history import load_at
from services.api.schemas import ClientIn, ClientPatch
from services.auth import READ, Principal
from services.commands import clients as commands


class ClientController(Controller):
    path = "/v1/clients"
    tags = ["clients"]

    @post("/", sync_to_thread=True, status_code=201)
    def create(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[ClientIn],
    ) -> Response[dict[str, Any]]:
        client, position = commands.create_client(ctx(request, principal), data)
        return resource(client.view(), status=201, position=position)

    @get("/", sync_to_thread=True)
    def list_clients(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        limit: FromQuery[int] = 50,
        cursor: FromQuery[str | None] = None,
        min_position: FromQuery[int | None] = None,
    ) -> dict[str, Any]:
        principal.require(*READ)
        c = container(request.app.state)
        check_limit(limit)
        wait_for(c, min_position, ["clients"])
        with c.db.tenant_tx(principal.tenant_id) as cur:
            rows = clients_view.list_clients(
                cur,
                client_ids=principal.client_ids,
                after=decode_cursor(cursor, int) or 0,
                limit=limit + 1,
            )
        return page(rows, limit)

    @get("/{client_id:str}", sync_to_thread=True)
    def get_client(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        client_id: FromPath[str],
        version: FromQuery[int | None] = None,
        as_of: FromQuery[datetime | None] = None,
    ) -> Response[dict[str, Any]]:
        principal.require(*READ)
        client = load_at(
            ctx(request, principal), Client, uuid_of(client_id, "client"), version, as_of
        )
        return resource(client.view())

    @patch("/{client_id:str}", sync_to_thread=True)
    def update(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        client_id: FromPath[str],
        data: JSONBody[ClientPatch],
    ) -> Response[dict[str, Any]]:
        client, position = commands.update_client(
            ctx(request, principal), uuid_of(client_id, "client"), data
        )
        return resource(client.view(), position=position)
