"""The roadmap: a client's initiatives (all its plans, cancelled ones left out) by fiscal
quarter, with what each quarter costs once and adds per year.

A view: it queries the clients' and the plans' tables, folded once by their projections.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.calendar import FiscalQuarter
from domain.plan import Period, annual_run_rate
from domain.shared import Money
from infra.db import Cursor
from projections import clients, plans
from projections.base import View

projection = View("roadmap", reads=(clients.projection, plans.projection))


def client_calendar(cur: Cursor, client_id: UUID) -> dict[str, Any] | None:
    cur.execute(
        "SELECT id, fiscal_year_start_month, currency FROM clients_view WHERE id = %s",
        (client_id,),
    )
    return cur.fetchone()


def roadmap(
    cur: Cursor, client: dict[str, Any], first: FiscalQuarter, last: FiscalQuarter
) -> dict[str, Any]:
    """Every quarter from `first` to `last`, empty ones too, and the unscheduled initiatives."""
    cur.execute(
        "SELECT id, plan_id, title, description, category, goal_ids, target_quarter,"
        " one_time_cost, recurring_cost, priority, status, source"
        " FROM plan_initiatives_view WHERE client_id = %s AND status <> 'cancelled'"
        " AND (target_quarter IS NULL OR target_quarter BETWEEN %s AND %s)"
        " ORDER BY created_position",
        (client["id"], str(first), str(last)),
    )
    by_quarter: dict[str, list[dict[str, Any]]] = {}
    unscheduled = []
    for row in cur.fetchall():
        item = plans.initiative_view(row)
        if row["target_quarter"] is None:
            unscheduled.append(item)
        else:
            by_quarter.setdefault(row["target_quarter"], []).append(item)
    month, currency = client["fiscal_year_start_month"], client["currency"]
    quarters = []
    for quarter in FiscalQuarter.range(first, last):
        items = by_quarter.get(str(quarter), [])
        one_time, recurring = totals(items, currency)
        quarters.append(
            {
                "quarter": str(quarter),
                "starts_on": quarter.starts_on(month).isoformat(),
                "ends_on": quarter.ends_on(month).isoformat(),
                "initiatives": items,
                "one_time_total": one_time,
                "recurring_annual_total": recurring,
            }
        )
    return {"quarters": quarters, "unscheduled": unscheduled}


_PER_YEAR = {period.value: period.per_year for period in Period}


def totals(items: list[dict[str, Any]], currency: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the initiatives cost once and add per year, in the client's currency.

    The read model holds costs the domain checked when they were decided, so they are summed
    as integers (constructing and checking a Money per cost and per sum was most of a
    roadmap's time); anything else (another currency, a shape the sum does not expect) goes
    the domain's way, which names what is wrong."""
    one_time = recurring = 0
    try:
        for item in items:
            cost, run = item["one_time_cost"], item["recurring_cost"]
            if cost is not None:
                if cost["currency"] != currency or type(cost["amount_minor"]) is not int:
                    raise TypeError
                one_time += cost["amount_minor"]
            if run is not None:
                quantity = run.get("quantity", 1)
                if (
                    run["currency"] != currency
                    or type(run["amount_minor"]) is not int
                    or type(quantity) is not int
                ):
                    raise TypeError
                recurring += run["amount_minor"] * quantity * _PER_YEAR[run["per"]]
    except (KeyError, TypeError):
        return _checked_totals(items, currency)
    return (
        {"amount_minor": one_time, "currency": currency},
        {"amount_minor": recurring, "currency": currency},
    )


def _checked_totals(
    items: list[dict[str, Any]], currency: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    one_time = Money.total(
        (
            Money.from_dict(i["one_time_cost"], field="one_time_cost")
            for i in items
            if i["one_time_cost"] is not None
        ),
        currency,
    )
    recurring = Money.total(
        (annual_run_rate(i["recurring_cost"], currency) for i in items), currency
    )
    return one_time.as_dict(), recurring.as_dict()
