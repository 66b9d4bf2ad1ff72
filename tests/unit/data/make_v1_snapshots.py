"""Writes `v1_snapshots.jsonl`: snapshots as Techplan wrote them before aggregate state was
typed (eventsourcing's own `Snapshot` of the aggregate's attributes), one per aggregate and
version of `tests/fixtures/stored_events.jsonl`. Run once, with the code of that time on the
path (`git archive d09e243 domain infra | tar -x -C /tmp/old`):

    PYTHONPATH=/tmp/old uv run python tests/unit/data/make_v1_snapshots.py
"""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

from eventsourcing.domain import Snapshot
from eventsourcing.persistence import StoredEvent

from infra.eventstore import EventStore

HERE = Path(__file__).parent
ROWS = [
    json.loads(line)
    for line in (HERE.parent.parent / "fixtures" / "stored_events.jsonl").read_text().splitlines()
]


def main() -> None:
    store = EventStore({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    store.recorder.insert_events(
        [
            StoredEvent(
                originator_id=UUID(r["originator_id"]),
                originator_version=r["originator_version"],
                topic=r["topic"],
                state=r["state"].encode("utf-8"),
            )
            for r in ROWS
        ]
    )
    with (HERE / "v1_snapshots.jsonl").open("w") as out:
        for r in ROWS:
            aggregate = store.repository.get(
                UUID(r["originator_id"]), version=r["originator_version"]
            )
            stored = store.mapper.to_stored_event(Snapshot.take(aggregate))
            row = {
                "originator_id": str(stored.originator_id),
                "originator_version": stored.originator_version,
                "topic": stored.topic,
                "state": stored.state.decode("utf-8"),
            }
            out.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
