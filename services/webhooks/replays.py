"""Replays: the deliveries of a subscription's past events, created in batches, resumably.

A replay row holds how far it got; each batch takes it FOR UPDATE SKIP LOCKED, so one worker
at a time advances it and a crash loses nothing. Deliveries are unique per (subscription,
position, replay), so a batch done twice creates nothing twice.

A batch costs what the tenant's events in it cost, not the whole log's: the positions of the
tenant's events come from the audit trail's (tenant, position) index (and the events it has
parked), and only those events are read and decoded. Past the trail's position (it lags a
little) the log itself is read, as it always was.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from infra.db import Cursor, Database
from infra.eventstore import EventLog, RecordedEvent
from services.webhooks import payload
from services.webhooks.event_types import matches
from services.webhooks.fanout import enqueue

REPLAY_BATCH = 500


def replay_batch(db: Database, log: EventLog, replay_id: UUID) -> tuple[int, bool]:
    """Create the next batch of a replay's deliveries; (how many, whether it is finished)."""
    with db.projector_tx() as cur:
        cur.execute(
            "SELECT r.subscription_id, r.position, r.until_position, s.tenant_id, s.event_types"
            " FROM webhook_replays r JOIN webhook_subscriptions s ON s.id = r.subscription_id"
            " WHERE r.id = %s AND r.finished_at IS NULL FOR UPDATE OF r SKIP LOCKED",
            (replay_id,),
        )
        replay = cur.fetchone()
        if replay is None:
            return 0, True  # finished, deleted, or another worker has it
        events, position = _next_batch(cur, log, replay)
        made = 0
        for recorded in events:
            event = recorded.event
            if event.tenant_id != replay["tenant_id"]:
                continue
            if not matches(replay["event_types"], event.type_name()):
                continue
            fields = payload.event_fields(event, recorded.position, log.state_at)
            if enqueue(
                cur, replay["subscription_id"], event.tenant_id, fields, replay_of=replay_id
            ):
                made += 1
        done = position >= replay["until_position"]
        cur.execute(
            "UPDATE webhook_replays SET position = %s, finished_at = %s WHERE id = %s",
            (position, datetime.now(UTC) if done else None, replay_id),
        )
    return made, done


def _next_batch(
    cur: Cursor, log: EventLog, replay: dict[str, Any]
) -> tuple[list[RecordedEvent], int]:
    """The next events of the replay's window that may be the tenant's, and the position up
    to which the window has been looked through."""
    after, until = replay["position"], replay["until_position"]
    cur.execute("SELECT position FROM projection_tracking WHERE name = 'audit'")
    row = cur.fetchone()
    indexed = min(row["position"] if row else 0, until)
    events: list[RecordedEvent] = []
    if after < indexed:
        cur.execute(
            "SELECT position FROM audit_events WHERE tenant_id = %(t)s AND position > %(a)s"
            " AND position <= %(u)s UNION ALL SELECT position FROM projection_parked"
            " WHERE projection = 'audit' AND tenant_id = %(t)s AND position > %(a)s"
            " AND position <= %(u)s ORDER BY position LIMIT %(n)s",
            {"t": replay["tenant_id"], "a": after, "u": indexed, "n": REPLAY_BATCH},
        )
        positions = [r["position"] for r in cur.fetchall()]
        events = log.read_positions(positions)
        if len(positions) == REPLAY_BATCH:
            return events, positions[-1]
        after = indexed
    if after >= until:
        return events, until
    rest = log.read_log(after, REPLAY_BATCH, upto=until)
    return events + rest, rest[-1].position if len(rest) == REPLAY_BATCH else until
