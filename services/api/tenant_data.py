"""The operator API for a tenant's data as a whole: export, import, purge (TECHPLAN_ADMIN_TOKEN).

The CLI (`techplan tenants export|import|purge`) does the same; it is the better path for
large tenants, since an import over HTTP is one request body.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, FromQuery
from litestar.response import Stream

from services import auth
from services.api.responses import typed
from services.api.tenant_data_out import TenantExportLine, TenantImported, TenantPurged
from services.bootstrap import Container
from services.tenancy.export import export_lines
from services.tenancy.purge import purge_tenant
from services.tenancy.restore import import_tenant

NDJSON = "application/x-ndjson"
IMPORT_MAX_BODY = 1024 * 1024 * 1024  # an export is as large as the tenant's history


class TenantDataController(Controller):
    path = "/admin/v1/tenants"
    tags = ["operator"]

    @get(
        "/{tenant_id:uuid}/export",
        sync_to_thread=True,
        media_type=NDJSON,
        responses={
            200: ResponseSpec(
                data_container=TenantExportLine,  # type: ignore[arg-type]  # a union: oneOf
                media_type=NDJSON,
                generate_examples=False,
                description="JSON lines: each line is one of the schemas below, told apart by "
                "`kind`; `header` first, `end` last",
            )
        },
        description="Every event of the tenant in position order with its stored form, the "
        "tenant, key metadata (never keys) and webhook subscriptions (never secrets), as JSON "
        "lines; the format is versioned (README, Tenant export format).",
    )
    def export(
        self,
        request: Request[Any, Any, Any],
        container: NamedDependency[Container],
        tenant_id: FromPath[UUID],
    ) -> Stream:
        _check_operator(request, container)
        lines = export_lines(container.db, container.store.app, tenant_id)
        first = next(lines)  # a missing tenant is a 404 before the stream starts
        return Stream(_chain(first, lines), media_type=NDJSON)

    @post(
        "/import",
        status_code=201,
        request_max_body_size=IMPORT_MAX_BODY,
        description="An export (application/x-ndjson) into this database: 409 when the tenant "
        "already exists here, 422 when the file is damaged or truncated.",
    )
    async def import_(
        self, request: Request[Any, Any, Any], container: NamedDependency[Container]
    ) -> Response[TenantImported]:
        _check_operator(request, container)
        body = await request.body()
        lines = body.splitlines()
        from anyio import to_thread

        result = await to_thread.run_sync(
            lambda: import_tenant(
                container.db,
                container.store.app,
                lambda: iter(lines),
                secret_key=container.settings.secret_key,
            )
        )
        return Response(typed(TenantImported, result), status_code=201)

    @delete("/{tenant_id:uuid}", sync_to_thread=True, status_code=200)
    def purge(
        self,
        request: Request[Any, Any, Any],
        container: NamedDependency[Container],
        tenant_id: FromPath[UUID],
        confirm: FromQuery[str | None] = None,
    ) -> TenantPurged:
        _check_operator(request, container)
        tid: UUID = tenant_id
        purged = purge_tenant(
            container.db, container.store.app, tid, confirm=confirm, by="operator"
        )
        return typed(TenantPurged, purged)


def _check_operator(request: Request[Any, Any, Any], container: Container) -> None:
    auth.check_admin_token(container.settings.admin_token, request.headers.get("authorization"))


def _chain(first: str, rest: Iterator[str]) -> Iterator[bytes]:
    yield first.encode()
    for line in rest:
        yield line.encode()
