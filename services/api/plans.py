"""/v1/clients/{cid}/plans and /v1/plans"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from domain.plan import TechnologyPlan
from projections import plans as plans_view
from services.api.common import answer, client_list
from services.api.history import load_at
from services.api.params import AsOf, Limit, MinPosition, PageCursor, Version
from services.api.patching import converted, given, nullable
from services.api.plans_out import PlanOut, PlanPage
from services.api.responses import typed
from services.api.tactical_schemas import (
    InitiativeActionIn,
    InitiativeIn,
    InitiativePatch,
    PlanIn,
    money,
    quarter,
    recurring,
)
from services.auth import READ, Principal
from services.bootstrap import Container
from services.commands import plans as commands
from services.commands.context import Context
from services.errors import NotFound


class ClientPlansController(Controller):
    path = "/v1/clients/{client_id:uuid}/plans"
    tags = ["plans"]

    @post("/", sync_to_thread=True, status_code=201)
    def create(
        self, context: NamedDependency[Context], client_id: FromPath[UUID], data: JSONBody[PlanIn]
    ) -> Response[PlanOut]:
        plan, position = commands.create_plan(
            context,
            commands.CreatePlan(
                client_id=client_id,
                strategy_id=data.strategy_id,
                title=data.title,
                rationale=data.rationale,
            ),
        )
        return answer(PlanOut, plan.view(), status=201, position=position)

    @get("/")
    async def list_plans(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        client_id: FromPath[UUID],
        limit: Limit = 50,
        cursor: PageCursor = None,
        min_position: MinPosition = None,
    ) -> PlanPage:
        items = await client_list(
            container,
            principal,
            client_id,
            plans_view.projection.name,
            plans_view.list_plans,
            limit=limit,
            cursor=cursor,
            min_position=min_position,
        )
        return typed(PlanPage, items)


class PlanController(Controller):
    path = "/v1/plans/{plan_id:uuid}"
    tags = ["plans"]

    @get("/", sync_to_thread=True)
    def get_plan(
        self,
        context: NamedDependency[Context],
        plan_id: FromPath[UUID],
        version: Version = None,
        as_of: AsOf = None,
    ) -> Response[PlanOut]:
        context.principal.require(*READ)
        plan = load_at(context, TechnologyPlan, plan_id, version, as_of)
        return answer(PlanOut, plan.view())

    @post("/initiatives", sync_to_thread=True, status_code=201)
    def propose(
        self,
        context: NamedDependency[Context],
        plan_id: FromPath[UUID],
        data: JSONBody[InitiativeIn],
    ) -> Response[PlanOut]:
        plan, position, initiative_id = commands.propose_initiative(
            context,
            commands.ProposeInitiative(
                plan_id=plan_id,
                title=data.title,
                description=data.description,
                category=data.category,
                goal_ids=data.goal_ids,
                target_quarter=quarter(data.target_quarter),
                one_time_cost=money(data.one_time_cost),
                recurring_cost=recurring(data.recurring_cost),
                priority=data.priority,
                rationale=data.rationale,
            ),
        )
        return answer(
            PlanOut, plan.view(), status=201, position=position, created_id=str(initiative_id)
        )

    @patch("/initiatives/{initiative_id:uuid}", sync_to_thread=True)
    def update_initiative(
        self,
        context: NamedDependency[Context],
        plan_id: FromPath[UUID],
        initiative_id: FromPath[UUID],
        data: JSONBody[InitiativePatch],
    ) -> Response[PlanOut]:
        plan, position = commands.update_initiative(
            context,
            commands.UpdateInitiative(
                plan_id=plan_id,
                initiative_id=initiative_id,
                rationale=data.rationale,
                title=given(data.title),
                description=nullable(data.description),
                category=given(data.category),
                goal_ids=given(data.goal_ids),
                target_quarter=converted(data.target_quarter, quarter),
                one_time_cost=converted(data.one_time_cost, money),
                recurring_cost=converted(data.recurring_cost, recurring),
                priority=given(data.priority),
            ),
        )
        return answer(PlanOut, plan.view(), position=position)

    @post(
        "/initiatives/{initiative_id:uuid}/{action:str}",
        sync_to_thread=True,
        status_code=200,
        description="`action`: approve, start, complete, defer (with a later target_quarter), "
        "cancel. A `client` key may approve and defer.",
    )
    def act(
        self,
        context: NamedDependency[Context],
        plan_id: FromPath[UUID],
        initiative_id: FromPath[UUID],
        action: FromPath[str],
        data: JSONBody[InitiativeActionIn],
    ) -> Response[PlanOut]:
        command = commands.INITIATIVE_ACTIONS.get(action)
        if command is None:
            raise NotFound(f"no such action: {action[:40]}")
        plan, position = command(
            context,
            commands.MoveInitiative(
                plan_id=plan_id,
                initiative_id=initiative_id,
                rationale=data.rationale,
                target_quarter=quarter(data.target_quarter),
            ),
        )
        return answer(PlanOut, plan.view(), position=position)
