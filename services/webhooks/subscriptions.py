"""Webhook use cases for the API: subscriptions, their deliveries, retry and replay.

Everything runs in the caller's tenant transaction (row-level security): another tenant's
subscription is invisible, so it answers 404 exactly like a random id. Work for the sender
(a delivery to retry, a replay to run) is announced with NOTIFY, which PostgreSQL sends only
if the transaction commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from domain import limits
from domain.shared import check_room, rfc3339
from infra.db import OWN_TENANT, Cursor
from infra.logs import current
from services.bootstrap import Container
from services.errors import Conflict, Invalid, NotFound, PreconditionFailed
from services.webhooks import guard
from services.webhooks.event_types import validate
from services.webhooks.fanout import CHANNEL, note, wake
from services.webhooks.secrets import SecretBox, new_secret

ROTATION_GRACE = 24 * 3600  # seconds the previous secret keeps signing after a rotation
STATUSES = ("pending", "succeeded", "failed")


def rotation_grace(c: Container) -> float:
    return c.settings.webhook_rotation_grace


def check_url(c: Container, url: str) -> str:
    try:
        guard.check_url(url, allow_private=c.settings.webhook_allow_private)
    except guard.UnsafeUrl as exc:
        raise Invalid(str(exc), field="url") from None
    return url


def view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "url": row["url"],
        "event_types": list(row["event_types"]),
        "description": row["description"],
        "status": row["status"],
        "disabled_reason": row["disabled_reason"],
        "disabled_at": _time(row["disabled_at"]),
        "failing_since": _time(row["failing_since"]),
        "last_success_at": _time(row["last_success_at"]),
        "created_position": row["created_position"],
        "created_at": _time(row["created_at"]),
        "updated_at": _time(row["updated_at"]),
        "version": row["version"],
    }


def _time(value: datetime | None) -> str | None:
    return rfc3339(value) if value is not None else None


def hold_fanout(cur: Cursor) -> None:
    """Lock the fan-out's tracking row FOR SHARE: a fan-out batch in progress commits first,
    and the next one waits for this transaction, so no batch sees the subscriptions change
    under it (it reads them once per batch)."""
    cur.execute("SELECT position FROM projection_tracking WHERE name = 'webhooks' FOR SHARE")


def head_position(c: Container, cur: Cursor) -> int:
    """The log's head, read while holding the fan-out (`hold_fanout`): the next batch sees
    what this transaction writes, so events after the head are never missed."""
    hold_fanout(cur)
    return c.store.max_position()


# ---------------------------------------------------------------- subscriptions


def create(
    c: Container,
    cur: Cursor,
    tenant_id: UUID,
    *,
    url: str,
    event_types: Sequence[str],
    description: str | None,
) -> dict[str, Any]:
    box = SecretBox(c.settings.secret_key)
    patterns = validate(event_types)
    check_url(c, url)
    cur.execute("SELECT 1 FROM tenants WHERE id = %s FOR UPDATE", (tenant_id,))
    cur.execute(
        "SELECT count(*) AS n FROM webhook_subscriptions WHERE tenant_id = %s", (tenant_id,)
    )
    row = cur.fetchone()
    check_room(row["n"] if row else 0, limits.WEBHOOKS_PER_TENANT, "webhook subscriptions")
    secret = new_secret()
    head = head_position(c, cur)
    cur.execute(
        "INSERT INTO webhook_subscriptions (tenant_id, id, url, event_types, description,"
        " status, secret, created_position, active_from_position)"
        " VALUES (%s, %s, %s, %s, %s, 'enabled', %s, %s, %s) RETURNING *",
        (tenant_id, uuid4(), url, patterns, description, box.seal(secret), head, head),
    )
    row = cur.fetchone()
    assert row is not None
    return {**view(row), "secret": secret}


def get(cur: Cursor, subscription_id: UUID, *, for_update: bool = False) -> dict[str, Any]:
    # NO KEY UPDATE: the fan-out's inserts (which key-share-lock the subscription for their
    # foreign key) need not wait for a change of url, types or status.
    lock = " FOR NO KEY UPDATE" if for_update else ""
    cur.execute(f"SELECT * FROM webhook_subscriptions WHERE id = %s{lock}", (subscription_id,))
    row = cur.fetchone()
    if row is None:
        raise NotFound("webhook not found")
    return row


def _current(cur: Cursor, subscription_id: UUID, if_match: int | None) -> dict[str, Any]:
    row = get(cur, subscription_id, for_update=True)
    if if_match is not None and row["version"] != if_match:
        raise PreconditionFailed(f"webhook is at version {row['version']}, not {if_match}")
    return row


def list_subscriptions(cur: Cursor, *, after: int, limit: int) -> list[tuple[int, dict[str, Any]]]:
    cur.execute(
        f"SELECT * FROM webhook_subscriptions WHERE {OWN_TENANT} AND seq > %s"
        " ORDER BY seq LIMIT %s",
        (after, limit),
    )
    return [(r["seq"], view(r)) for r in cur.fetchall()]


@dataclass(frozen=True)
class Changes:
    url: str | None = None
    event_types: Sequence[str] | None = None
    description: str | None = None
    status: str | None = None


def update(
    c: Container, cur: Cursor, subscription_id: UUID, changes: Changes, if_match: int | None
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if changes.url is not None:
        values["url"] = check_url(c, changes.url)
    if changes.event_types is not None:
        values["event_types"] = validate(changes.event_types)
    if changes.description is not None:
        values["description"] = changes.description
    if changes.status == "enabled":
        hold_fanout(cur)  # first, as everywhere: the fan-out's row, then the subscription's
    row = _current(cur, subscription_id, if_match)
    if changes.status == "enabled" and row["status"] != "enabled":
        # Back from disabled: a clean slate, taking the events from now on (replay covers
        # the gap); deliveries still pending resume.
        values.update(
            status="enabled",
            disabled_reason=None,
            disabled_at=None,
            failing_since=None,
            paused_until=None,
            active_from_position=head_position(c, cur),
        )
        wake(cur, subscription_id)
    elif changes.status == "disabled" and row["status"] != "disabled":
        values.update(
            status="disabled",
            disabled_reason="disabled through the API",
            disabled_at=datetime.now(UTC),
        )
    if values:
        sets = ", ".join(f"{k} = %({k})s" for k in values)
        cur.execute(
            f"UPDATE webhook_subscriptions SET {sets}, version = version + 1, updated_at = now()"
            " WHERE id = %(id)s RETURNING *",
            {**values, "id": subscription_id},
        )
        updated = cur.fetchone()
        assert updated is not None
        return view(updated)
    return view(row)


def delete(cur: Cursor, subscription_id: UUID, if_match: int | None) -> None:
    hold_fanout(cur)
    _current(cur, subscription_id, if_match)
    cur.execute("DELETE FROM webhook_subscriptions WHERE id = %s", (subscription_id,))


def rotate_secret(
    c: Container, cur: Cursor, subscription_id: UUID, if_match: int | None
) -> dict[str, Any]:
    """A new secret; the previous one keeps signing (a second signature) for the grace
    period, so receivers can switch without rejecting a delivery."""
    box = SecretBox(c.settings.secret_key)
    _current(cur, subscription_id, if_match)
    secret = new_secret()
    expires = datetime.now(UTC) + timedelta(seconds=rotation_grace(c))
    cur.execute(
        "UPDATE webhook_subscriptions SET previous_secret = secret,"
        " previous_secret_expires_at = %s, secret = %s, version = version + 1,"
        " updated_at = now() WHERE id = %s RETURNING version",
        (expires, box.seal(secret), subscription_id),
    )
    row = cur.fetchone()
    assert row is not None
    return {
        "id": str(subscription_id),
        "secret": secret,
        "previous_secret_expires_at": rfc3339(expires),
        "version": row["version"],
    }


# ---------------------------------------------------------------- deliveries


def delivery_view(row: dict[str, Any], attempts: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "event_id": str(row["event_id"]),
        "event_type": row["event_type"],
        "position": row["position"],
        "status": row["status"],
        "attempts": attempts,
        "next_attempt_at": _time(row["next_attempt_at"]) if row["status"] == "pending" else None,
        "replay": row["replay_of"] is not None,
        "replay_of": str(row["replay_of"]) if row["replay_of"] is not None else None,
        "created_at": _time(row["created_at"]),
    }


# An attempt as the API writes it, built by PostgreSQL beside its delivery (`at` in
# `rfc3339`'s form: UTC, microseconds, `Z`).
_ATTEMPTS = (
    "(SELECT coalesce(json_agg(json_build_object("
    "'at', to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
    " 'status_code', a.status_code, 'error', a.error, 'duration_ms', a.duration_ms)"
    " ORDER BY a.n), '[]') FROM webhook_attempts a WHERE a.delivery_id = d.id)"
)


def list_deliveries(
    cur: Cursor, subscription_id: UUID, *, status: str | None, before: int | None, limit: int
) -> list[tuple[int, dict[str, Any]]]:
    """Newest first; the cursor is the last item's sequence number. One statement, each
    delivery with its attempts, and not the bodies (fifty payloads a page were most of the
    list's time). A delivery shows its subscription exists (they go with it) and is the
    tenant's (row-level security): only an empty page looks the subscription up, for its 404."""
    if status is not None and status not in STATUSES:
        raise Invalid(f"status is one of {', '.join(STATUSES)}", field="status")
    cur.execute(
        "SELECT d.seq, d.id, d.event_id, d.event_type, d.position, d.status,"
        f" d.next_attempt_at, d.replay_of, d.created_at, {_ATTEMPTS} AS attempts"
        " FROM webhook_deliveries d WHERE d.subscription_id = %s"
        " AND (%s::text IS NULL OR d.status = %s::text)"
        " AND (%s::bigint IS NULL OR d.seq < %s::bigint) ORDER BY d.seq DESC LIMIT %s",
        (subscription_id, status, status, before, before, limit),
    )
    rows = cur.fetchall()
    if not rows:
        get(cur, subscription_id)
    return [(r["seq"], delivery_view(r, r["attempts"])) for r in rows]


def retry(cur: Cursor, subscription_id: UUID, delivery_id: UUID) -> dict[str, Any]:
    """Send one delivery again, with its id, now, with a fresh retry schedule."""
    subscription = get(cur, subscription_id, for_update=True)
    cur.execute(
        "UPDATE webhook_deliveries SET status = 'pending', round_attempts = 0,"
        " next_attempt_at = now(), updated_at = now()"
        " WHERE id = %s AND subscription_id = %s RETURNING id",
        (delivery_id, subscription_id),
    )
    if cur.fetchone() is None:
        raise NotFound("delivery not found")
    if subscription["status"] != "enabled":
        raise Conflict("the webhook is disabled: enable it (PATCH status) before retrying")
    cur.execute(
        "UPDATE webhook_subscriptions SET paused_until = NULL WHERE id = %s", (subscription_id,)
    )
    wake(cur, subscription_id)
    return {"id": str(delivery_id), "status": "pending"}


def request_replay(
    c: Container, cur: Cursor, subscription_id: UUID, since_position: int
) -> dict[str, Any]:
    """New deliveries (new ids, marked as replays) for the subscription's events after
    `since_position`, up to the head now; the worker creates them in batches."""
    subscription = get(cur, subscription_id)
    head = head_position(c, cur)
    replay_id = uuid4()
    until = max(head, since_position)
    cur.execute(
        "INSERT INTO webhook_replays (tenant_id, id, subscription_id, since_position,"
        " until_position, position, finished_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (
            subscription["tenant_id"],
            replay_id,
            subscription_id,
            since_position,
            until,
            since_position,
            datetime.now(UTC) if until <= since_position else None,
        ),
    )
    correlation_id = current().get("correlation_id")
    cur.execute("SELECT pg_notify(%s, %s)", (CHANNEL, note("r", replay_id, correlation_id)))
    return {
        "id": str(replay_id),
        "webhook_id": str(subscription_id),
        "since_position": since_position,
        "until_position": until,
    }
