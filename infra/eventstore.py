"""The event store: one eventsourcing Application shared by all tenants (pooled model).

Configured only from the mapping it is given (never the ambient environment): PostgreSQL in
production, `{"PERSISTENCE_MODULE": "eventsourcing.popo"}` in memory for use-case tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder, Transcoding
from eventsourcing.utils import Environment

from domain.catalogue import AGGREGATES
from domain.shared import Actor, TechplanEvent


class ActorAsDict(Transcoding):
    type = Actor
    name = "actor"

    def encode(self, obj: Actor) -> dict[str, str]:
        return obj.as_dict()

    def decode(self, data: dict[str, str]) -> Actor:
        return Actor(**data)


class EventStore(Application[UUID]):
    name = "techplan"
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {}

    def __init__(self, env: dict[str, str], snapshot_interval: int = 100) -> None:
        type(self).snapshotting_intervals = {cls: snapshot_interval for cls in AGGREGATES}
        super().__init__(env)

    def construct_env(self, name: str, env: Any = None) -> Environment:
        # Only what the settings gave us: never the ambient os.environ.
        values = {"IS_SNAPSHOTTING_ENABLED": "y", **dict(env or {})}
        return Environment(name, values)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(ActorAsDict())


@dataclass(frozen=True)
class RecordedEvent:
    event: TechplanEvent
    position: int

    @property
    def version(self) -> int:
        return self.event.originator_version

    @property
    def occurred_at(self) -> datetime:
        return self.event.timestamp
