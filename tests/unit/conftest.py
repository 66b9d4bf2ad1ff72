"""Fixtures for domain tests: no database, no clock."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from eventsourcing.persistence import DatetimeAsISO, JSONTranscoder, Mapper, Transcoding, UUIDAsHex

from domain.shared import Actor, TechplanAggregate, TechplanEvent


class _ActorAsDict(Transcoding):
    type = Actor
    name = "actor"

    def encode(self, obj: Actor) -> dict[str, str]:
        return obj.as_dict()

    def decode(self, data: dict[str, str]) -> Actor:
        return Actor(**data)


Replay = Callable[[Sequence[TechplanEvent]], Any]


@pytest.fixture
def replay() -> Replay:
    """Store the events as the event store would (JSON), read them back, fold them, and fold
    them again from a snapshot (taken as the event store takes it, with the aggregate's own
    snapshot class): the result must be the aggregate they came from."""
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DatetimeAsISO(), _ActorAsDict()):
        transcoder.register(transcoding)
    mapper: Mapper[Any] = Mapper(transcoder)

    def fold(events: Sequence[TechplanEvent]) -> TechplanAggregate:
        aggregate: Any = None
        for event in events:
            stored = mapper.to_stored_event(event)
            read: Any = mapper.to_domain_event(stored)
            assert read == event
            aggregate = read.mutate(aggregate)
        taken = type(aggregate).Snapshot.take(aggregate)
        snapshot: Any = mapper.to_domain_event(mapper.to_stored_event(taken))
        restored: Any = snapshot.mutate(None)
        assert restored.view() == aggregate.view()
        assert vars(restored) == vars(aggregate)
        return aggregate

    return fold
