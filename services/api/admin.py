"""The operator API (/admin/v1, TECHPLAN_ADMIN_TOKEN) and tenant API keys (/v1/api-keys)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from services import auth
from services.api.common import check_limit, container, decode_cursor, encode_cursor, uuid_of
from services.api.schemas import ApiKeyIn, TenantIn
from services.auth import ADMIN, Principal


def _paged(items: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    more = len(items) > limit
    items = items[:limit]
    return {"items": items, "next_cursor": encode_cursor(items[-1]["id"]) if more else None}


class TenantAdminController(Controller):
    path = "/admin/v1/tenants"
    tags = ["operator"]

    @post("/", sync_to_thread=True, status_code=201)
    def create(self, request: Request[Any, Any, Any], data: JSONBody[TenantIn]) -> dict[str, Any]:
        c = container(request.app.state)
        auth.check_admin_token(c.settings.admin_token, request.headers.get("authorization"))
        return auth.create_tenant(c.db, data.name)

    @get("/", sync_to_thread=True)
    def list_tenants(
        self,
        request: Request[Any, Any, Any],
        limit: FromQuery[int] = 50,
        cursor: FromQuery[str | None] = None,
    ) -> dict[str, Any]:
        c = container(request.app.state)
        auth.check_admin_token(c.settings.admin_token, request.headers.get("authorization"))
        check_limit(limit)
        items = auth.list_tenants(c.db, after=decode_cursor(cursor, str), limit=limit + 1)
        return _paged(items, limit)


class ApiKeyController(Controller):
    path = "/v1/api-keys"
    tags = ["api keys"]

    @post("/", sync_to_thread=True, status_code=201)
    def create(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[ApiKeyIn],
    ) -> dict[str, Any]:
        principal.require(*ADMIN)
        c = container(request.app.state)
        if data.client_ids:
            _check_clients(request, principal, data.client_ids)
        with c.db.tx() as cur:
            view, key = auth.create_key(
                cur,
                tenant_id=principal.tenant_id,
                name=data.name,
                role=data.role,
                client_ids=list(dict.fromkeys(data.client_ids)) if data.client_ids else None,
            )
        return {**view, "key": key}

    @get("/", sync_to_thread=True)
    def list_keys(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        limit: FromQuery[int] = 50,
        cursor: FromQuery[str | None] = None,
    ) -> dict[str, Any]:
        principal.require(*ADMIN)
        check_limit(limit)
        items = auth.list_keys(
            container(request.app.state).db,
            principal.tenant_id,
            after=decode_cursor(cursor, str),
            limit=limit + 1,
        )
        return _paged(items, limit)

    @delete("/{key_id:str}", sync_to_thread=True, status_code=204)
    def revoke(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        key_id: FromPath[str],
    ) -> None:
        principal.require(*ADMIN)
        auth.revoke_key(
            container(request.app.state).db, principal.tenant_id, uuid_of(key_id, "API key")
        )


def _check_clients(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], ids: list[Any]
) -> None:
    """A key may only name clients of its own tenant: others are refused as unknown."""
    from domain.client import Client
    from services.errors import Invalid, NotFound

    store = container(request.app.state).store
    for client_id in ids:
        try:
            store.load(Client, client_id, principal)
        except NotFound:
            raise Invalid(f"no client {client_id}", field="client_ids") from None
