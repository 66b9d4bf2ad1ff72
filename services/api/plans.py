"""/v1/clients/{cid}/plans and /v1/plans"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from domain.plan import TechnologyPlan
from projections import plans as plans_view
from services.api.common import (
    client_list,
    ctx,
    resource,
    uuid_of,
)
from services.api.history import load_at
from services.api.tactical_schemas import InitiativeActionIn, InitiativeIn, InitiativePatch, PlanIn
from services.auth import READ, Principal
from services.commands import plans as commands
from services.errors import NotFound


class ClientPlansController(Controller):
    path = "/v1/clients/{client_id:str}/plans"
    tags = ["plans"]

    @post("/", sync_to_thread=True, status_code=201)
    def create(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        client_id: FromPath[str],
        data: JSONBody[PlanIn],
    ) -> Response[dict[str, Any]]:
        plan, position = commands.create_plan(
            ctx(request, principal), uuid_of(client_id, "client"), data
        )
        return resource(plan.view(), status=201, position=position)

    @get("/", sync_to_thread=True)
    def list_plans(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        client_id: FromPath[str],
        limit: FromQuery[int] = 50,
        cursor: FromQuery[str | None] = None,
        min_position: FromQuery[int | None] = None,
    ) -> dict[str, Any]:
        return client_list(
            request,
            principal,
            client_id,
            plans_view.projection.name,
            plans_view.list_plans,
            limit=limit,
            cursor=cursor,
            min_position=min_position,
        )


class PlanController(Controller):
    path = "/v1/plans/{plan_id:str}"
    tags = ["plans"]

    @get("/", sync_to_thread=True)
    def get_plan(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        plan_id: FromPath[str],
        version: FromQuery[int | None] = None,
        as_of: FromQuery[datetime | None] = None,
    ) -> Response[dict[str, Any]]:
        principal.require(*READ)
        plan = load_at(
            ctx(request, principal), TechnologyPlan, uuid_of(plan_id, "plan"), version, as_of
        )
        return resource(plan.view())

    @post("/initiatives", sync_to_thread=True, status_code=201)
    def propose(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        plan_id: FromPath[str],
        data: JSONBody[InitiativeIn],
    ) -> Response[dict[str, Any]]:
        plan, position, initiative_id = commands.propose_initiative(
            ctx(request, principal), uuid_of(plan_id, "plan"), data
        )
        return resource(plan.view(), status=201, position=position, created_id=str(initiative_id))

    @patch("/initiatives/{initiative_id:str}", sync_to_thread=True)
    def update_initiative(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        plan_id: FromPath[str],
        initiative_id: FromPath[str],
        data: JSONBody[InitiativePatch],
    ) -> Response[dict[str, Any]]:
        plan, position = commands.update_initiative(
            ctx(request, principal),
            uuid_of(plan_id, "plan"),
            uuid_of(initiative_id, "initiative"),
            data,
        )
        return resource(plan.view(), position=position)

    @post(
        "/initiatives/{initiative_id:str}/{action:str}",
        sync_to_thread=True,
        status_code=200,
        description="`action`: approve, start, complete, defer (with a later target_quarter), "
        "cancel. A `client` key may approve and defer.",
    )
    def act(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        plan_id: FromPath[str],
        initiative_id: FromPath[str],
        action: FromPath[str],
        data: JSONBody[InitiativeActionIn],
    ) -> Response[dict[str, Any]]:
        command = commands.INITIATIVE_ACTIONS.get(action)
        if command is None:
            raise NotFound(f"no such action: {action[:40]}")
        plan, position = command(
            ctx(request, principal),
            uuid_of(plan_id, "plan"),
            uuid_of(initiative_id, "initiative"),
            data,
        )
        return resource(plan.view(), position=position)
