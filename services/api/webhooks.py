"""/v1/webhooks (role admin): subscriptions, their deliveries, retry and replay."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from msgspec import Meta

from services.api.common import (
    Precondition,
    answer,
    check_limit,
    decode_cursor,
    fresh,
    in_thread,
    typed_page,
)
from services.api.params import Limit, MinPosition, PageCursor
from services.api.responses import typed
from services.api.schemas import Body, Text
from services.api.webhooks_out import (
    DeliveryPage,
    DeliveryRetryOut,
    ReplayOut,
    WebhookCreated,
    WebhookOut,
    WebhookPage,
    WebhookSecretOut,
)
from services.auth import ADMIN, Principal
from services.bootstrap import Container
from services.webhooks import subscriptions as webhooks

Url = Annotated[
    str,
    Meta(
        min_length=8,
        max_length=2000,
        pattern="^[hH][tT][tT][pP][sS]?://[^/?#@]",
        description="an http(s) URL",
    ),
]
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


class WebhookController(Controller):
    path = "/v1/webhooks"
    tags = ["webhooks"]

    @post("/", sync_to_thread=True, status_code=201)
    def create(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        data: JSONBody[WebhookIn],
    ) -> Response[WebhookCreated]:
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
            # typed in the transaction: an answer that cannot be sent changes nothing
            return answer(WebhookCreated, view, status=201)

    @get("/", sync_to_thread=True)
    def list_webhooks(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        limit: Limit = 50,
        cursor: PageCursor = None,
    ) -> WebhookPage:
        _require_admin(principal)
        check_limit(limit)
        with container.db.tenant_tx(principal.tenant_id) as cur:
            rows = webhooks.list_subscriptions(
                cur, after=decode_cursor(cursor, int) or 0, limit=limit + 1
            )
        return typed_page(WebhookPage, rows, limit)

    @get("/{webhook_id:uuid}", sync_to_thread=True)
    def get_webhook(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        webhook_id: FromPath[UUID],
    ) -> Response[WebhookOut]:
        _require_admin(principal)
        with container.db.tenant_tx(principal.tenant_id) as cur:
            row = webhooks.get(cur, webhook_id)
        return answer(WebhookOut, webhooks.view(row))

    @patch("/{webhook_id:uuid}", sync_to_thread=True)
    def update(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        webhook_id: FromPath[UUID],
        precondition: NamedDependency[Precondition],
        data: JSONBody[WebhookPatch],
    ) -> Response[WebhookOut]:
        _require_admin(principal)
        changes = webhooks.Changes(
            url=data.url,
            event_types=data.event_types,
            description=data.description,
            status=data.status,
        )
        with container.db.tenant_tx(principal.tenant_id) as cur:
            view = webhooks.update(container, cur, webhook_id, changes, precondition.version())
            return answer(WebhookOut, view)

    @delete("/{webhook_id:uuid}", sync_to_thread=True, status_code=204)
    def remove(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        webhook_id: FromPath[UUID],
        precondition: NamedDependency[Precondition],
    ) -> None:
        _require_admin(principal)
        with container.db.tenant_tx(principal.tenant_id) as cur:
            webhooks.delete(cur, webhook_id, precondition.version())

    @post("/{webhook_id:uuid}/rotate-secret", sync_to_thread=True, status_code=200)
    def rotate_secret(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        webhook_id: FromPath[UUID],
        precondition: NamedDependency[Precondition],
    ) -> WebhookSecretOut:
        _require_admin(principal)
        with container.db.tenant_tx(principal.tenant_id) as cur:
            rotated = webhooks.rotate_secret(container, cur, webhook_id, precondition.version())
            return typed(WebhookSecretOut, rotated)

    @get("/{webhook_id:uuid}/deliveries")
    async def list_deliveries(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        webhook_id: FromPath[UUID],
        status: FromQuery[str | None] = None,
        limit: Limit = 50,
        cursor: PageCursor = None,
        min_position: MinPosition = None,
    ) -> DeliveryPage:
        _require_admin(principal)
        check_limit(limit)
        subscription_id = webhook_id
        before = decode_cursor(cursor, int)
        await fresh(container, min_position, ["webhooks"])

        def read() -> Any:
            # Deliveries are source data: always the primary's, which is at least as fresh as
            # the read models `fresh` waited for.
            with container.db.tenant_tx(principal.tenant_id) as cur:
                return webhooks.list_deliveries(
                    cur, subscription_id, status=status, before=before, limit=limit + 1
                )

        return typed_page(DeliveryPage, await in_thread(read), limit)

    @post(
        "/{webhook_id:uuid}/deliveries/{delivery_id:uuid}/retry",
        sync_to_thread=True,
        status_code=202,
    )
    def retry(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        webhook_id: FromPath[UUID],
        delivery_id: FromPath[UUID],
    ) -> DeliveryRetryOut:
        _require_admin(principal)
        with container.db.tenant_tx(principal.tenant_id) as cur:
            retried = webhooks.retry(cur, webhook_id, delivery_id)
            return typed(DeliveryRetryOut, retried)

    @post("/{webhook_id:uuid}/replay", sync_to_thread=True, status_code=202)
    def replay(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        webhook_id: FromPath[UUID],
        data: JSONBody[ReplayIn],
    ) -> ReplayOut:
        _require_admin(principal)
        with container.db.tenant_tx(principal.tenant_id) as cur:
            replay = webhooks.request_replay(container, cur, webhook_id, data.since_position)
            return typed(ReplayOut, replay)
