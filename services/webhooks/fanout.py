"""Webhook fan-out: follows the notification log (tracked exactly once, like every projection)
and turns each event into one delivery per matching subscription of the event's tenant.

It is driven by the projections' runner (one `Projection`, named "webhooks"), but what it
writes is source data, not a read model: the subscriptions and deliveries tables are
services/webhooks/tables.py's, created by `migrate`. The fan-out owns no table (`tables` is
empty), so a rebuild re-folds into the live tables, whose names say `public` so that a
rebuild's search path cannot shadow them.

A subscription takes the events after `active_from_position` (the head when it was created or
last re-enabled). Deliveries are unique per (subscription, position, replay), so folding the
log again (a rebuild, a reset position) never sends anything twice.

Each new delivery NOTIFYs `techplan_webhooks` with its subscription; PostgreSQL delivers the
notification only when the batch commits (and once per subscription per batch), which is the
delivery worker's cue to send.
"""

from __future__ import annotations

import threading
from typing import Any
from uuid import uuid4

from domain.shared import TechplanEvent
from infra.db import Cursor
from infra.logs import current
from projections.base import Projection
from services.webhooks import payload
from services.webhooks.event_types import matches

CHANNEL = "techplan_webhooks"


class WebhookFanout(Projection):
    name = "webhooks"
    tables = ()  # never dropped or truncated by a rebuild: deliveries are history

    def __init__(self, state_at: payload.StateAt | None = None) -> None:
        """`state_at` (the event store's) fills each item event's `data.item`."""
        super().__init__()
        self._batch = threading.local()  # a rebuild may fold in another thread meanwhile
        self.state_at = state_at

    def begin(self, cur: Cursor) -> None:
        self._batch.subscriptions = {}

    def fold(self, cur: Cursor, event: TechplanEvent, position: int) -> None:
        cache: dict[Any, list[Any]] | None = getattr(self._batch, "subscriptions", None)
        wanted = subscribers(cur, event, position, cache)
        if wanted:
            fields = payload.event_fields(event, position, self.state_at)
            for subscription_id in wanted:
                enqueue(cur, subscription_id, event.tenant_id, fields)

    def truncate(self, cur: Cursor) -> None:
        """Deliveries are not derived data: nothing to truncate."""


def subscribers(
    cur: Cursor,
    event: TechplanEvent,
    position: int,
    cache: dict[Any, list[Any]] | None = None,
) -> list[Any]:
    """The enabled subscriptions of the event's tenant that want it. Within one batch the
    tenant's subscriptions are read once: a batch holds the fan-out's tracking row, which
    creating or re-enabling a subscription waits for, so they cannot change under it."""
    tenant_id = getattr(event, "tenant_id", None)
    if tenant_id is None:
        return []
    rows = cache.get(tenant_id) if cache is not None else None
    if rows is None:
        cur.execute(
            "SELECT id, event_types, active_from_position FROM public.webhook_subscriptions"
            " WHERE tenant_id = %s AND status = 'enabled' ORDER BY seq",
            (tenant_id,),
        )
        rows = cur.fetchall()
        if cache is not None:
            cache[tenant_id] = rows
    type_name = event.type_name()
    return [
        r["id"]
        for r in rows
        if r["active_from_position"] < position and matches(r["event_types"], type_name)
    ]


def enqueue(
    cur: Cursor,
    subscription_id: Any,
    tenant_id: Any,
    fields: dict[str, Any],
    *,
    replay_of: Any = None,
) -> bool:
    """Insert one pending delivery (unless it exists) and wake the sender on commit."""
    delivery_id = uuid4()
    cur.execute(
        "INSERT INTO public.webhook_deliveries (tenant_id, id, subscription_id, position,"
        " event_id, event_type, replay_of, body, next_attempt_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, now()) ON CONFLICT DO NOTHING",
        (
            tenant_id,
            delivery_id,
            subscription_id,
            fields["position"],
            fields["event_id"],
            fields["type"],
            replay_of,
            payload.body(delivery_id, fields, replay=replay_of is not None),
        ),
    )
    if cur.rowcount != 1:
        return False
    wake(cur, subscription_id, fields.get("correlation_id"))
    return True


def wake(cur: Cursor, subscription_id: Any, correlation_id: str | None = None) -> None:
    """Wake the sender for this endpoint on commit. The note carries the correlation id of
    the request (or event) that caused it, which the worker gives the job it enqueues."""
    correlation_id = correlation_id or current().get("correlation_id")
    cur.execute("SELECT pg_notify(%s, %s)", (CHANNEL, note("d", subscription_id, correlation_id)))


def note(kind: str, ident: Any, correlation_id: str | None) -> str:
    """`kind:id[:correlation id]`; parsed by `parse_note`."""
    return f"{kind}:{ident}:{correlation_id}" if correlation_id else f"{kind}:{ident}"


def parse_note(payload: str) -> tuple[str, str, str | None]:
    kind, _, rest = payload.partition(":")
    ident, _, correlation_id = rest.partition(":")
    return kind, ident, correlation_id or None


projection = WebhookFanout()  # without item states; bootstrap builds one with them
