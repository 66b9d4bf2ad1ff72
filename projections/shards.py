"""A rebuild's pass over the log, split between processes by aggregate.

Folding is Python's work, and one process folds on one core. With `processes` > 1 each
process takes the aggregates whose id falls in its shard (`id.int % processes`): it reads
the log's rows in batches, decodes only its own events (each event is still decoded once,
by the one process that folds it) and folds them into every projection's fresh tables, in
transactions of its own. Every row of a read model belongs to one aggregate, the events of an
aggregate stay in order in one process, and an aggregate's parked events are its own, so
the shards never touch the same row; the audit trail's state, the webhook fan-out's
deliveries and the parked events likewise. The parent waits for all of them, then finishes
and swaps the tables in as a one-process rebuild does (rebuild.py).

Each process is a fresh interpreter (`python -m services.rebuild_shard`): it is given the settings
on its standard input and builds its own pools from them.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from infra.eventstore import EventStore, RecordedEvent, UnreadableEvent
from projections.base import Projection
from projections.runner import Runner


class ShardFailed(Exception):
    """A process of a sharded rebuild failed: the rebuild is abandoned (nothing swapped)."""


def read_shard(
    log: EventStore, after: int, limit: int, *, upto: int, shard: int, shards: int
) -> tuple[list[RecordedEvent], int, UnreadableEvent | None]:
    """The shard's events among the next `limit` rows of the log (up to `upto`), decoded;
    the position scanned to; and the first of them that does not decode, which ends the
    batch there."""
    rows = log.recorder.select_notifications(after, limit, stop=upto, inclusive_of_start=False)
    events: list[RecordedEvent] = []
    for row in rows:
        originator = row.originator_id
        if not isinstance(originator, UUID):
            originator = UUID(str(originator))
        if originator.int % shards != shard:
            continue
        try:
            events.append(RecordedEvent(log.decode_at(row, row.id), row.id))
        except UnreadableEvent as bad:
            return events, row.id, bad
    return events, (rows[-1].id if rows else upto), None


def fold_sharded(
    settings: Any,
    names: Sequence[str],
    end: int,
    batch: int,
    processes: int,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Fold the log up to `end` into the projections' fresh tables in `processes` processes;
    returns how many events each projection folded."""
    workers = []
    for shard in range(processes):
        worker = subprocess.Popen(
            [sys.executable, "-m", "services.rebuild_shard"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert worker.stdin is not None
        worker.stdin.write(pickle.dumps((settings, list(names), shard, processes, end, batch)))
        worker.stdin.close()
        workers.append(worker)
    reached = [0] * processes
    answers: list[dict[str, int] | None] = [None] * processes
    readers = [
        threading.Thread(target=_listen, args=(w, shard, reached, answers), daemon=True)
        for shard, w in enumerate(workers)
    ]
    for reader in readers:
        reader.start()
    try:
        while any(w.poll() is None for w in workers):
            if progress is not None:
                progress(min(reached))
            time.sleep(0.2)
        for shard, (worker, reader) in enumerate(zip(workers, readers, strict=True)):
            reader.join(timeout=10)
            if worker.returncode != 0 or answers[shard] is None:
                raise ShardFailed(
                    f"rebuild process {shard} failed (exit status {worker.returncode};"
                    " its error is on standard error)"
                )
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    folded = dict.fromkeys(names, 0)
    for counts in answers:
        for name, count in (counts or {}).items():
            folded[name] += count
    return folded


def _listen(
    worker: subprocess.Popen[bytes],
    shard: int,
    reached: list[int],
    answers: list[dict[str, int] | None],
) -> None:
    """A process's progress lines (`reached N`) and its answer (`folded {json}`)."""
    assert worker.stdout is not None
    with worker.stdout:
        for line in worker.stdout:
            word, _, rest = line.decode().strip().partition(" ")
            if word == "reached":
                reached[shard] = int(rest)
            elif word == "folded":
                answers[shard] = json.loads(rest)


def fold_shard(
    runner: Runner, names: list[str], shard: int, shards: int, end: int, batch: int
) -> dict[str, int]:
    from projections.rebuild import fold_batch
    from projections.writes import bulk

    log = runner.log
    if not isinstance(log, EventStore):
        raise TypeError("a sharded rebuild reads the event store's own rows")
    projections: list[Projection] = [runner.by_name[n] for n in names]
    parked: dict[str, set[UUID]] = {p.name: set() for p in projections}
    folded = dict.fromkeys(names, 0)
    position = 0
    bulk.set(True)  # this process only folds fresh tables, without row-level security yet
    while position < end:
        events, scanned, unreadable = read_shard(
            log, position, batch, upto=end, shard=shard, shards=shards
        )
        for name, count in fold_batch(runner, projections, events, unreadable, parked).items():
            folded[name] += count
        if scanned <= position:
            break
        position = scanned
        print(f"reached {position}", flush=True)
    return folded
