"""/v1/clients/{cid}/budgets and /v1/budgets"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from domain.budget import Budget
from projections import budgets as budgets_view
from services.api.budgets_out import BudgetOut, BudgetPage
from services.api.common import answer, client_list
from services.api.history import load_at
from services.api.params import AsOf, Limit, MinPosition, PageCursor, Version
from services.api.patching import given, nullable
from services.api.responses import typed
from services.api.schemas import DecisionIn
from services.api.tactical_schemas import ActualIn, BudgetIn, LineIn, LinePatch, fiscal_year
from services.auth import READ, Principal
from services.bootstrap import Container
from services.commands import budgets as commands
from services.commands.context import Context
from services.errors import NotFound


class ClientBudgetsController(Controller):
    path = "/v1/clients/{client_id:uuid}/budgets"
    tags = ["budgets"]

    @post(
        "/",
        sync_to_thread=True,
        status_code=201,
        description="One budget per client and fiscal year that is not closed: another is 409.",
    )
    def create(
        self,
        context: NamedDependency[Context],
        client_id: FromPath[UUID],
        data: JSONBody[BudgetIn],
    ) -> Response[BudgetOut]:
        budget, position = commands.create_budget(
            context,
            commands.CreateBudget(
                client_id=client_id,
                fiscal_year=fiscal_year(data.fiscal_year),
                plan_id=data.plan_id,
                title=data.title,
                rationale=data.rationale,
            ),
        )
        return answer(BudgetOut, budget.view(), status=201, position=position)

    @get("/")
    async def list_budgets(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        client_id: FromPath[UUID],
        limit: Limit = 50,
        cursor: PageCursor = None,
        min_position: MinPosition = None,
    ) -> BudgetPage:
        items = await client_list(
            container,
            principal,
            client_id,
            budgets_view.projection.name,
            budgets_view.list_budgets,
            limit=limit,
            cursor=cursor,
            min_position=min_position,
        )
        return typed(BudgetPage, items)


class BudgetController(Controller):
    path = "/v1/budgets/{budget_id:uuid}"
    tags = ["budgets"]

    @get("/", sync_to_thread=True)
    def get_budget(
        self,
        context: NamedDependency[Context],
        budget_id: FromPath[UUID],
        version: Version = None,
        as_of: AsOf = None,
    ) -> Response[BudgetOut]:
        context.principal.require(*READ)
        budget = load_at(context, Budget, budget_id, version, as_of)
        return answer(BudgetOut, budget.view())

    @post("/lines", sync_to_thread=True, status_code=201)
    def add_line(
        self,
        context: NamedDependency[Context],
        budget_id: FromPath[UUID],
        data: JSONBody[LineIn],
    ) -> Response[BudgetOut]:
        budget, position, line_id = commands.add_line(
            context,
            commands.AddLine(
                budget_id=budget_id,
                category=data.category,
                quarter=data.quarter,
                amount_minor=data.amount_minor,
                kind=data.kind,
                initiative_id=data.initiative_id,
                description=data.description,
                rationale=data.rationale,
            ),
        )
        return answer(
            BudgetOut, budget.view(), status=201, position=position, created_id=str(line_id)
        )

    @patch("/lines/{line_id:uuid}", sync_to_thread=True)
    def update_line(
        self,
        context: NamedDependency[Context],
        budget_id: FromPath[UUID],
        line_id: FromPath[UUID],
        data: JSONBody[LinePatch],
    ) -> Response[BudgetOut]:
        budget, position = commands.update_line(
            context,
            commands.UpdateLine(
                budget_id=budget_id,
                line_id=line_id,
                rationale=data.rationale,
                category=given(data.category),
                quarter=given(data.quarter),
                amount_minor=given(data.amount_minor),
                kind=given(data.kind),
                initiative_id=nullable(data.initiative_id),
                description=nullable(data.description),
            ),
        )
        return answer(BudgetOut, budget.view(), position=position)

    @post("/lines/{line_id:uuid}/remove", sync_to_thread=True, status_code=200)
    def remove_line(
        self,
        context: NamedDependency[Context],
        budget_id: FromPath[UUID],
        line_id: FromPath[UUID],
        data: JSONBody[DecisionIn],
    ) -> Response[BudgetOut]:
        budget, position = commands.remove_line(context, budget_id, line_id, data.rationale)
        return answer(BudgetOut, budget.view(), position=position)

    @post("/actuals", sync_to_thread=True, status_code=201)
    def record_actual(
        self,
        context: NamedDependency[Context],
        budget_id: FromPath[UUID],
        data: JSONBody[ActualIn],
    ) -> Response[BudgetOut]:
        budget, position, actual_id = commands.record_actual(
            context,
            commands.RecordActual(
                budget_id=budget_id,
                line_id=data.line_id,
                amount_minor=data.amount_minor,
                note=data.note,
                rationale=data.rationale,
            ),
        )
        return answer(
            BudgetOut, budget.view(), status=201, position=position, created_id=str(actual_id)
        )

    @post(
        "/{action:str}",
        sync_to_thread=True,
        status_code=200,
        description="`action`: submit, approve, reject, reopen, close. Only `admin` and "
        "`client` keys approve or reject.",
    )
    def act(
        self,
        context: NamedDependency[Context],
        budget_id: FromPath[UUID],
        action: FromPath[str],
        data: JSONBody[DecisionIn],
    ) -> Response[BudgetOut]:
        command = commands.BUDGET_ACTIONS.get(action)
        if command is None:
            raise NotFound(f"no such action: {action[:40]}")
        budget, position = command(context, budget_id, data.rationale)
        return answer(BudgetOut, budget.view(), position=position)
