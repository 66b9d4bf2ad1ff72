"""One budget per client and fiscal year that is not closed: creating a budget records the
year as open on the Client aggregate in the same save, and closing releases it."""

from __future__ import annotations

from uuid import UUID

import pytest

from domain.budget import Budget
from domain.calendar import FiscalYear
from domain.client import Client
from domain.shared import StateConflict
from services.commands import budgets, clients
from services.errors import Invalid
from tests.usecases.conftest import Interleaved, World


def create(world: World, client_id: UUID, year: int = 2027) -> budgets.Result:
    command = budgets.CreateBudget(client_id=client_id, fiscal_year=FiscalYear(year))
    return budgets.create_budget(world.ctx(), command)


def approved(world: World, client_id: UUID) -> Budget:
    budget, _ = create(world, client_id)
    budgets.submit(world.ctx(), budget.id, "for the review")
    budget, _ = budgets.approve(world.ctx(), budget.id, "agreed")
    return budget


def test_a_second_open_budget_for_the_same_year_is_refused(world: World) -> None:
    client = world.client()
    create(world, client, 2027)
    create(world, client, 2028)  # another year is fine
    with pytest.raises(StateConflict):
        create(world, client, 2027)


def test_closing_a_budget_releases_its_year(world: World) -> None:
    client = world.client()
    budget = approved(world, client)
    closed, _ = budgets.close(world.ctx(), budget.id, "year ended early")
    assert closed.status == "closed"
    again, _ = create(world, client)
    assert again.id != budget.id and again.fiscal_year == 2027


def test_a_creation_that_loses_the_race_finds_the_year_taken(world: World) -> None:
    client = world.client()
    # The other creation commits between our read of the client and our save: the retry
    # reads the fresh client, where the year is open already.
    racing = Interleaved(world.store, Client, lambda: create(world, client))
    command = budgets.CreateBudget(client_id=client, fiscal_year=FiscalYear(2027))
    with pytest.raises(StateConflict):
        budgets.create_budget(world.ctx(store=racing), command)
    assert racing.raced


def test_closing_is_retried_when_the_client_changed_meanwhile_even_under_if_match(
    world: World,
) -> None:
    """If-Match pins the budget only: a client renamed concurrently is no stale version."""
    client = world.client()
    budget = approved(world, client)
    rename = clients.UpdateClient(client_id=client, rationale="merger", name="Contoso Group")
    racing = Interleaved(world.store, Client, lambda: clients.update_client(world.ctx(), rename))
    closed, _ = budgets.close(world.ctx(store=racing, if_match=budget.version), budget.id, "done")
    assert racing.raced and closed.status == "closed"
    assert world.store.load(Client, client, world.principal()).name == "Contoso Group"


def test_a_budget_names_a_plan_of_its_own_client_only(world: World) -> None:
    ours, theirs = world.client("Ours"), world.client("Theirs")
    plan = world.plan(theirs, world.strategy(theirs))
    with pytest.raises(Invalid):
        budgets.create_budget(
            world.ctx(),
            budgets.CreateBudget(client_id=ours, fiscal_year=FiscalYear(2027), plan_id=plan),
        )
