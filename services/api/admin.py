"""The operator API (/admin/v1, TECHPLAN_ADMIN_TOKEN) and tenant API keys (/v1/api-keys)."""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from domain.client import Client
from services import auth
from services.api.admin_out import ApiKeyCreated, ApiKeyPage, TenantCreated, TenantPage
from services.api.common import check_limit, decode_cursor, encode_cursor
from services.api.params import IdCursor, Limit
from services.api.responses import Out, typed
from services.api.schemas import ApiKeyIn, TenantIn
from services.auth import ADMIN, Principal
from services.bootstrap import Container
from services.errors import Invalid, NotFound

P = TypeVar("P", bound=Out)


def _paged(kind: type[P], items: list[dict[str, Any]], limit: int) -> P:
    more = len(items) > limit
    items = items[:limit]
    cursor = encode_cursor(items[-1]["id"]) if more else None
    return typed(kind, {"items": items, "next_cursor": cursor})


class TenantAdminController(Controller):
    path = "/admin/v1/tenants"
    tags = ["operator"]

    @post("/", sync_to_thread=True, status_code=201)
    def create(
        self,
        request: Request[Any, Any, Any],
        container: NamedDependency[Container],
        data: JSONBody[TenantIn],
    ) -> TenantCreated:
        _check_operator(request, container)
        return typed(TenantCreated, auth.create_tenant(container.db, data.name))

    @get("/", sync_to_thread=True)
    def list_tenants(
        self,
        request: Request[Any, Any, Any],
        container: NamedDependency[Container],
        limit: Limit = 50,
        cursor: IdCursor = None,
    ) -> TenantPage:
        _check_operator(request, container)
        check_limit(limit)
        items = auth.list_tenants(container.db, after=decode_cursor(cursor, str), limit=limit + 1)
        return _paged(TenantPage, items, limit)


class ApiKeyController(Controller):
    path = "/v1/api-keys"
    tags = ["api keys"]

    @post("/", sync_to_thread=True, status_code=201)
    def create(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        data: JSONBody[ApiKeyIn],
    ) -> ApiKeyCreated:
        principal.require(*ADMIN)
        client_ids = None if data.client_ids is None else list(dict.fromkeys(data.client_ids))
        auth.check_grant(data.role, client_ids, by=principal)
        if client_ids:
            _check_clients(container, principal, client_ids)
        with container.db.tx() as cur:
            view, key = auth.create_key(
                cur,
                tenant_id=principal.tenant_id,
                name=data.name,
                role=data.role,
                client_ids=client_ids,
                by=principal,
            )
            # typed in the transaction: a key whose answer cannot be sent is not made
            return typed(ApiKeyCreated, {**view, "key": key})

    @get("/", sync_to_thread=True)
    def list_keys(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        limit: Limit = 50,
        cursor: IdCursor = None,
    ) -> ApiKeyPage:
        principal.require(*ADMIN)
        check_limit(limit)
        items = auth.list_keys(
            container.db,
            principal,
            after=decode_cursor(cursor, str),
            limit=limit + 1,
        )
        return _paged(ApiKeyPage, items, limit)

    @delete("/{key_id:uuid}", sync_to_thread=True, status_code=204)
    def revoke(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        key_id: FromPath[UUID],
    ) -> None:
        principal.require(*ADMIN)
        auth.revoke_key(container.db, principal, key_id)


def _check_operator(request: Request[Any, Any, Any], container: Container) -> None:
    auth.check_admin_token(container.settings.admin_token, request.headers.get("authorization"))


def _check_clients(container: Container, principal: Principal, ids: list[Any]) -> None:
    """A key may only name clients of its own tenant: others are refused as unknown."""
    for client_id in ids:
        try:
            container.store.load(Client, client_id, principal)
        except NotFound:
            raise Invalid(f"no client {client_id}", field="client_ids") from None
