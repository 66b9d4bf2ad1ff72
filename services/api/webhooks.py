"""/v1/webhooks (role admin): subscriptions, their deliveries, retry and replay."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from msgspec import Meta

from services.api.common import (
    Precondition,
    check_limit,
    decode_cursor,
    fresh,
    in_thread,
    page,
    uuid_of,
)
from services.api.schemas import Body, Text
from services.auth import ADMIN, Principal
from services.bootstrap import Container
from services.webhooks import subscriptions as webhooks

Url = Annotated[str, Meta(min_length=1, max_length=2000, description="an http(s) URL")]
EventTypes = Annotated[
    list[Annotated[str, Meta(min_length=1, max_length=200)]],
    Meta(min_length=1, max_length=200, description="event type names, `prefix.*`, or `*`"),
]


class WebhookIn(Body, kw_only=True):
    url: Url
    event_types: EventTypes
    description: Text | None = None


class WebhookPatch(Body, kw_only=True):
    url: Url | None = None
    event_types: EventTypes | None = None
    description: Text | None = None
    status: Literal["enabled", "disabled"] | None = None


class ReplayIn(Body, kw_only=True):
    since_position: Annotated[int, Meta(ge=0)]


def _require_admin(principal: Principal) -> None:
    principal.require(*ADMIN)
    principal.require_tenant_wide()


def _tagged(view: dict[str, Any], status: int = 200) -> Response[dict[str, Any]]:
    return Response(view, status_code=status, headers={"ETag": f'"{view["version"]}"'})


class WebhookController(Controller):
    path = "/v1/webhooks"
    tags = ["webhooks"]

    @post("/", sync_to_thread=True, status_code=201)
    def create(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        data: JSONBody[WebhookIn],
    ) -> Response[dict[str, Any]]:
        _require_admin(principal)
        with container.db.tenant_tx(principal.tenant_id) as cur:
            view = webhooks.create(
                container,
                cur,
                principal.tenant_id,
                url=data.url,
                event_types=data.event_types,
                description=data.description,
            )
        return _tagged(view, 201)

    @get("/", sync_to_thread=True)
    def list_webhooks(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        limit: FromQuery[int] = 50,
        cursor: FromQuery[str | None] = None,
    ) -> dict[str, Any]:
        _require_admin(principal)
        check_limit(limit)
        with container.db.tenant_tx(principal.tenant_id) as cur:
            rows = webhooks.list_subscriptions(
                cur, after=decode_cursor(cursor, int) or 0, limit=limit + 1
            )
        return page(rows, limit)

    @get("/{webhook_id:str}", sync_to_thread=True)
    def get_webhook(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        webhook_id: FromPath[str],
    ) -> Response[dict[str, Any]]:
        _require_admin(principal)
        with container.db.tenant_tx(principal.tenant_id) as cur:
            row = webhooks.get(cur, uuid_of(webhook_id, "webhook"))
        return _tagged(webhooks.view(row))

    @patch("/{webhook_id:str}", sync_to_thread=True)
    def update(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        webhook_id: FromPath[str],
        precondition: NamedDependency[Precondition],
        data: JSONBody[WebhookPatch],
    ) -> Response[dict[str, Any]]:
        _require_admin(principal)
        changes = webhooks.Changes(
            url=data.url,
            event_types=data.event_types,
            description=data.description,
            status=data.status,
        )
        with container.db.tenant_tx(principal.tenant_id) as cur:
            view = webhooks.update(
                container, cur, uuid_of(webhook_id, "webhook"), changes, precondition.version()
            )
        return _tagged(view)

    @delete("/{webhook_id:str}", sync_to_thread=True, status_code=204)
    def remove(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        webhook_id: FromPath[str],
        precondition: NamedDependency[Precondition],
    ) -> None:
        _require_admin(principal)
        with container.db.tenant_tx(principal.tenant_id) as cur:
            webhooks.delete(cur, uuid_of(webhook_id, "webhook"), precondition.version())

    @post("/{webhook_id:str}/rotate-secret", sync_to_thread=True, status_code=200)
    def rotate_secret(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        webhook_id: FromPath[str],
        precondition: NamedDependency[Precondition],
    ) -> dict[str, Any]:
        _require_admin(principal)
        with container.db.tenant_tx(principal.tenant_id) as cur:
            return webhooks.rotate_secret(
                container, cur, uuid_of(webhook_id, "webhook"), precondition.version()
            )

    @get("/{webhook_id:str}/deliveries")
    async def list_deliveries(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        webhook_id: FromPath[str],
        status: FromQuery[str | None] = None,
        limit: FromQuery[int] = 50,
        cursor: FromQuery[str | None] = None,
        min_position: FromQuery[int | None] = None,
    ) -> dict[str, Any]:
        _require_admin(principal)
        check_limit(limit)
        subscription_id = uuid_of(webhook_id, "webhook")
        before = decode_cursor(cursor, int)
        await fresh(container, min_position, ["webhooks"])

        def read() -> Any:
            # Deliveries are source data: always the primary's, which is at least as fresh as
            # the read models `fresh` waited for.
            with container.db.tenant_tx(principal.tenant_id) as cur:
                return webhooks.list_deliveries(
                    cur, subscription_id, status=status, before=before, limit=limit + 1
                )

        return page(await in_thread(read), limit)

    @post(
        "/{webhook_id:str}/deliveries/{delivery_id:str}/retry", sync_to_thread=True, status_code=202
    )
    def retry(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        webhook_id: FromPath[str],
        delivery_id: FromPath[str],
    ) -> dict[str, Any]:
        _require_admin(principal)
        with container.db.tenant_tx(principal.tenant_id) as cur:
            return webhooks.retry(
                cur, uuid_of(webhook_id, "webhook"), uuid_of(delivery_id, "delivery")
            )

    @post("/{webhook_id:str}/replay", sync_to_thread=True, status_code=202)
    def replay(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        webhook_id: FromPath[str],
        data: JSONBody[ReplayIn],
    ) -> dict[str, Any]:
        _require_admin(principal)
        with container.db.tenant_tx(principal.tenant_id) as cur:
            return webhooks.request_replay(
                container, cur, uuid_of(webhook_id, "webhook"), data.since_position
            )
