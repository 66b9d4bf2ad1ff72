"""Use cases against the event store's in-memory persistence: no PostgreSQL, no Redis, no
HTTP. The commands run exactly as the API runs them, with a context built by hand."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from domain.category import Category
from domain.shared import Priority, Role, TechplanAggregate
from infra.eventstore import EventStore
from services.auth import Principal
from services.commands import clients, plans, strategies
from services.commands.context import Context
from services.store import Store

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store(EventStore({"PERSISTENCE_MODULE": "eventsourcing.popo"}))
    yield s
    s.close()


class Interleaved(Store):
    """The same store, except that once, right after loading a `cls`, another use case runs
    and commits: as if it had won the race between our read and our write."""

    def __init__(self, store: Store, cls: type[TechplanAggregate], run: Callable[[], object]):
        super().__init__(store.app)
        self.cls, self.run, self.raced = cls, run, False

    def load(self, cls, aggregate_id, principal, **kw):  # type: ignore[no-untyped-def]
        loaded = super().load(cls, aggregate_id, principal, **kw)
        if cls is self.cls and not self.raced:
            self.raced = True
            self.run()
        return loaded


@dataclass
class World:
    """A tenant on an in-memory store, and shortcuts that set the scene through the use
    cases themselves."""

    store: Store
    tenant_id: UUID = field(default_factory=uuid4)

    def principal(self, role: Role = Role.ADMIN, clients: list[UUID] | None = None) -> Principal:
        return Principal(
            key_id=uuid4(),
            tenant_id=self.tenant_id,
            name=f"{role.value} key",
            role=role,
            client_ids=None if clients is None else frozenset(clients),
        )

    def ctx(
        self,
        role: Role = Role.ADMIN,
        *,
        clients: list[UUID] | None = None,
        if_match: int | None = None,
        store: Store | None = None,
    ) -> Context:
        return Context(
            store=store or self.store,
            principal=self.principal(role, clients),
            correlation_id="usecase-test",
            if_match=if_match,
            clock=lambda: NOW,
        )

    def client(self, name: str = "Contoso", currency: str = "USD") -> UUID:
        client, _ = clients.create_client(
            self.ctx(), clients.CreateClient(name=name, currency=currency)
        )
        return client.id

    def strategy(self, client_id: UUID, title: str = "IT strategy") -> UUID:
        command = strategies.CreateStrategy(client_id=client_id, title=title)
        strategy, _ = strategies.create_strategy(self.ctx(), command)
        return strategy.id

    def goal(self, strategy_id: UUID, title: str = "Resilience") -> UUID:
        command = strategies.AddGoal(strategy_id=strategy_id, title=title, priority=Priority.HIGH)
        _, _, goal_id = strategies.add_goal(self.ctx(), command)
        return goal_id

    def plan(self, client_id: UUID, strategy_id: UUID) -> UUID:
        command = plans.CreatePlan(client_id=client_id, strategy_id=strategy_id, title="Plan")
        plan, _ = plans.create_plan(self.ctx(), command)
        return plan.id

    def initiative(self, plan_id: UUID, goal_ids: list[UUID]) -> UUID:
        command = plans.ProposeInitiative(
            plan_id=plan_id,
            title="Replace firewalls",
            category=Category.SECURITY,
            goal_ids=goal_ids,
            priority=Priority.HIGH,
        )
        _, _, initiative_id = plans.propose_initiative(self.ctx(), command)
        return initiative_id


@pytest.fixture
def world(store: Store) -> World:
    return World(store)


class LogLibrary:
    """The active standards of a tenant, folded from the event log itself: a second, slow
    but exact implementation of `Library` (the API lists them from the standards table)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def active_standard_ids(self, tenant_id: UUID) -> list[UUID]:
        from domain.standard import Standard

        active: dict[UUID, bool] = {}
        for recorded in self.store.app.read_log(0, 1_000_000):
            event = recorded.event
            if event.tenant_id != tenant_id:
                continue
            if isinstance(event, Standard.Created):
                active[event.originator_id] = True
            elif isinstance(event, Standard.Retired):
                active[event.originator_id] = False
        return [i for i, on in active.items() if on]
