"""Use cases on strategies.

"One active strategy per client" spans aggregates: adopting writes the client too (it records
which strategy is active), in the same atomic save as the strategy and the one it supersedes.
Two concurrent adoptions then both write the client at the same version; optimistic
concurrency lets one commit, and the other is retried on the fresh client, so it supersedes
the winner instead of leaving two strategies active.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from domain.client import Client
from domain.shared import Priority, TechplanAggregate
from domain.strategy import Strategy
from services.auth import EDIT
from services.commands.context import Context, change, requires

Result = tuple[Strategy, int]


@dataclass(frozen=True, kw_only=True)
class CreateStrategy:
    client_id: UUID
    title: str
    vision: str | None = None
    rationale: str | None = None


@dataclass(frozen=True, kw_only=True)
class AddGoal:
    strategy_id: UUID
    title: str
    priority: Priority
    description: str | None = None
    rationale: str | None = None


@dataclass(frozen=True, kw_only=True)
class UpdateGoal:
    """None leaves a field as it is."""

    strategy_id: UUID
    goal_id: UUID
    rationale: str
    title: str | None = None
    description: str | None = None
    priority: Priority | None = None


@requires(EDIT)
def create_strategy(ctx: Context, command: CreateStrategy) -> Result:
    client = ctx.load(Client, command.client_id)
    strategy = Strategy.create(
        id=uuid4(),
        tenant_id=client.tenant_id,
        client_id=client.id,
        title=command.title,
        vision=command.vision,
        by=ctx.decision(command.rationale),
    )
    return strategy, ctx.store.save(strategy)


@requires(EDIT)
def add_goal(ctx: Context, command: AddGoal) -> tuple[Strategy, int, UUID]:
    goal_id = uuid4()
    strategy, position = change(
        ctx,
        Strategy,
        command.strategy_id,
        lambda s: s.add_goal(
            goal_id=goal_id,
            title=command.title,
            description=command.description,
            priority=command.priority,
            by=ctx.decision(command.rationale),
        ),
    )
    return strategy, position, goal_id


@requires(EDIT)
def update_goal(ctx: Context, command: UpdateGoal) -> Result:
    return change(
        ctx,
        Strategy,
        command.strategy_id,
        lambda s: s.update_goal(
            command.goal_id,
            title=command.title,
            description=command.description,
            priority=command.priority,
            by=ctx.decision(command.rationale),
        ),
    )


@requires(EDIT)
def retire_goal(ctx: Context, strategy_id: UUID, goal_id: UUID, rationale: str) -> Result:
    return change(
        ctx, Strategy, strategy_id, lambda s: s.retire_goal(goal_id, by=ctx.decision(rationale))
    )


@requires(EDIT)
def add_principle(
    ctx: Context, strategy_id: UUID, statement: str, rationale: str | None = None
) -> tuple[Strategy, int, UUID]:
    principle_id = uuid4()
    strategy, position = change(
        ctx,
        Strategy,
        strategy_id,
        lambda s: s.add_principle(
            principle_id=principle_id, statement=statement, by=ctx.decision(rationale)
        ),
    )
    return strategy, position, principle_id


@requires(EDIT)
def adopt(ctx: Context, strategy_id: UUID, rationale: str) -> Result:
    """Adopt; the client's previous active strategy becomes superseded, atomically."""

    def decide(strategy: Strategy) -> list[TechplanAggregate]:
        client = ctx.load(Client, strategy.client_id)
        by = ctx.decision(rationale)
        strategy.adopt(by)
        previous_id = client.activate_strategy(strategy.id, by)
        changed: list[TechplanAggregate] = [strategy, client]
        if previous_id is not None:
            previous = ctx.load(Strategy, previous_id)
            previous.supersede(strategy.id, by)
            changed.append(previous)
        return changed

    return change(ctx, Strategy, strategy_id, decide)


@requires(EDIT)
def archive(ctx: Context, strategy_id: UUID, rationale: str) -> Result:
    """Archive; an active strategy also stops being the client's active one, atomically."""

    def decide(strategy: Strategy) -> list[TechplanAggregate]:
        by = ctx.decision(rationale)
        was_active = strategy.status == "active"
        strategy.archive(by)
        if not was_active:
            return [strategy]
        client = ctx.load(Client, strategy.client_id)
        client.deactivate_strategy(strategy.id, by)
        return [strategy, client]

    return change(ctx, Strategy, strategy_id, decide)
