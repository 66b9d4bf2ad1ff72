"""The portal's actions (POST forms), each one use case of services/commands, called with a
Context exactly as the API calls it: the same roles, rules, limits and events.

A form is decoded into the API's own request Struct, so text and range rules cannot differ.
When the use case refuses, the client page is rendered again with the problem's detail next
to the field it names and every value as it was typed (status as the API would answer);
when it succeeds, the browser is sent back (303) to the page, which waits for the read side
to reach the command's position before it shows the result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Response, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath

from domain.budget import Budget
from domain.shared import DomainError
from services.api.schemas import DecisionIn, ReviewComplete
from services.api.tactical_schemas import ActualIn, InitiativeActionIn, LineIn, quarter
from services.auth import ADMIN
from services.commands import budgets as budget_commands
from services.commands import plans as plan_commands
from services.commands import reviews as review_commands
from services.errors import NotFound, ServiceError
from services.portal.pages import client_page
from services.portal.web import (
    Form,
    FormError,
    Page,
    back_to,
    decoded,
    failure,
    minor_units,
    optional,
    posted,
    uuid_or_404,
)
from services.webhooks import subscriptions as webhooks

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AMOUNT = {"amount_minor": "amount"}  # the API's field -> the form's input


def _act(
    page: Page,
    values: dict[str, str],
    form_name: str,
    run: Callable[[], int],
    renames: dict[str, str] | None = None,
) -> Response[Any]:
    """Run one use case for a form of a client page; back to the page, or the page again
    with the problem next to its field."""
    client_id = values.get("client_id", "")
    budget = values.get("budget") or None
    try:
        position = run()
    except (FormError, ServiceError, DomainError) as exc:
        if isinstance(exc, NotFound):
            raise
        errors, status = failure(exc, renames)
        form = Form(name=form_name, values=values, errors=errors, status=status)
        response = client_page(page, client_id, budget=budget, form=form)
        # htmx would otherwise put the form's action (a POST-only path) in the address bar
        # (both ids were checked as UUIDs by client_page)
        response.headers["HX-Push-Url"] = f"/portal/clients/{UUID(client_id)}" + (
            f"?budget={UUID(budget)}" if budget else ""
        )
        return response
    query = {"fresh": str(position), **({"budget": budget} if budget else {})}
    anchor = values.get("anchor", "")
    return back_to(f"/portal/clients/{client_id}?{urlencode(query)}{anchor}")


# ---------------------------------------------------------------- initiatives


@post(
    "/plans/{plan_id:str}/initiatives/{initiative_id:str}/reschedule",
    sync_to_thread=True,
    name="portal:reschedule",
)
def reschedule(
    page: NamedDependency[Page],
    plan_id: FromPath[str],
    initiative_id: FromPath[str],
    data: FormData,
) -> Response[Any]:
    values = posted(data, page)

    def run() -> int:
        given = decoded(
            InitiativeActionIn,
            {
                "rationale": values.get("rationale", ""),
                "target_quarter": optional(values.get("target_quarter")),
            },
        )
        _, position = plan_commands.update_initiative(
            page.context(),
            plan_commands.UpdateInitiative(
                plan_id=uuid_or_404(plan_id, "plan"),
                initiative_id=uuid_or_404(initiative_id, "initiative"),
                rationale=given.rationale,
                target_quarter=quarter(given.target_quarter),
            ),
        )
        return position

    return _act(page, values, f"reschedule:{initiative_id}", run)


@post(
    "/plans/{plan_id:str}/initiatives/{initiative_id:str}/{action:str}",
    sync_to_thread=True,
    name="portal:initiative-action",
)
def initiative_action(
    page: NamedDependency[Page],
    plan_id: FromPath[str],
    initiative_id: FromPath[str],
    action: FromPath[str],
    data: FormData,
) -> Response[Any]:
    """approve or defer (what a client contact may do), and the other status moves."""
    values = posted(data, page)
    command = plan_commands.INITIATIVE_ACTIONS.get(action)
    if command is None:
        raise NotFound(f"no such action: {action[:40]}")

    def run() -> int:
        given = decoded(
            InitiativeActionIn,
            {
                "rationale": values.get("rationale", ""),
                "target_quarter": optional(values.get("target_quarter")),
            },
        )
        _, position = command(
            page.context(),
            plan_commands.MoveInitiative(
                plan_id=uuid_or_404(plan_id, "plan"),
                initiative_id=uuid_or_404(initiative_id, "initiative"),
                rationale=given.rationale,
                target_quarter=quarter(given.target_quarter),
            ),
        )
        return position

    return _act(page, values, f"{action}:{initiative_id}", run)


# ---------------------------------------------------------------- budgets


def _currency(page: Page, budget_id: UUID) -> str:
    return page.container.store.load(Budget, budget_id, page.principal).currency


@post("/budgets/{budget_id:str}/lines", sync_to_thread=True, name="portal:add-line")
def add_line(
    page: NamedDependency[Page], budget_id: FromPath[str], data: FormData
) -> Response[Any]:
    values = posted(data, page)
    bid = uuid_or_404(budget_id, "budget")

    def run() -> int:
        page.principal.require(*budget_commands.add_line.roles)  # type: ignore[attr-defined]
        amount = minor_units(values.get("amount", ""), _currency(page, bid))
        given = decoded(
            LineIn,
            {
                "category": values.get("category", ""),
                "quarter": values.get("quarter", ""),
                "amount_minor": amount,
                "kind": values.get("kind", ""),
                "initiative_id": optional(values.get("initiative_id")),
                "description": optional(values.get("description")),
                "rationale": optional(values.get("rationale")),
            },
            AMOUNT,
        )
        _, position, _ = budget_commands.add_line(
            page.context(),
            budget_commands.AddLine(
                budget_id=bid,
                category=given.category,
                quarter=given.quarter,
                amount_minor=given.amount_minor,
                kind=given.kind,
                initiative_id=given.initiative_id,
                description=given.description,
                rationale=given.rationale,
            ),
        )
        return position

    return _act(page, values, "add-line", run, AMOUNT)


@post("/budgets/{budget_id:str}/actuals", sync_to_thread=True, name="portal:record-actual")
def record_actual(
    page: NamedDependency[Page], budget_id: FromPath[str], data: FormData
) -> Response[Any]:
    values = posted(data, page)
    bid = uuid_or_404(budget_id, "budget")

    def run() -> int:
        page.principal.require(*budget_commands.record_actual.roles)  # type: ignore[attr-defined]
        amount = minor_units(values.get("amount", ""), _currency(page, bid))
        given = decoded(
            ActualIn,
            {
                "line_id": values.get("line_id", ""),
                "amount_minor": amount,
                "note": optional(values.get("note")),
                "rationale": optional(values.get("rationale")),
            },
            AMOUNT,
        )
        _, position, _ = budget_commands.record_actual(
            page.context(),
            budget_commands.RecordActual(
                budget_id=bid,
                line_id=given.line_id,
                amount_minor=given.amount_minor,
                note=given.note,
                rationale=given.rationale,
            ),
        )
        return position

    return _act(page, values, "record-actual", run, AMOUNT)


@post("/budgets/{budget_id:str}/{action:str}", sync_to_thread=True, name="portal:budget-action")
def budget_action(
    page: NamedDependency[Page], budget_id: FromPath[str], action: FromPath[str], data: FormData
) -> Response[Any]:
    """submit, approve (an admin's or a client contact's), reject, reopen, close."""
    values = posted(data, page)
    command = budget_commands.BUDGET_ACTIONS.get(action)
    if command is None:
        raise NotFound(f"no such action: {action[:40]}")

    def run() -> int:
        given = decoded(DecisionIn, {"rationale": values.get("rationale", "")})
        _, position = command(page.context(), uuid_or_404(budget_id, "budget"), given.rationale)
        return position

    return _act(page, values, f"budget-{action}", run)


# ---------------------------------------------------------------- reviews


@post("/reviews/{review_id:str}/complete", sync_to_thread=True, name="portal:complete-review")
def complete_review(
    page: NamedDependency[Page], review_id: FromPath[str], data: FormData
) -> Response[Any]:
    values = posted(data, page)

    def run() -> int:
        given = decoded(
            ReviewComplete,
            {
                "summary": optional(values.get("summary")),
                "rationale": optional(values.get("rationale")),
            },
        )
        _, position = review_commands.complete_review(
            page.context(), uuid_or_404(review_id, "review"), given.summary, given.rationale
        )
        return position

    return _act(page, values, f"complete:{review_id}", run)


# ---------------------------------------------------------------- webhooks


@post(
    "/webhooks/{webhook_id:str}/deliveries/{delivery_id:str}/retry",
    sync_to_thread=True,
    name="portal:retry-delivery",
)
def retry_delivery(
    page: NamedDependency[Page],
    webhook_id: FromPath[str],
    delivery_id: FromPath[str],
    data: FormData,
) -> Response[Any]:
    posted(data, page)
    page.principal.require(*ADMIN)
    with page.container.db.tenant_tx(page.principal.tenant_id) as cur:
        webhooks.retry(
            cur, uuid_or_404(webhook_id, "webhook"), uuid_or_404(delivery_id, "delivery")
        )
    return back_to(f"/portal/webhooks?retried={delivery_id}#webhook-{webhook_id}")
