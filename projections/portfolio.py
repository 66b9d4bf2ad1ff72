"""The portfolio: one row per client across the MSP, as a vCIO's dashboard shows it.

What depends on the day (the budget of the fiscal year containing today, next quarter's
initiatives) is picked at query time from what the folds keep.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from domain.budget import Budget
from domain.calendar import FiscalQuarter, FiscalYear
from infra.db import Cursor
from projections import shared
from projections.base import Projection

B = Budget

projection = Projection()
projection.name = "portfolio"
projection.tables = (
    "portfolio_clients",
    "portfolio_strategies",
    "portfolio_goals",
    "portfolio_initiatives",
    "portfolio_budgets",
    "portfolio_budget_lines",
)
projection.ddl = (
    *shared.clients_ddl("portfolio_clients"),
    *shared.goals_ddl("portfolio_strategies", "portfolio_goals"),
    *shared.initiatives_ddl("portfolio_initiatives"),
    """CREATE TABLE IF NOT EXISTS portfolio_budgets (
        tenant_id uuid NOT NULL,
        client_id uuid NOT NULL,
        id uuid PRIMARY KEY,
        fiscal_year int NOT NULL,
        currency text NOT NULL,
        status text NOT NULL,
        planned_minor bigint NOT NULL DEFAULT 0,
        actual_minor bigint NOT NULL DEFAULT 0,
        created_position bigint NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS portfolio_budgets_client"
    " ON portfolio_budgets (client_id, fiscal_year)",
    """CREATE TABLE IF NOT EXISTS portfolio_budget_lines (
        tenant_id uuid NOT NULL,
        budget_id uuid NOT NULL,
        id uuid PRIMARY KEY,
        amount_minor bigint NOT NULL)""",
)
shared.track_clients(projection, "portfolio_clients")
shared.track_goals(projection, "portfolio_strategies", "portfolio_goals")
shared.track_initiatives(projection, "portfolio_initiatives")


@projection.on(B.Created)
def budget_created(cur: Cursor, e: B.Created, position: int) -> None:
    cur.execute(
        "INSERT INTO portfolio_budgets (tenant_id, client_id, id, fiscal_year, currency, status,"
        " created_position) VALUES (%s, %s, %s, %s, %s, 'draft', %s)",
        (e.tenant_id, e.client_id, e.originator_id, e.fiscal_year, e.currency, position),
    )


def _planned(cur: Cursor, budget_id: UUID, delta_sql: str, values: Sequence[Any]) -> None:
    cur.execute(
        f"UPDATE portfolio_budgets SET planned_minor = planned_minor + ({delta_sql}) WHERE id = %s",
        (*values, budget_id),
    )


@projection.on(B.LineAdded)
def line_added(cur: Cursor, e: B.LineAdded, position: int) -> None:
    cur.execute(
        "INSERT INTO portfolio_budget_lines (tenant_id, budget_id, id, amount_minor)"
        " VALUES (%s, %s, %s, %s)",
        (e.tenant_id, e.originator_id, e.line_id, e.amount_minor),
    )
    _planned(cur, e.originator_id, "%s", (e.amount_minor,))


@projection.on(B.LineReestimated)
def line_reestimated(cur: Cursor, e: B.LineReestimated, position: int) -> None:
    _planned(
        cur,
        e.originator_id,
        "%s - (SELECT amount_minor FROM portfolio_budget_lines WHERE id = %s)",
        (e.amount_minor, e.line_id),
    )
    cur.execute(
        "UPDATE portfolio_budget_lines SET amount_minor = %s WHERE id = %s",
        (e.amount_minor, e.line_id),
    )


@projection.on(B.LineRemoved)
def line_removed(cur: Cursor, e: B.LineRemoved, position: int) -> None:
    _planned(
        cur,
        e.originator_id,
        "- (SELECT amount_minor FROM portfolio_budget_lines WHERE id = %s)",
        (e.line_id,),
    )
    cur.execute("DELETE FROM portfolio_budget_lines WHERE id = %s", (e.line_id,))


@projection.on(B.ActualRecorded)
def actual_recorded(cur: Cursor, e: B.ActualRecorded, position: int) -> None:
    cur.execute(
        "UPDATE portfolio_budgets SET actual_minor = actual_minor + %s WHERE id = %s",
        (e.amount_minor, e.originator_id),
    )


def _budget_status(value: str) -> Any:
    def fold(cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "UPDATE portfolio_budgets SET status = %s WHERE id = %s", (value, e.originator_id)
        )

    return fold


for _event, _status in (
    (B.Submitted, "submitted"),
    (B.Approved, "approved"),
    (B.Rejected, "draft"),
    (B.Reopened, "draft"),
    (B.Closed, "closed"),
):
    shared.add_fold(projection, _event, _budget_status(_status))


# ---------------------------------------------------------------- queries


def list_portfolio(
    cur: Cursor,
    *,
    client_ids: frozenset[UUID] | None,
    after: int,
    limit: int,
    today: date,
) -> list[tuple[int, dict[str, Any]]]:
    ids = None if client_ids is None else list(client_ids)
    cur.execute(
        "SELECT * FROM portfolio_clients WHERE created_position > %s"
        " AND (%s::uuid[] IS NULL OR id = ANY(%s::uuid[]))"
        " ORDER BY created_position LIMIT %s",
        (after, ids, ids, limit),
    )
    clients = cur.fetchall()
    page = [c["id"] for c in clients]
    years = {
        c["id"]: FiscalYear.containing(today, c["fiscal_year_start_month"]).year for c in clients
    }
    quarters = {
        c["id"]: str(FiscalQuarter.containing(today, c["fiscal_year_start_month"]).next())
        for c in clients
    }
    strategies = _active_strategies(cur, page)
    counts = _status_counts(cur, page)
    unaligned = _unaligned_counts(cur, page)
    budgets = _current_budgets(cur, years)
    upcoming = _initiatives_in(cur, quarters)
    items = []
    for client in clients:
        cid = client["id"]
        items.append(
            (
                client["created_position"],
                {
                    "client_id": str(cid),
                    "name": client["name"],
                    "active_strategy": strategies.get(cid),
                    "initiatives_by_status": {
                        s: counts.get((cid, s), 0) for s in shared.INITIATIVE_STATUSES
                    },
                    "current_budget": budgets.get(cid),
                    "unaligned_initiatives": unaligned.get(cid, 0),
                    "next_quarter": quarters[cid],
                    "next_quarter_initiatives": upcoming.get(cid, []),
                },
            )
        )
    return items


def _active_strategies(cur: Cursor, client_ids: list[UUID]) -> dict[UUID, dict[str, str]]:
    cur.execute(
        "SELECT DISTINCT ON (client_id) client_id, id, title FROM portfolio_strategies"
        " WHERE client_id = ANY(%s) AND status = 'active'"
        " ORDER BY client_id, created_position DESC",
        (client_ids,),
    )
    return {r["client_id"]: {"id": str(r["id"]), "title": r["title"]} for r in cur.fetchall()}


def _status_counts(cur: Cursor, client_ids: list[UUID]) -> dict[tuple[UUID, str], int]:
    cur.execute(
        "SELECT client_id, status, count(*) AS n FROM portfolio_initiatives"
        " WHERE client_id = ANY(%s) GROUP BY client_id, status",
        (client_ids,),
    )
    return {(r["client_id"], r["status"]): r["n"] for r in cur.fetchall()}


def _unaligned_counts(cur: Cursor, client_ids: list[UUID]) -> dict[UUID, int]:
    aligned = shared.aligned_sql("portfolio_goals", "portfolio_strategies")
    cur.execute(
        "SELECT i.client_id, count(*) AS n FROM portfolio_initiatives i"
        f" WHERE i.client_id = ANY(%s) AND i.status <> 'cancelled' AND NOT {aligned}"
        " GROUP BY i.client_id",
        (client_ids,),
    )
    return {r["client_id"]: r["n"] for r in cur.fetchall()}


def _current_budgets(cur: Cursor, years: dict[UUID, int]) -> dict[UUID, dict[str, Any]]:
    """Each client's budget for the given fiscal year: the one not closed, else the last one
    closed."""
    cur.execute(
        "SELECT DISTINCT ON (b.client_id) b.* FROM portfolio_budgets b"
        " JOIN unnest(%s::uuid[], %s::int[]) AS y (client_id, fiscal_year)"
        " ON b.client_id = y.client_id AND b.fiscal_year = y.fiscal_year"
        " ORDER BY b.client_id, b.status = 'closed', b.created_position DESC",
        (list(years), list(years.values())),
    )
    found = {}
    for row in cur.fetchall():
        currency = row["currency"]
        found[row["client_id"]] = {
            "id": str(row["id"]),
            "fiscal_year": row["fiscal_year"],
            "status": row["status"],
            "planned": {"amount_minor": row["planned_minor"], "currency": currency},
            "actual": {"amount_minor": row["actual_minor"], "currency": currency},
        }
    return found


def _initiatives_in(cur: Cursor, quarters: dict[UUID, str]) -> dict[UUID, list[dict[str, Any]]]:
    """Each client's initiatives (cancelled ones left out) in the given quarter."""
    cur.execute(
        "SELECT i.* FROM portfolio_initiatives i"
        " JOIN unnest(%s::uuid[], %s::text[]) AS q (client_id, quarter)"
        " ON i.client_id = q.client_id AND i.target_quarter = q.quarter"
        " WHERE i.status <> 'cancelled' ORDER BY i.created_position",
        (list(quarters), list(quarters.values())),
    )
    found: dict[UUID, list[dict[str, Any]]] = {}
    for row in cur.fetchall():
        found.setdefault(row["client_id"], []).append(shared.initiative_view(row))
    return found
