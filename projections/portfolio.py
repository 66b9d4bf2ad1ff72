"""The portfolio: one row per client across the MSP, as a vCIO's dashboard shows it.

A view: it queries the clients', strategies', plans', budgets' and assessments' tables, folded
once by their projections.

What depends on the day (the budget of the fiscal year containing today, next quarter's
initiatives) is picked at query time from what the folds keep.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.calendar import FiscalQuarter, FiscalYear
from domain.plan import InitiativeStatus
from infra.db import OWN_TENANT, Cursor
from projections import assessments, budgets, clients, plans, strategies
from projections.base import View

projection = View(
    "portfolio",
    reads=(
        clients.projection,
        strategies.projection,
        plans.projection,
        budgets.projection,
        assessments.projection,
    ),
)


# ---------------------------------------------------------------- queries

# One statement a page: the page's clients, and per client its active strategy, initiatives by
# status, unaligned initiatives (serving no active goal of its active strategy), the budget of
# the fiscal year containing today (the one not closed, else the last closed) and next
# quarter's initiatives, and the overall score of its latest completed assessment
# (`health_score`). What depends on the day comes in as two 12-element arrays indexed by
# the client's fiscal-year start month (`calendar`).
PAGE = (
    """
WITH page AS (
    SELECT id, name, fiscal_year_start_month, created_position FROM clients_view
    WHERE {own} AND created_position > %(after)s
      AND (%(ids)s::uuid[] IS NULL OR id = ANY(%(ids)s::uuid[]))
    ORDER BY created_position LIMIT %(limit)s)
SELECT c.id, c.name, c.created_position, {counts}, work.unaligned, work.upcoming,
    (SELECT json_build_object('id', s.id, 'title', s.title) FROM strategies_view s
     WHERE s.client_id = c.id AND s.status = 'active'
     ORDER BY s.created_position DESC LIMIT 1) AS active_strategy,
    (SELECT json_build_object('id', b.id, 'fiscal_year', b.fiscal_year, 'status', b.status,
       'planned', b.planned_minor, 'actual', b.actual_minor,
       'currency', b.currency)
     FROM budgets_view b WHERE b.{own} AND b.client_id = c.id
       AND b.fiscal_year = (%(years)s::int[])[c.fiscal_year_start_month]
     ORDER BY b.status = 'closed', b.created_position DESC LIMIT 1) AS budget,
    (%(quarters)s::text[])[c.fiscal_year_start_month] AS next_quarter,
    (SELECT (a.score->>'overall')::int FROM assessments_view a
     WHERE a.client_id = c.id AND a.status = 'completed'
     ORDER BY a.completed_position DESC LIMIT 1) AS health_score
FROM page c CROSS JOIN LATERAL (
    SELECT coalesce(array_agg(g.id), '{}') AS ids FROM strategies_view s
    JOIN strategy_goals_view g ON g.strategy_id = s.id AND g.status = 'active'
    WHERE s.client_id = c.id AND s.status = 'active') goals
CROSS JOIN LATERAL (
    -- the initiatives of the client read once: counted by status, the unaligned counted, and
    -- next quarter's shown
    SELECT {filtered},
        count(*) FILTER (WHERE i.status <> 'cancelled' AND NOT i.goal_ids && goals.ids)
            AS unaligned,
        json_agg(json_build_object('id', i.id, 'plan_id', i.plan_id, 'title', i.title,
          'description', i.description, 'category', i.category, 'goal_ids', i.goal_ids,
          'target_quarter', i.target_quarter, 'one_time_cost', i.one_time_cost,
          'recurring_cost', i.recurring_cost, 'priority', i.priority, 'status', i.status,
          'source', i.source) ORDER BY i.created_position)
          FILTER (WHERE i.status <> 'cancelled'
            AND i.target_quarter = (%(quarters)s::text[])[c.fiscal_year_start_month])
          AS upcoming
    FROM plan_initiatives_view i WHERE i.client_id = c.id) work
ORDER BY c.created_position
""".replace("{own}", OWN_TENANT)
    .replace("{counts}", ", ".join(f"work.{s.value}" for s in InitiativeStatus))
    .replace(
        "{filtered}",
        ", ".join(
            f"count(*) FILTER (WHERE i.status = '{s.value}') AS {s.value}" for s in InitiativeStatus
        ),
    )
)


def calendar(today: date) -> dict[str, list[Any]]:
    """The fiscal year and the next quarter as of `today`, for each fiscal-year start month."""
    months = range(1, 13)
    return {
        "years": [FiscalYear.containing(today, m).year for m in months],
        "quarters": [str(FiscalQuarter.containing(today, m).next()) for m in months],
    }


def list_portfolio(
    cur: Cursor,
    *,
    client_ids: frozenset[UUID] | None,
    after: int,
    limit: int,
    today: date,
) -> list[tuple[int, dict[str, Any]]]:
    ids = None if client_ids is None else list(client_ids)
    cur.execute(PAGE, {"after": after, "ids": ids, "limit": limit, **calendar(today)})
    return [(row["created_position"], _item(row)) for row in cur.fetchall()]


def _item(row: dict[str, Any]) -> dict[str, Any]:
    budget = row["budget"]
    if budget is not None:
        currency = budget.pop("currency")
        for field in ("planned", "actual"):
            budget[field] = {"amount_minor": int(budget[field]), "currency": currency}
    return {
        "client_id": str(row["id"]),
        "name": row["name"],
        "active_strategy": row["active_strategy"],
        "initiatives_by_status": {s.value: row[s.value] for s in InitiativeStatus},
        "current_budget": budget,
        "unaligned_initiatives": row["unaligned"],
        "next_quarter": row["next_quarter"],
        "next_quarter_initiatives": row["upcoming"] or [],
        "health_score": row["health_score"],
    }


# ---------------------------------------------------------------- sorted pages (the portal)

ORDERS = {
    "name": ("lower(name)", "ASC"),
    "-name": ("lower(name)", "DESC"),
    "added": ("created_position", "ASC"),
    "-added": ("created_position", "DESC"),
}


def sorted_page(
    cur: Cursor,
    *,
    client_ids: frozenset[UUID] | None,
    order: str,
    after: list[Any] | None,
    limit: int,
) -> list[tuple[list[Any], UUID]]:
    """A page of client ids in `order` (a key of ORDERS), after the (sort key, id) `after`;
    `list_portfolio` then builds their rows. Keyset paging: any page costs the same."""
    expression, direction = ORDERS[order]
    compare = ">" if direction == "ASC" else "<"
    ids = None if client_ids is None else list(client_ids)
    keyset = ""
    values: list[Any] = [ids, ids]
    if after is not None:
        keyset = f" AND ({expression}, id) {compare} (%s, %s::uuid)"
        values += after
    cur.execute(
        f"SELECT {expression} AS sort_key, id FROM clients_view"
        f" WHERE {OWN_TENANT} AND (%s::uuid[] IS NULL OR id = ANY(%s::uuid[]))"
        f"{keyset} ORDER BY {expression} {direction}, id {direction} LIMIT %s",
        (*values, limit),
    )
    return [([r["sort_key"], str(r["id"])], r["id"]) for r in cur.fetchall()]


def names(cur: Cursor, client_id: UUID) -> dict[str, str]:
    """Titles of a client's initiatives and goals by id, to name the ids in change paths."""
    cur.execute(
        "SELECT id, title FROM plan_initiatives_view WHERE client_id = %s"
        " UNION ALL SELECT g.id, g.title FROM strategy_goals_view g"
        " JOIN strategies_view s ON s.id = g.strategy_id WHERE s.client_id = %s",
        (client_id, client_id),
    )
    return {str(r["id"]): r["title"] for r in cur.fetchall()}
