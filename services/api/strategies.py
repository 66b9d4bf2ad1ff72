"""/v1/clients/{cid}/strategies and /v1/strategies"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from domain.strategy import Strategy
from projections import strategies as strategies_view
from services.api.common import client_list, resource, uuid_of
from services.api.history import load_at
from services.api.schemas import DecisionIn, GoalIn, GoalPatch, PrincipleIn, StrategyIn
from services.auth import READ, Principal
from services.bootstrap import Container
from services.commands import strategies as commands
from services.commands.context import Context


class ClientStrategiesController(Controller):
    path = "/v1/clients/{client_id:str}/strategies"
    tags = ["strategies"]

    @post("/", sync_to_thread=True, status_code=201)
    def create(
        self,
        context: NamedDependency[Context],
        client_id: FromPath[str],
        data: JSONBody[StrategyIn],
    ) -> Response[dict[str, Any]]:
        strategy, position = commands.create_strategy(
            context,
            commands.CreateStrategy(
                client_id=uuid_of(client_id, "client"),
                title=data.title,
                vision=data.vision,
                rationale=data.rationale,
            ),
        )
        return resource(strategy.view(), status=201, position=position)

    @get("/")
    async def list_strategies(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        client_id: FromPath[str],
        limit: FromQuery[int] = 50,
        cursor: FromQuery[str | None] = None,
        min_position: FromQuery[int | None] = None,
    ) -> dict[str, Any]:
        return await client_list(
            container,
            principal,
            client_id,
            strategies_view.projection.name,
            strategies_view.list_strategies,
            limit=limit,
            cursor=cursor,
            min_position=min_position,
        )


class StrategyController(Controller):
    path = "/v1/strategies/{strategy_id:str}"
    tags = ["strategies"]

    @get("/", sync_to_thread=True)
    def get_strategy(
        self,
        context: NamedDependency[Context],
        strategy_id: FromPath[str],
        version: FromQuery[int | None] = None,
        as_of: FromQuery[datetime | None] = None,
    ) -> Response[dict[str, Any]]:
        context.principal.require(*READ)
        strategy = load_at(context, Strategy, uuid_of(strategy_id, "strategy"), version, as_of)
        return resource(strategy.view())

    @post("/goals", sync_to_thread=True, status_code=201)
    def add_goal(
        self,
        context: NamedDependency[Context],
        strategy_id: FromPath[str],
        data: JSONBody[GoalIn],
    ) -> Response[dict[str, Any]]:
        strategy, position, goal_id = commands.add_goal(
            context,
            commands.AddGoal(
                strategy_id=uuid_of(strategy_id, "strategy"),
                title=data.title,
                description=data.description,
                priority=data.priority,
                rationale=data.rationale,
            ),
        )
        return resource(strategy.view(), status=201, position=position, created_id=str(goal_id))

    @patch("/goals/{goal_id:str}", sync_to_thread=True)
    def update_goal(
        self,
        context: NamedDependency[Context],
        strategy_id: FromPath[str],
        goal_id: FromPath[str],
        data: JSONBody[GoalPatch],
    ) -> Response[dict[str, Any]]:
        strategy, position = commands.update_goal(
            context,
            commands.UpdateGoal(
                strategy_id=uuid_of(strategy_id, "strategy"),
                goal_id=uuid_of(goal_id, "goal"),
                rationale=data.rationale,
                title=data.title,
                description=data.description,
                priority=data.priority,
            ),
        )
        return resource(strategy.view(), position=position)

    @post("/goals/{goal_id:str}/retire", sync_to_thread=True, status_code=200)
    def retire_goal(
        self,
        context: NamedDependency[Context],
        strategy_id: FromPath[str],
        goal_id: FromPath[str],
        data: JSONBody[DecisionIn],
    ) -> Response[dict[str, Any]]:
        strategy, position = commands.retire_goal(
            context, uuid_of(strategy_id, "strategy"), uuid_of(goal_id, "goal"), data.rationale
        )
        return resource(strategy.view(), position=position)

    @post("/principles", sync_to_thread=True, status_code=201)
    def add_principle(
        self,
        context: NamedDependency[Context],
        strategy_id: FromPath[str],
        data: JSONBody[PrincipleIn],
    ) -> Response[dict[str, Any]]:
        strategy, position, principle_id = commands.add_principle(
            context, uuid_of(strategy_id, "strategy"), data.statement, data.rationale
        )
        return resource(
            strategy.view(), status=201, position=position, created_id=str(principle_id)
        )

    @post("/adopt", sync_to_thread=True, status_code=200)
    def adopt(
        self,
        context: NamedDependency[Context],
        strategy_id: FromPath[str],
        data: JSONBody[DecisionIn],
    ) -> Response[dict[str, Any]]:
        strategy, position = commands.adopt(
            context, uuid_of(strategy_id, "strategy"), data.rationale
        )
        return resource(strategy.view(), position=position)

    @post("/archive", sync_to_thread=True, status_code=200)
    def archive(
        self,
        context: NamedDependency[Context],
        strategy_id: FromPath[str],
        data: JSONBody[DecisionIn],
    ) -> Response[dict[str, Any]]:
        strategy, position = commands.archive(
            context, uuid_of(strategy_id, "strategy"), data.rationale
        )
        return resource(strategy.view(), position=position)
