"""The roadmap: a client's initiatives (all its plans, cancelled ones left out) by fiscal
quarter, with what each quarter costs once and adds per year.

A view: it queries the clients' and the plans' tables, folded once by their projections.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.calendar import FiscalQuarter
from domain.plan import annual_run_rate
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
        "SELECT * FROM plan_initiatives_view WHERE client_id = %s AND status <> 'cancelled'"
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
        quarters.append(
            {
                "quarter": str(quarter),
                "starts_on": quarter.starts_on(month).isoformat(),
                "ends_on": quarter.ends_on(month).isoformat(),
                "initiatives": items,
                "one_time_total": one_time.as_dict(),
                "recurring_annual_total": recurring.as_dict(),
            }
        )
    return {"quarters": quarters, "unscheduled": unscheduled}
