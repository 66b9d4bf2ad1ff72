"""Each use case declares who may run it, and checks it before loading anything."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.shared import Role
from services.auth import DECIDE_BUDGET, DECIDE_INITIATIVE, EDIT
from services.commands import budgets, clients, plans, reviews, strategies
from services.errors import Forbidden
from tests.usecases.conftest import World

MODULES = (budgets, clients, plans, reviews, strategies)


def use_cases() -> dict[str, object]:
    return {
        f"{m.__name__.rsplit('.', 1)[-1]}.{name}": fn
        for m in MODULES
        for name, fn in vars(m).items()
        if callable(fn)
        and not name.startswith("_")
        and getattr(fn, "__module__", None) == m.__name__
        and getattr(fn, "__wrapped__", None) is not None
    }


def test_every_use_case_declares_its_roles() -> None:
    roles = {name: fn.roles for name, fn in use_cases().items()}  # type: ignore[attr-defined]
    assert len(roles) == 30
    decided = {name for name, r in roles.items() if r != EDIT}
    assert decided == {
        "budgets.approve",
        "budgets.reject",
        "plans.approve_initiative",
        "plans.defer_initiative",
    }
    assert roles["budgets.approve"] == DECIDE_BUDGET
    assert roles["plans.defer_initiative"] == DECIDE_INITIATIVE


def test_a_viewer_is_refused_before_anything_is_read(world: World) -> None:
    missing = uuid4()  # a load would answer 404: the role check comes first
    with pytest.raises(Forbidden):
        strategies.adopt(world.ctx(Role.VIEWER), missing, "no")
    with pytest.raises(Forbidden):
        budgets.approve(world.ctx(Role.EDITOR), missing, "only admin and client decide")


def test_a_client_contact_approves_its_clients_initiatives_but_does_not_propose(
    world: World,
) -> None:
    client = world.client()
    strategy = world.strategy(client)
    goal = world.goal(strategy)
    strategies.adopt(world.ctx(), strategy, "kick-off")
    plan = world.plan(client, strategy)
    initiative = world.initiative(plan, [goal])
    contact = world.ctx(Role.CLIENT, clients=[client])
    move = plans.MoveInitiative(plan_id=plan, initiative_id=initiative, rationale="yes")
    approved, _ = plans.approve_initiative(contact, move)
    assert approved.initiative(initiative).status == "approved"
    assert approved.initiative(initiative) and contact.principal.role is Role.CLIENT
    with pytest.raises(Forbidden):
        plans.start_initiative(contact, move)
