"""The budgets list: one row per budget with its status and running totals, and one row
per line (its amount and the actuals recorded on it) for later read models.

Totals are kept incrementally (a line's old amount is read from its row), so folding stays
O(1) per event however many lines a budget has. Sums are `numeric`: no overflow.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.budget import Budget, BudgetStatus
from infra.db import OWN_TENANT, Cursor
from projections.base import Projection

B = Budget
projection = Projection()
projection.name = "budgets"
projection.tables = ("budgets_view", "budget_lines_view")
projection.ddl = (
    """CREATE TABLE IF NOT EXISTS budgets_view (
        tenant_id uuid NOT NULL,
        client_id uuid NOT NULL,
        id uuid PRIMARY KEY,
        fiscal_year int NOT NULL,
        currency text NOT NULL,
        plan_id uuid,
        title text,
        status text NOT NULL,
        line_count int NOT NULL DEFAULT 0,
        planned_minor numeric NOT NULL DEFAULT 0,
        actual_minor numeric NOT NULL DEFAULT 0,
        version int NOT NULL,
        created_position bigint NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS budgets_view_client"
    " ON budgets_view (tenant_id, client_id, created_position)",
    """CREATE TABLE IF NOT EXISTS budget_lines_view (
        tenant_id uuid NOT NULL,
        client_id uuid NOT NULL,
        budget_id uuid NOT NULL,
        id uuid PRIMARY KEY,
        category text NOT NULL,
        quarter text NOT NULL,
        kind text NOT NULL,
        amount_minor bigint NOT NULL,
        actual_minor numeric NOT NULL DEFAULT 0,
        initiative_id uuid,
        description text,
        created_position bigint NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS budget_lines_view_budget"
    " ON budget_lines_view (budget_id, created_position)",
    "CREATE INDEX IF NOT EXISTS budget_lines_view_initiative"
    " ON budget_lines_view (initiative_id) WHERE initiative_id IS NOT NULL",
)


budgets_view = projection.buffered("budgets_view")
lines_view = projection.buffered("budget_lines_view", missing="budget line %s is not in the view")


def _touch(e: Any, **values: Any) -> None:
    budgets_view.set(
        e.originator_id, **values, version=e.originator_version, updated_at=e.timestamp
    )


def _line(e: Any, **values: Any) -> None:
    lines_view.set(e.line_id, **values)
    _touch(e)


def _amount(cur: Cursor, line_id: UUID) -> int:
    return int(lines_view.value(cur, line_id, "amount_minor"))


@projection.on(B.Created)
def created(cur: Cursor, e: B.Created, position: int) -> None:
    budgets_view.insert(
        {
            "tenant_id": e.tenant_id,
            "client_id": e.client_id,
            "id": e.originator_id,
            "fiscal_year": e.fiscal_year,
            "currency": e.currency,
            "plan_id": e.plan_id,
            "title": e.title,
            "status": BudgetStatus.DRAFT.value,
            "line_count": 0,
            "planned_minor": 0,
            "actual_minor": 0,
            "version": e.originator_version,
            "created_position": position,
            "created_at": e.timestamp,
            "updated_at": e.timestamp,
        }
    )


@projection.on(B.LineAdded)
def line_added(cur: Cursor, e: B.LineAdded, position: int) -> None:
    lines_view.insert(
        {
            "tenant_id": e.tenant_id,
            "client_id": e.client_id,
            "budget_id": e.originator_id,
            "id": e.line_id,
            "category": e.category,
            "quarter": e.quarter,
            "kind": e.kind,
            "amount_minor": e.amount_minor,
            "actual_minor": 0,
            "initiative_id": e.initiative_id,
            "description": e.description,
            "created_position": position,
        }
    )
    budgets_view.add(e.originator_id, planned_minor=e.amount_minor, line_count=1)
    _touch(e)


@projection.on(B.LineReestimated)
def line_reestimated(cur: Cursor, e: B.LineReestimated, position: int) -> None:
    delta = e.amount_minor - _amount(cur, e.line_id)
    _line(e, amount_minor=e.amount_minor)
    budgets_view.add(e.originator_id, planned_minor=delta)


@projection.on(B.LineRemoved)
def line_removed(cur: Cursor, e: B.LineRemoved, position: int) -> None:
    amount = _amount(cur, e.line_id)
    lines_view.delete(e.line_id)
    budgets_view.add(e.originator_id, planned_minor=-amount, line_count=-1)
    _touch(e)


@projection.on(B.LineRescheduled)
def line_rescheduled(cur: Cursor, e: B.LineRescheduled, position: int) -> None:
    _line(e, quarter=e.quarter)


@projection.on(B.LineRecategorized)
def line_recategorized(cur: Cursor, e: B.LineRecategorized, position: int) -> None:
    _line(e, category=e.category)


@projection.on(B.LineReclassified)
def line_reclassified(cur: Cursor, e: B.LineReclassified, position: int) -> None:
    _line(e, kind=e.kind)


@projection.on(B.LineRelinked)
def line_relinked(cur: Cursor, e: B.LineRelinked, position: int) -> None:
    _line(e, initiative_id=e.initiative_id)


@projection.on(B.LineRedescribed)
def line_redescribed(cur: Cursor, e: B.LineRedescribed, position: int) -> None:
    _line(e, description=e.description)


@projection.on(B.ActualRecorded)
def actual_recorded(cur: Cursor, e: B.ActualRecorded, position: int) -> None:
    lines_view.add(e.line_id, actual_minor=e.amount_minor)
    budgets_view.add(e.originator_id, actual_minor=e.amount_minor)
    _touch(e)


def _status(status: BudgetStatus) -> Any:
    def fold(cur: Cursor, e: Any, position: int) -> None:
        _touch(e, status=status.value)

    return fold


projection.on(B.Submitted)(_status(BudgetStatus.SUBMITTED))
projection.on(B.Approved)(_status(BudgetStatus.APPROVED))
projection.on(B.Rejected)(_status(BudgetStatus.DRAFT))
projection.on(B.Reopened)(_status(BudgetStatus.DRAFT))
projection.on(B.Closed)(_status(BudgetStatus.CLOSED))


# ---------------------------------------------------------------- queries


def view(row: dict[str, Any]) -> dict[str, Any]:
    currency = row["currency"]
    planned, actual = int(row["planned_minor"]), int(row["actual_minor"])

    def money(amount: int) -> dict[str, Any]:
        return {"amount_minor": amount, "currency": currency}

    return {
        "id": str(row["id"]),
        "client_id": str(row["client_id"]),
        "fiscal_year": row["fiscal_year"],
        "currency": currency,
        "plan_id": str(row["plan_id"]) if row["plan_id"] else None,
        "title": row["title"],
        "status": row["status"],
        "line_count": row["line_count"],
        "totals": {
            "planned": money(planned),
            "actual": money(actual),
            "variance": money(planned - actual),
        },
        "version": row["version"],
    }


def list_budgets(
    cur: Cursor, client_id: UUID, *, after: int, limit: int
) -> list[tuple[int, dict[str, Any]]]:
    cur.execute(
        f"SELECT * FROM budgets_view WHERE {OWN_TENANT} AND client_id = %s"
        " AND created_position > %s"
        " ORDER BY created_position LIMIT %s",
        (client_id, after, limit),
    )
    return [(r["created_position"], view(r)) for r in cur.fetchall()]
