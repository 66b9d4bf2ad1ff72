"""A round of a catch-up in one transaction: every projection this worker can lock folds its
next batch, and their positions are written together.

Folding projection by projection costs each of them its own transaction, lock, tracking row,
parked-aggregates query and position update, about nine statements, for a batch that is
usually a command's one or two events: with nine projections that was most of a worker's CPU
at 100 commands/s. Here the round takes the locks and the tracking rows in one statement, the
parked aggregates of every projection in one, each batch read (and decoded) once, and writes
every position in one: a tenth as many statements. Each projection still folds in a savepoint
of its own (parking.fold_parking), so an event it cannot handle is parked as before.

Whatever this path does not expect (an event that does not decode, a failure that is not an
event's) rolls the whole round back and `None` tells the runner to fold that round
projection by projection, which records each failure where it belongs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from uuid import UUID

from infra.db import Cursor
from infra.eventstore import RecordedEvent
from projections.parking import FoldFailed

if TYPE_CHECKING:
    from projections.runner import Runner


@dataclass
class Round:
    folded: int = 0
    behind: list[str] = field(default_factory=list)  # folded a full batch: more may follow
    locked_out: list[str] = field(default_factory=list)  # another worker folds them now


class _Apart(Exception):
    """The round cannot be folded together: roll it back."""


def fold_round(runner: Runner, names: Sequence[str], limit: int) -> Round | None:
    from projections.runner import Reads, fold_events

    try:
        with runner.db.projector_tx() as cur:
            cur.execute("SET LOCAL idle_in_transaction_session_timeout = '60s'")
            # The advisory lock is tried for the named projections only (CASE fixes the order:
            # PostgreSQL may reorder an AND's terms by cost), and a row is locked only once its
            # advisory lock is held.
            cur.execute(
                "SELECT name, position FROM projection_tracking WHERE CASE WHEN name = ANY(%s)"
                " THEN pg_try_advisory_xact_lock(hashtext('techplan.projection'), hashtext(name))"
                " ELSE false END ORDER BY name FOR UPDATE",
                (list(names),),
            )
            starts = {r["name"]: r["position"] for r in cur.fetchall()}
            done = Round(locked_out=[n for n in names if n not in starts])
            reads = Reads(runner)
            batches: dict[str, list[RecordedEvent]] = {}
            for name, start in starts.items():
                events, unreadable = reads.read(start, limit)
                if unreadable is not None:
                    raise _Apart
                batches[name] = events
            parked = _parked(cur, batches)
            moved: list[tuple[str, int]] = []
            for name, events in batches.items():
                if not events:
                    continue
                projection = runner.by_name[name]
                fold_events(cur, projection, events, parked=parked.get(name, set()))
                moved.append((name, events[-1].position))
                done.folded += len(events)
                if len(events) >= limit:
                    done.behind.append(name)
            if moved:
                cur.execute(
                    "UPDATE projection_tracking t SET position = m.position, error = NULL,"
                    " error_position = NULL, updated_at = now()"
                    " FROM unnest(%s::text[], %s::bigint[]) AS m(name, position)"
                    " WHERE t.name = m.name",
                    ([n for n, _ in moved], [p for _, p in moved]),
                )
            return done
    except (_Apart, FoldFailed):
        return None


def _parked(cur: Cursor, batches: dict[str, list[RecordedEvent]]) -> dict[str, set[UUID]]:
    """The aggregates parked in each projection among those its batch holds, in one query."""
    aggregates = {r.event.originator_id for events in batches.values() for r in events}
    if not aggregates:
        return {}
    cur.execute(
        "SELECT projection, aggregate_id FROM projection_parked"
        " WHERE projection = ANY(%s) AND aggregate_id = ANY(%s)",
        (list(batches), list(aggregates)),
    )
    found: dict[str, set[UUID]] = {}
    for row in cur.fetchall():
        found.setdefault(row["projection"], set()).add(row["aggregate_id"])
    return found
