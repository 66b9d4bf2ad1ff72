"""The portfolio: one row per client across the MSP, as a vCIO's dashboard shows it.

A view: it queries the clients', strategies', plans' and budgets' tables, folded once by
their projections.

What depends on the day (the budget of the fiscal year containing today, next quarter's
initiatives) is picked at query time from what the folds keep.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.calendar import FiscalQuarter, FiscalYear
from domain.plan import InitiativeStatus
from infra.db import Cursor
from projections import budgets, clients, plans, strategies
from projections.base import View

projection = View(
    "portfolio",
    reads=(clients.projection, strategies.projection, plans.projection, budgets.projection),
)


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
        "SELECT * FROM clients_view WHERE created_position > %s"
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
                        s.value: counts.get((cid, s.value), 0) for s in InitiativeStatus
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
        "SELECT DISTINCT ON (client_id) client_id, id, title FROM strategies_view"
        " WHERE client_id = ANY(%s) AND status = 'active'"
        " ORDER BY client_id, created_position DESC",
        (client_ids,),
    )
    return {r["client_id"]: {"id": str(r["id"]), "title": r["title"]} for r in cur.fetchall()}


def _status_counts(cur: Cursor, client_ids: list[UUID]) -> dict[tuple[UUID, str], int]:
    cur.execute(
        "SELECT client_id, status, count(*) AS n FROM plan_initiatives_view"
        " WHERE client_id = ANY(%s) GROUP BY client_id, status",
        (client_ids,),
    )
    return {(r["client_id"], r["status"]): r["n"] for r in cur.fetchall()}


def _unaligned_counts(cur: Cursor, client_ids: list[UUID]) -> dict[UUID, int]:
    cur.execute(
        "SELECT i.client_id, count(*) AS n FROM plan_initiatives_view i"
        " WHERE i.client_id = ANY(%s) AND i.status <> 'cancelled' AND NOT EXISTS"
        " (SELECT 1 FROM strategy_goals_view g JOIN strategies_view s ON s.id = g.strategy_id"
        " WHERE g.id = ANY(i.goal_ids) AND g.status = 'active' AND s.status = 'active')"
        " GROUP BY i.client_id",
        (client_ids,),
    )
    return {r["client_id"]: r["n"] for r in cur.fetchall()}


def _current_budgets(cur: Cursor, years: dict[UUID, int]) -> dict[UUID, dict[str, Any]]:
    """Each client's budget for the given fiscal year: the one not closed, else the last one
    closed."""
    cur.execute(
        "SELECT DISTINCT ON (b.client_id) b.* FROM budgets_view b"
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
            # numeric in the budgets' table (sums never overflow): whole minor units
            "planned": {"amount_minor": int(row["planned_minor"]), "currency": currency},
            "actual": {"amount_minor": int(row["actual_minor"]), "currency": currency},
        }
    return found


def _initiatives_in(cur: Cursor, quarters: dict[UUID, str]) -> dict[UUID, list[dict[str, Any]]]:
    """Each client's initiatives (cancelled ones left out) in the given quarter."""
    cur.execute(
        "SELECT i.* FROM plan_initiatives_view i"
        " JOIN unnest(%s::uuid[], %s::text[]) AS q (client_id, quarter)"
        " ON i.client_id = q.client_id AND i.target_quarter = q.quarter"
        " WHERE i.status <> 'cancelled' ORDER BY i.created_position",
        (list(quarters), list(quarters.values())),
    )
    found: dict[UUID, list[dict[str, Any]]] = {}
    for row in cur.fetchall():
        found.setdefault(row["client_id"], []).append(plans.initiative_view(row))
    return found
