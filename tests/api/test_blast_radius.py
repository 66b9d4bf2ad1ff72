"""One tenant's poison never stops another's read side, and no sum of money overflows."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from projections import budgets
from tests.api.conftest import Api
from tests.api.readside_helpers import fresh
from tests.api.tactical import budget, eur, initiative, line, setup
from tests.conftest import OPERATOR_TOKEN


def parked(container: Any, name: str) -> dict[str, Any]:
    return dict({s["name"]: s for s in container.runner.status()}[name]["parked"])


def metric(api: Api, name: str, projection: str) -> float:
    r = api.http.get("/metrics", headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"})
    assert r.status_code == 200, r.text
    prefix = f'{name}{{projection="{projection}"}} '
    return float(next(x for x in r.text.splitlines() if x.startswith(prefix))[len(prefix) :])


def test_a_poison_event_holds_back_only_its_aggregate(
    api: Api, other: Api, container: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    poisoned: set[UUID] = set()
    real = budgets.projection.folds["budget.line_added"]

    def fold(cur: Any, e: Any, position: int) -> None:
        if e.originator_id in poisoned:
            raise ValueError("this line cannot be folded")
        real(cur, e, position)

    monkeypatch.setitem(budgets.projection.folds, "budget.line_added", fold)
    mine = api.client(currency="EUR")
    sick = budget(api, mine["id"])
    well = budget(api, mine["id"], fiscal_year=2028)
    poisoned.add(UUID(sick["id"]))
    first = line(api, sick["id"], 1_000)
    r = api.patch(
        f"/v1/budgets/{sick['id']}/lines/{first}", {"amount_minor": 5_000, "rationale": "quote"}
    )
    assert r.status_code == 200, r.text
    r = api.post(f"/v1/budgets/{sick['id']}/submit", {"rationale": "ready"})
    assert r.status_code == 200, r.text
    line(api, well["id"], 700)

    theirs = other.client(currency="EUR")
    their_budget = budget(other, theirs["id"])
    line(other, their_budget["id"], 300)
    r = other.post(f"/v1/budgets/{their_budget['id']}/submit", {"rationale": "go"})
    assert r.status_code == 200, r.text

    # the other tenant's reads are fresh, and so are this tenant's other budgets
    seen = fresh(other, f"/v1/clients/{theirs['id']}/budgets", r.json()["position"])["items"]
    assert [(b["status"], b["totals"]["planned"]) for b in seen] == [("submitted", eur(300))]
    mine_now = fresh(api, f"/v1/clients/{mine['id']}/budgets", r.json()["position"])["items"]
    by_id = {b["id"]: b for b in mine_now}
    assert by_id[well["id"]]["totals"]["planned"] == eur(700)
    assert by_id[sick["id"]]["status"] == "draft"  # held back where it failed
    assert by_id[sick["id"]]["line_count"] == 0

    # reported: status (with position and error), metrics
    report = parked(container, "budgets")
    assert report["events"] == 3 and report["aggregates"] == 1
    head = report["heads"][0]
    assert head["aggregate_id"] == sick["id"] and head["tenant_id"] == api.tenant_id
    assert "this line cannot be folded" in head["error"]
    assert metric(api, "techplan_projection_parked_events", "budgets") == 3
    assert metric(api, "techplan_projection_parked_aggregates", "budgets") == 1
    assert metric(api, "techplan_projection_failed", "budgets") == 0

    # fixed: the parked events fold in order (the re-estimate needs the line before it)
    monkeypatch.setitem(budgets.projection.folds, "budget.line_added", real)
    assert container.runner.retry("budgets") == {"folded": 3, "parked": 0}
    healed = {b["id"]: b for b in fresh(api, f"/v1/clients/{mine['id']}/budgets", 0)["items"]}
    assert healed[sick["id"]]["status"] == "submitted"
    assert healed[sick["id"]]["totals"]["planned"] == eur(5_000)
    assert healed[sick["id"]]["line_count"] == 1
    assert parked(container, "budgets")["events"] == 0
    assert metric(api, "techplan_projection_parked_events", "budgets") == 0

    # and the aggregate folds as usual again
    r = api.post(f"/v1/budgets/{sick['id']}/reject", {"rationale": "too much"})
    assert r.status_code == 200, r.text
    again = fresh(api, f"/v1/clients/{mine['id']}/budgets", r.json()["position"])["items"]
    assert {b["id"]: b["status"] for b in again}[sick["id"]] == "draft"


MAX = 10**15  # the largest amount the API takes (services/api/tactical_schemas.py)
INT64 = 2**63 - 1


def test_sums_of_the_largest_amounts_never_overflow(api: Api) -> None:
    s = setup(api)
    costly = {
        "one_time_cost": eur(MAX),
        "recurring_cost": {**eur(MAX), "per": "month", "quantity": 1_000_000},
    }
    initiative(api, s.plan, [s.goal], **costly)
    initiative(api, s.plan, [s.goal], **costly)
    b = budget(api, s.client_id)
    for _ in range(3):
        line(api, b["id"], MAX)
    r = api.post(f"/v1/budgets/{b['id']}/submit", {"rationale": "ready"})
    assert r.status_code == 200, r.text

    roadmap = fresh(
        api,
        f"/v1/clients/{s.client_id}/roadmap",
        r.json()["position"],
        **{"from": "FY2027-Q2", "to": "FY2027-Q2"},
    )
    quarter = roadmap["quarters"][0]
    assert quarter["one_time_total"] == eur(2 * MAX)
    yearly = 2 * MAX * 1_000_000 * 12
    assert yearly > INT64 and quarter["recurring_annual_total"] == eur(yearly)
    listed = fresh(api, f"/v1/clients/{s.client_id}/budgets", r.json()["position"])["items"]
    assert listed[0]["totals"]["planned"] == eur(3 * MAX)
    assert api.get(f"/v1/budgets/{b['id']}").json()["totals"]["planned"] == eur(3 * MAX)
    audit = fresh(api, "/v1/audit", r.json()["position"], aggregate_id=s.plan)["items"]
    assert audit[0]["changes"][0]["after"]["recurring_cost"]["quantity"] == 1_000_000


def test_every_money_column_holds_its_largest_sum(container: Any) -> None:
    """A column of minor units is numeric, or holds one amount the API bounds."""
    from domain.limits import ACTUALS_PER_BUDGET, LINES_PER_BUDGET

    assert ACTUALS_PER_BUDGET * MAX > INT64  # a full budget's actuals need numeric
    assert LINES_PER_BUDGET * MAX < INT64
    single_amounts = {("budget_lines_view", "amount_minor")}  # one line's amount: <= MAX
    with container.db.tx() as cur:
        cur.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND column_name LIKE %s",
            ("%minor%",),
        )
        columns = cur.fetchall()
    assert len(columns) >= 4
    for c in columns:
        if (c["table_name"], c["column_name"]) not in single_amounts:
            assert c["data_type"] == "numeric", c
