"""The composition root: builds the pools, the event store and the runner once.

Nothing connects at import time; tests build the same root with their own settings. What
only a running process has (its Redis pool, the projector it may wake) is attached by the
process that owns it, into named fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from arq.connections import ArqRedis

from infra.db import Availability, Database, check_reachable
from infra.eventstore import EventStore
from projections.runner import Runner, all_projections, all_views
from services.commands.context import Clock, utc_now
from services.readwait import ReadSide
from services.settings import Settings
from services.store import Store
from services.webhooks.fanout import WebhookFanout


@dataclass
class Container:
    settings: Settings
    db: Database
    store: Store
    runner: Runner
    clock: Clock = utc_now
    # Attached by the process that runs them; None where nothing does.
    arq: ArqRedis | None = None  # the API's and the worker's Redis pool
    redis_ping: Callable[[], object] | None = None  # /health/ready asks Redis through it
    nudge_projector: Callable[[], None] | None = None  # a read waiting for a position wakes it
    read_side: ReadSide | None = None  # the API's reads wait on it for `min_position`

    reads: Database | None = None  # the read models' pool when it is not `db` (a replica)

    @property
    def read_db(self) -> Database:
        """Where read-model queries go: the replica's pool if one is set, else the primary's."""
        return self.reads or self.db

    def close(self) -> None:
        self.store.close()
        if self.reads is not None:
            self.reads.close()
        self.db.close()


def bootstrap(settings: Settings) -> Container:
    url = settings.require_database()
    check_reachable(url)
    availability = Availability()  # one view of the server for both pools
    db = Database(
        url,
        max_size=settings.db_pool_size + settings.db_pool_max_overflow,
        availability=availability,
    )
    db.open()
    store = Store(EventStore(settings.eventsourcing_env(), settings.snapshot_interval))
    store.app.guard_connections(availability)
    fanout = WebhookFanout(store.app.state_at)
    runner = Runner(db, store.app, [*all_projections(), fanout], all_views())
    reads = None
    if settings.read_database_url:
        check_reachable(settings.read_database_url)
        reads = Database(settings.read_database_url, max_size=db.pool.max_size)
        reads.open()
    return Container(settings=settings, db=db, store=store, runner=runner, reads=reads)
