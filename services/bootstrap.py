"""The composition root: builds the pools, the event store and the runner once.

Nothing connects at import time; tests build the same root with their own settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from infra.db import Database, check_reachable
from infra.eventstore import EventStore
from projections.runner import Runner, all_projections, all_views
from services.settings import Settings
from services.store import Store
from services.webhooks.fanout import projection as webhook_fanout


@dataclass
class Container:
    settings: Settings
    db: Database
    store: Store
    runner: Runner
    extras: dict[str, Any] = field(default_factory=dict)

    def close(self) -> None:
        self.store.close()
        self.db.close()


def bootstrap(settings: Settings) -> Container:
    url = settings.require_database()
    check_reachable(url)
    db = Database(url, max_size=settings.db_pool_size + settings.db_pool_max_overflow)
    db.open()
    store = Store(EventStore(settings.eventsourcing_env(), settings.snapshot_interval))
    runner = Runner(db, store.app, [*all_projections(), webhook_fanout], all_views())
    return Container(settings=settings, db=db, store=store, runner=runner)
