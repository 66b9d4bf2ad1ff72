"""Use cases on strategies. Adoption writes the client too, so that two concurrent
adoptions cannot both win: the client's version decides (optimistic concurrency)."""

from __future__ import annotations

from uuid import UUID, uuid4

from domain.client import Client
from domain.shared import Priority
from domain.strategy import Strategy
from services.api.common import Ctx
from services.api.schemas import DecisionIn, GoalIn, GoalPatch, PrincipleIn, StrategyIn
from services.auth import EDIT
from services.store import retrying

Result = tuple[Strategy, int]


def create_strategy(ctx: Ctx, client_id: UUID, data: StrategyIn) -> Result:
    ctx.principal.require(*EDIT)
    client = ctx.c.store.load(Client, client_id, ctx.principal)
    strategy = Strategy.create(
        id=uuid4(),
        tenant_id=client.tenant_id,
        client_id=client.id,
        title=data.title,
        vision=data.vision,
        by=ctx.decision(data.rationale),
    )
    return strategy, ctx.c.store.save(strategy)


def _change(ctx: Ctx, strategy_id: UUID, decide: object) -> Result:
    ctx.principal.require(*EDIT)

    def attempt() -> Result:
        strategy = ctx.c.store.load(Strategy, strategy_id, ctx.principal, if_match=ctx.if_match)
        decide(strategy)  # type: ignore[operator]
        return strategy, ctx.c.store.save(strategy)

    return retrying(attempt, if_match=ctx.if_match)


def add_goal(ctx: Ctx, strategy_id: UUID, data: GoalIn) -> tuple[Strategy, int, UUID]:
    goal_id = uuid4()
    strategy, position = _change(
        ctx,
        strategy_id,
        lambda s: s.add_goal(
            goal_id=goal_id,
            title=data.title,
            description=data.description,
            priority=Priority(data.priority),
            by=ctx.decision(data.rationale),
        ),
    )
    return strategy, position, goal_id


def update_goal(ctx: Ctx, strategy_id: UUID, goal_id: UUID, data: GoalPatch) -> Result:
    return _change(
        ctx,
        strategy_id,
        lambda s: s.update_goal(
            goal_id,
            title=data.title,
            description=data.description,
            priority=Priority(data.priority) if data.priority else None,
            by=ctx.decision(data.rationale),
        ),
    )


def retire_goal(ctx: Ctx, strategy_id: UUID, goal_id: UUID, data: DecisionIn) -> Result:
    return _change(
        ctx, strategy_id, lambda s: s.retire_goal(goal_id, by=ctx.decision(data.rationale))
    )


def add_principle(ctx: Ctx, strategy_id: UUID, data: PrincipleIn) -> tuple[Strategy, int, UUID]:
    principle_id = uuid4()
    strategy, position = _change(
        ctx,
        strategy_id,
        lambda s: s.add_principle(
            principle_id=principle_id, statement=data.statement, by=ctx.decision(data.rationale)
        ),
    )
    return strategy, position, principle_id


def archive(ctx: Ctx, strategy_id: UUID, data: DecisionIn) -> Result:
    ctx.principal.require(*EDIT)

    def attempt() -> Result:
        store = ctx.c.store
        strategy = store.load(Strategy, strategy_id, ctx.principal, if_match=ctx.if_match)
        by = ctx.decision(data.rationale)
        was_active = strategy.status == "active"
        strategy.archive(by)
        if not was_active:
            return strategy, store.save(strategy)
        client = store.load(Client, strategy.client_id, ctx.principal)
        client.deactivate_strategy(strategy.id, by)
        return strategy, store.save(strategy, client)

    return retrying(attempt, if_match=ctx.if_match)


def adopt(ctx: Ctx, strategy_id: UUID, data: DecisionIn) -> Result:
    """Adopt; the client's previous active strategy becomes superseded, atomically."""
    ctx.principal.require(*EDIT)

    def attempt() -> Result:
        store = ctx.c.store
        strategy = store.load(Strategy, strategy_id, ctx.principal, if_match=ctx.if_match)
        client = store.load(Client, strategy.client_id, ctx.principal)
        by = ctx.decision(data.rationale)
        strategy.adopt(by)
        previous_id = client.activate_strategy(strategy.id, by)
        changed = [strategy, client]
        if previous_id is not None:
            previous = store.load(Strategy, previous_id, ctx.principal)
            previous.supersede(strategy.id, by)
            changed.append(previous)
        return strategy, store.save(*changed)

    return retrying(attempt, if_match=ctx.if_match)
