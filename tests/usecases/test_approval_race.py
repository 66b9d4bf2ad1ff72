"""Approving an initiative reads the strategy; retiring the goal it serves may commit in
between (services/commands/plans.py explains why that bounded race is accepted)."""

from __future__ import annotations

import logging
from uuid import UUID

import pytest

from domain.shared import RuleViolation
from domain.strategy import Strategy
from services.commands import plans, strategies
from tests.usecases.conftest import Interleaved, World


def scene(world: World) -> tuple[UUID, UUID, UUID, UUID]:
    client = world.client()
    strategy = world.strategy(client)
    goal = world.goal(strategy)
    strategies.adopt(world.ctx(), strategy, "kick-off")
    plan = world.plan(client, strategy)
    return strategy, goal, plan, world.initiative(plan, [goal])


def approve(world: World, plan: UUID, initiative: UUID, **ctx: object) -> plans.Result:
    move = plans.MoveInitiative(plan_id=plan, initiative_id=initiative, rationale="go")
    return plans.approve_initiative(world.ctx(**ctx), move)  # type: ignore[arg-type]


def test_an_initiative_serving_only_retired_goals_is_not_approved(world: World) -> None:
    strategy, goal, plan, initiative = scene(world)
    strategies.retire_goal(world.ctx(), strategy, goal, "met")
    with pytest.raises(RuleViolation):
        approve(world, plan, initiative)


def test_a_retirement_between_read_and_commit_is_tolerated_and_logged(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    strategy, goal, plan, initiative = scene(world)
    racing = Interleaved(
        world.store, Strategy, lambda: strategies.retire_goal(world.ctx(), strategy, goal, "met")
    )
    with caplog.at_level(logging.WARNING, logger="techplan.plans"):
        approved, _ = approve(world, plan, initiative, store=racing)
    # The outcome of the serial order "approve, then retire": approved, counted unaligned.
    assert racing.raced and approved.initiative(initiative).status == "approved"
    assert "retired concurrently" in caplog.text
    later = world.initiative(plan, [goal])
    with pytest.raises(RuleViolation):
        approve(world, plan, later)


def test_no_warning_without_a_race(world: World, caplog: pytest.LogCaptureFixture) -> None:
    _, _, plan, initiative = scene(world)
    with caplog.at_level(logging.WARNING, logger="techplan.plans"):
        approve(world, plan, initiative)
    assert "retired concurrently" not in caplog.text
