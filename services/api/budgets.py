"""/v1/clients/{cid}/budgets and /v1/budgets"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from domain.budget import Budget
from projections import budgets as budgets_view
from services.api.common import (
    client_list,
    ctx,
    resource,
    uuid_of,
)
from services.api.history import load_at
from services.api.schemas import DecisionIn
from services.api.tactical_schemas import ActualIn, BudgetIn, LineIn, LinePatch
from services.auth import READ, Principal
from services.commands import budgets as commands
from services.errors import NotFound


class ClientBudgetsController(Controller):
    path = "/v1/clients/{client_id:str}/budgets"
    tags = ["budgets"]

    @post(
        "/",
        sync_to_thread=True,
        status_code=201,
        description="One budget per client and fiscal year that is not closed: another is 409.",
    )
    def create(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        client_id: FromPath[str],
        data: JSONBody[BudgetIn],
    ) -> Response[dict[str, Any]]:
        budget, position = commands.create_budget(
            ctx(request, principal), uuid_of(client_id, "client"), data
        )
        return resource(budget.view(), status=201, position=position)

    @get("/", sync_to_thread=True)
    def list_budgets(
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
            budgets_view.projection.name,
            budgets_view.list_budgets,
            limit=limit,
            cursor=cursor,
            min_position=min_position,
        )


class BudgetController(Controller):
    path = "/v1/budgets/{budget_id:str}"
    tags = ["budgets"]

    @get("/", sync_to_thread=True)
    def get_budget(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        budget_id: FromPath[str],
        version: FromQuery[int | None] = None,
        as_of: FromQuery[datetime | None] = None,
    ) -> Response[dict[str, Any]]:
        principal.require(*READ)
        budget = load_at(
            ctx(request, principal), Budget, uuid_of(budget_id, "budget"), version, as_of
        )
        return resource(budget.view())

    @post("/lines", sync_to_thread=True, status_code=201)
    def add_line(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        budget_id: FromPath[str],
        data: JSONBody[LineIn],
    ) -> Response[dict[str, Any]]:
        budget, position, line_id = commands.add_line(
            ctx(request, principal), uuid_of(budget_id, "budget"), data
        )
        return resource(budget.view(), status=201, position=position, created_id=str(line_id))

    @patch("/lines/{line_id:str}", sync_to_thread=True)
    def update_line(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        budget_id: FromPath[str],
        line_id: FromPath[str],
        data: JSONBody[LinePatch],
    ) -> Response[dict[str, Any]]:
        budget, position = commands.update_line(
            ctx(request, principal), uuid_of(budget_id, "budget"), uuid_of(line_id, "line"), data
        )
        return resource(budget.view(), position=position)

    @post("/lines/{line_id:str}/remove", sync_to_thread=True, status_code=200)
    def remove_line(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        budget_id: FromPath[str],
        line_id: FromPath[str],
        data: JSONBody[DecisionIn],
    ) -> Response[dict[str, Any]]:
        budget, position = commands.remove_line(
            ctx(request, principal), uuid_of(budget_id, "budget"), uuid_of(line_id, "line"), data
        )
        return resource(budget.view(), position=position)

    @post("/actuals", sync_to_thread=True, status_code=201)
    def record_actual(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        budget_id: FromPath[str],
        data: JSONBody[ActualIn],
    ) -> Response[dict[str, Any]]:
        budget, position, actual_id = commands.record_actual(
            ctx(request, principal), uuid_of(budget_id, "budget"), data
        )
        return resource(budget.view(), status=201, position=position, created_id=str(actual_id))

    @post(
        "/{action:str}",
        sync_to_thread=True,
        status_code=200,
        description="`action`: submit, approve, reject, reopen, close. Only `admin` and "
        "`client` keys approve or reject.",
    )
    def act(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        budget_id: FromPath[str],
        action: FromPath[str],
        data: JSONBody[DecisionIn],
    ) -> Response[dict[str, Any]]:
        command = commands.BUDGET_ACTIONS.get(action)
        if command is None:
            raise NotFound(f"no such action: {action[:40]}")
        budget, position = command(ctx(request, principal), uuid_of(budget_id, "budget"), data)
        return resource(budget.view(), position=position)
