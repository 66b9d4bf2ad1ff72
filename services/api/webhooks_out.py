"""Response bodies of /v1/webhooks: subscriptions, their deliveries, retry and replay
(services/api/responses.py).

A subscription's signing secret (`whsec_...`) is shown only in the answers that make one:
`WebhookCreated` (POST /v1/webhooks) and `WebhookSecretOut` (rotate-secret). `WebhookOut`, what
every other answer about a subscription is, does not declare it, so it cannot carry it.
"""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

import msgspec

from services.api.responses import Instant, Out

Position = Annotated[int, msgspec.Meta(ge=0, description="a notification-log position")]
Secret = Annotated[
    str,
    msgspec.Meta(
        pattern="^whsec_",
        description="`whsec_` and the base64 key the signatures are made with (Standard Webhooks)",
    ),
]


class WebhookOut(Out, kw_only=True):
    """A webhook subscription (never its secret). `failing_since`: when deliveries began to
    fail without a success since; `disabled_reason` says why it was disabled (by an admin, or
    after failing for `TECHPLAN_WEBHOOK_DISABLE_AFTER`)."""

    id: UUID
    url: str
    event_types: list[str]
    description: str | None
    status: Literal["enabled", "disabled"]
    disabled_reason: str | None
    disabled_at: Instant | None
    failing_since: Instant | None
    last_success_at: Instant | None
    created_position: Position
    created_at: Instant
    updated_at: Instant
    version: Annotated[int, msgspec.Meta(ge=1)]


class WebhookCreated(WebhookOut, kw_only=True):
    """`POST /v1/webhooks`: the subscription and its signing secret, shown only here (and by
    rotate-secret)."""

    secret: Secret


class WebhookPage(Out, kw_only=True):
    items: list[WebhookOut]
    next_cursor: str | None


class WebhookSecretOut(Out, kw_only=True):
    """`POST /v1/webhooks/{id}/rotate-secret`: the new secret (shown only here); the previous
    one keeps signing, as a second signature, until `previous_secret_expires_at`."""

    id: UUID
    secret: Secret
    previous_secret_expires_at: Instant
    version: Annotated[int, msgspec.Meta(ge=1)]


class AttemptOut(Out, kw_only=True):
    """One attempt to deliver: the receiver's HTTP status (null when none came: `error` says
    why) and how long it took."""

    at: Instant
    status_code: int | None
    error: str | None
    duration_ms: Annotated[int, msgspec.Meta(ge=0)]


class DeliveryOut(Out, kw_only=True):
    """One event sent (or to be sent) to one subscription; `next_attempt_at` only while it is
    pending; a replay's delivery names the replay (`replay_of`)."""

    id: UUID
    event_id: UUID
    event_type: str
    position: Position
    status: Literal["pending", "succeeded", "failed"]
    attempts: list[AttemptOut]
    next_attempt_at: Instant | None
    replay: bool
    replay_of: UUID | None
    created_at: Instant


class DeliveryPage(Out, kw_only=True):
    """A subscription's deliveries, newest first."""

    items: list[DeliveryOut]
    next_cursor: str | None


class DeliveryRetryOut(Out, kw_only=True):
    """`POST .../deliveries/{id}/retry` (202): the delivery, pending again, is sent at once
    with its id."""

    id: UUID
    status: Literal["pending"]


class ReplayOut(Out, kw_only=True):
    """`POST /v1/webhooks/{id}/replay` (202): new deliveries will be made for the
    subscription's events after `since_position` up to `until_position` (the head now)."""

    id: UUID
    webhook_id: UUID
    since_position: Position
    until_position: Position
