"""/v1/clients/{cid}/strategies and /v1/strategies"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from domain.strategy import Strategy
from projections import strategies as strategies_view
from services.api.common import answer, client_list
from services.api.history import load_at
from services.api.params import AsOf, Limit, MinPosition, PageCursor, Version
from services.api.responses import typed
from services.api.schemas import DecisionIn, GoalIn, GoalPatch, PrincipleIn, StrategyIn
from services.api.strategies_out import StrategyOut, StrategyPage
from services.auth import READ, Principal
from services.bootstrap import Container
from services.commands import strategies as commands
from services.commands.context import Context


class ClientStrategiesController(Controller):
    path = "/v1/clients/{client_id:uuid}/strategies"
    tags = ["strategies"]

    @post("/", sync_to_thread=True, status_code=201)
    def create(
        self,
        context: NamedDependency[Context],
        client_id: FromPath[UUID],
        data: JSONBody[StrategyIn],
    ) -> Response[StrategyOut]:
        strategy, position = commands.create_strategy(
            context,
            commands.CreateStrategy(
                client_id=client_id,
                title=data.title,
                vision=data.vision,
                rationale=data.rationale,
            ),
        )
        return answer(StrategyOut, strategy.view(), status=201, position=position)

    @get("/")
    async def list_strategies(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        client_id: FromPath[UUID],
        limit: Limit = 50,
        cursor: PageCursor = None,
        min_position: MinPosition = None,
    ) -> StrategyPage:
        page = await client_list(
            container,
            principal,
            client_id,
            strategies_view.projection.name,
            strategies_view.list_strategies,
            limit=limit,
            cursor=cursor,
            min_position=min_position,
        )
        return typed(StrategyPage, page)


class StrategyController(Controller):
    path = "/v1/strategies/{strategy_id:uuid}"
    tags = ["strategies"]

    @get("/", sync_to_thread=True)
    def get_strategy(
        self,
        context: NamedDependency[Context],
        strategy_id: FromPath[UUID],
        version: Version = None,
        as_of: AsOf = None,
    ) -> Response[StrategyOut]:
        context.principal.require(*READ)
        strategy = load_at(context, Strategy, strategy_id, version, as_of)
        return answer(StrategyOut, strategy.view())

    @post("/goals", sync_to_thread=True, status_code=201)
    def add_goal(
        self,
        context: NamedDependency[Context],
        strategy_id: FromPath[UUID],
        data: JSONBody[GoalIn],
    ) -> Response[StrategyOut]:
        strategy, position, goal_id = commands.add_goal(
            context,
            commands.AddGoal(
                strategy_id=strategy_id,
                title=data.title,
                description=data.description,
                priority=data.priority,
                rationale=data.rationale,
            ),
        )
        return answer(
            StrategyOut, strategy.view(), status=201, position=position, created_id=str(goal_id)
        )

    @patch("/goals/{goal_id:uuid}", sync_to_thread=True)
    def update_goal(
        self,
        context: NamedDependency[Context],
        strategy_id: FromPath[UUID],
        goal_id: FromPath[UUID],
        data: JSONBody[GoalPatch],
    ) -> Response[StrategyOut]:
        strategy, position = commands.update_goal(
            context,
            commands.UpdateGoal(
                strategy_id=strategy_id,
                goal_id=goal_id,
                rationale=data.rationale,
                title=data.title,
                description=data.description,
                priority=data.priority,
            ),
        )
        return answer(StrategyOut, strategy.view(), position=position)

    @post("/goals/{goal_id:uuid}/retire", sync_to_thread=True, status_code=200)
    def retire_goal(
        self,
        context: NamedDependency[Context],
        strategy_id: FromPath[UUID],
        goal_id: FromPath[UUID],
        data: JSONBody[DecisionIn],
    ) -> Response[StrategyOut]:
        strategy, position = commands.retire_goal(context, strategy_id, goal_id, data.rationale)
        return answer(StrategyOut, strategy.view(), position=position)

    @post("/principles", sync_to_thread=True, status_code=201)
    def add_principle(
        self,
        context: NamedDependency[Context],
        strategy_id: FromPath[UUID],
        data: JSONBody[PrincipleIn],
    ) -> Response[StrategyOut]:
        strategy, position, principle_id = commands.add_principle(
            context, strategy_id, data.statement, data.rationale
        )
        return answer(
            StrategyOut,
            strategy.view(),
            status=201,
            position=position,
            created_id=str(principle_id),
        )

    @post("/adopt", sync_to_thread=True, status_code=200)
    def adopt(
        self,
        context: NamedDependency[Context],
        strategy_id: FromPath[UUID],
        data: JSONBody[DecisionIn],
    ) -> Response[StrategyOut]:
        strategy, position = commands.adopt(context, strategy_id, data.rationale)
        return answer(StrategyOut, strategy.view(), position=position)

    @post("/archive", sync_to_thread=True, status_code=200)
    def archive(
        self,
        context: NamedDependency[Context],
        strategy_id: FromPath[UUID],
        data: JSONBody[DecisionIn],
    ) -> Response[StrategyOut]:
        strategy, position = commands.archive(context, strategy_id, data.rationale)
        return answer(StrategyOut, strategy.view(), position=position)
