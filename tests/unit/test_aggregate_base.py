"""Every aggregate is built by its Created event's `apply`, whatever attributes it annotates."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from domain.client import Client
from domain.shared import Actor, Decision
from domain.strategy import Strategy

BY = Decision(Actor("u1", "Vera", "editor"), datetime(2027, 1, 4, 9, 0, tzinfo=UTC))


def test_client_and_strategy_can_be_created_and_replayed() -> None:
    client = Client.create(
        id=uuid4(), tenant_id=uuid4(), name="Acme", fiscal_year_start_month=7, currency="EUR", by=BY
    )
    strategy = Strategy.create(
        id=uuid4(),
        tenant_id=client.tenant_id,
        client_id=client.id,
        title="Cloud first",
        vision=None,
        by=BY,
    )
    for aggregate in (client, strategy):
        events = aggregate.collect_events()
        replayed = None
        for event in events:
            replayed = event.mutate(replayed)
        assert replayed is not None
        assert replayed.view() == aggregate.view()
