"""Replays: the deliveries of a subscription's past events, created in batches, resumably.

A replay row holds how far it got; each batch takes it FOR UPDATE SKIP LOCKED, so one worker
at a time advances it and a crash loses nothing. Deliveries are unique per (subscription,
position, replay), so a batch done twice creates nothing twice.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from infra.db import Database
from infra.eventstore import EventLog
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
        events = log.read_log(replay["position"], REPLAY_BATCH, upto=replay["until_position"])
        made = 0
        for recorded in events:
            event = recorded.event
            if event.tenant_id != replay["tenant_id"]:
                continue
            if not matches(replay["event_types"], event.type_name()):
                continue
            fields = payload.event_fields(event, recorded.position)
            if enqueue(
                cur, replay["subscription_id"], event.tenant_id, fields, replay_of=replay_id
            ):
                made += 1
        position = events[-1].position if events else replay["until_position"]
        done = len(events) < REPLAY_BATCH or position >= replay["until_position"]
        cur.execute(
            "UPDATE webhook_replays SET position = %s, finished_at = %s WHERE id = %s",
            (position, datetime.now(UTC) if done else None, replay_id),
        )
    return made, done
