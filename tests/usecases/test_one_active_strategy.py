"""One active strategy per client: the Client aggregate records which strategy is active, so
two adoptions that race both write the client, and optimistic concurrency decides."""

from __future__ import annotations

import threading

import pytest

from domain.client import Client
from domain.shared import StateConflict
from domain.strategy import Strategy
from services.commands import strategies
from services.errors import PreconditionFailed
from tests.usecases.conftest import Interleaved, World


def status(world: World, strategy_id: object) -> str:
    return world.store.load(Strategy, strategy_id, world.principal()).status  # type: ignore[arg-type]


def active(world: World, client_id: object) -> object:
    return world.store.load(Client, client_id, world.principal()).active_strategy_id  # type: ignore[arg-type]


def test_adopting_a_second_strategy_supersedes_the_first(world: World) -> None:
    client = world.client()
    first, second = world.strategy(client), world.strategy(client)
    strategies.adopt(world.ctx(), first, "kick-off")
    strategies.adopt(world.ctx(), second, "after the merger")
    assert (status(world, first), status(world, second)) == ("superseded", "active")
    assert active(world, client) == second


def test_an_adoption_that_loses_the_race_is_retried_and_supersedes_the_winner(
    world: World,
) -> None:
    client = world.client()
    mine, theirs = world.strategy(client), world.strategy(client)
    # Theirs commits after we read the client and before we save it: our save conflicts on
    # the client's version, and the retry adopts ours on the fresh client.
    racing = Interleaved(
        world.store, Client, lambda: strategies.adopt(world.ctx(), theirs, "theirs first")
    )
    strategy, _ = strategies.adopt(world.ctx(store=racing), mine, "mine after")
    assert racing.raced and strategy.status == "active"
    assert (status(world, mine), status(world, theirs)) == ("active", "superseded")
    assert active(world, client) == mine


def test_a_pinned_adoption_that_loses_the_race_is_a_stale_if_match(world: World) -> None:
    client = world.client()
    mine, theirs = world.strategy(client), world.strategy(client)
    racing = Interleaved(
        world.store, Client, lambda: strategies.adopt(world.ctx(), theirs, "theirs first")
    )
    with pytest.raises(PreconditionFailed):
        strategies.adopt(world.ctx(store=racing, if_match=1), mine, "mine after")
    assert (status(world, mine), status(world, theirs)) == ("draft", "active")


def test_concurrent_adoptions_leave_exactly_one_strategy_active(world: World) -> None:
    client = world.client()
    drafts = [world.strategy(client, f"Strategy {n}") for n in range(6)]
    start = threading.Barrier(len(drafts))
    errors: list[BaseException] = []

    def adopt(strategy_id: object) -> None:
        start.wait()
        try:
            strategies.adopt(world.ctx(), strategy_id, "adopted")  # type: ignore[arg-type]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=adopt, args=(s,)) for s in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors
    statuses = sorted(status(world, s) for s in drafts)
    assert statuses == ["active"] + ["superseded"] * (len(drafts) - 1)
    assert status(world, active(world, client)) == "active"


def test_archiving_the_active_strategy_frees_the_client(world: World) -> None:
    client = world.client()
    strategy = world.strategy(client)
    strategies.adopt(world.ctx(), strategy, "kick-off")
    strategies.archive(world.ctx(), strategy, "the client left")
    assert status(world, strategy) == "archived" and active(world, client) is None
    with pytest.raises(StateConflict):
        strategies.adopt(world.ctx(), strategy, "again")
