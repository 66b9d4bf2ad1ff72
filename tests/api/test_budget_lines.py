"""Budget lines and actuals: exact totals through the whole cycle, lines that change only in
draft and actuals only once approved, validation, concurrent line additions."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from tests.api.budget_helpers import figures, money
from tests.api.conftest import Api
from tests.api.tactical import budget, initiative, line, move, setup


def test_budget_lifecycle_with_exact_totals(api: Api) -> None:
    s = setup(api)
    r = api.post(
        f"/v1/clients/{s.client_id}/budgets",
        {"fiscal_year": 2027, "plan_id": s.plan, "title": "FY2027 IT budget"},
    )
    assert r.status_code == 201 and r.headers["etag"] == '"1"'
    b = r.json()
    assert (b["status"], b["currency"], b["fiscal_year"], b["version"]) == ("draft", "EUR", 2027, 1)
    assert b["plan_id"] == s.plan and b["lines"] == [] and b["actuals"] == []
    assert b["totals"]["by_quarter"] == {q: figures(0, 0) for q in ("Q1", "Q2", "Q3", "Q4")}
    bid = b["id"]
    iid = initiative(api, s.plan, [s.goal])
    firewall = line(api, bid, 1_234_567, category="security", quarter="Q2", initiative_id=iid)
    laptops = line(api, bid, 999_999, category="hardware", quarter="Q1")
    licences = line(api, bid, 1, category="software", quarter="Q2", kind="opex")
    r = api.post(
        f"/v1/budgets/{bid}/lines",
        {
            "category": "training",
            "quarter": "Q4",
            "amount_minor": 50_05,
            "kind": "opex",
            "description": "Phishing\tawareness\ncourse",
        },
    )
    assert r.status_code == 201
    training = r.json()["created_id"]
    assert r.json()["lines"][-1] == {
        "id": training,
        "category": "training",
        "quarter": "Q4",
        "amount_minor": 50_05,
        "kind": "opex",
        "initiative_id": None,
        "description": "Phishing\tawareness\ncourse",
    }
    assert [ln["id"] for ln in r.json()["lines"]] == [firewall, laptops, licences, training]
    totals = r.json()["totals"]
    assert totals["planned"] == money(1_234_567 + 999_999 + 1 + 50_05)
    assert totals["by_quarter"]["Q2"] == figures(1_234_568, 0)
    assert totals["by_quarter"]["Q3"] == figures(0, 0)
    assert totals["by_category"]["hardware"] == figures(999_999, 0)
    r = api.patch(
        f"/v1/budgets/{bid}/lines/{laptops}",
        {"amount_minor": 800_000, "quarter": "Q3", "rationale": "cut after client review"},
    )
    assert r.status_code == 200 and r.json()["totals"]["by_quarter"]["Q3"] == figures(800_000, 0)
    r = api.post(f"/v1/budgets/{bid}/lines/{licences}/remove", {"rationale": "bundled"})
    assert r.status_code == 200 and licences not in [ln["id"] for ln in r.json()["lines"]]
    assert move(api, bid, "submit").status_code == 200
    r = move(api, bid, "approve", "Approved by the partners")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    spent = [(firewall, 1_300_000), (laptops, 799_999), (laptops, -20_000), (training, 50_05)]
    for line_id, amount in spent:
        r = api.post(
            f"/v1/budgets/{bid}/actuals",
            {"line_id": line_id, "amount_minor": amount, "note": "inv"},
        )
        assert r.status_code == 201, r.text
    b = r.json()
    assert [a["amount_minor"] for a in b["actuals"]] == [a for _, a in spent]
    assert b["actuals"][0]["line_id"] == firewall and b["actuals"][0]["note"] == "inv"
    assert datetime.fromisoformat(b["actuals"][0]["recorded_at"].replace("Z", "+00:00"))
    planned = 1_234_567 + 800_000 + 50_05
    actual = 1_300_000 + 799_999 - 20_000 + 50_05
    assert b["totals"]["planned"] == money(planned)
    assert b["totals"]["actual"] == money(actual)
    assert b["totals"]["variance"] == money(planned - actual)
    assert b["totals"]["by_quarter"] == {
        "Q1": figures(0, 0),
        "Q2": figures(1_234_567, 1_300_000),
        "Q3": figures(800_000, 779_999),
        "Q4": figures(50_05, 50_05),
    }
    assert b["totals"]["by_category"]["security"]["variance"] == money(-65_433)
    r = api.post(f"/v1/budgets/{bid}/actuals", {"line_id": str(uuid.uuid4()), "amount_minor": 1})
    assert r.status_code == 422
    listed = api.get(
        f"/v1/clients/{s.client_id}/budgets", params={"min_position": b["position"]}
    ).json()
    assert listed["items"] == [
        {
            "id": bid,
            "client_id": s.client_id,
            "fiscal_year": 2027,
            "currency": "EUR",
            "plan_id": s.plan,
            "title": "FY2027 IT budget",
            "status": "approved",
            "line_count": 3,
            "totals": figures(planned, actual),
            "version": b["version"],
        }
    ]
    assert move(api, bid, "close", "year over").json()["status"] == "closed"


def test_lines_change_only_in_draft_and_actuals_only_when_approved(api: Api) -> None:
    s = setup(api)
    bid = budget(api, s.client_id)["id"]
    lid = line(api, bid, 100)
    actual = {"line_id": lid, "amount_minor": 5}
    assert api.post(f"/v1/budgets/{bid}/actuals", actual).status_code == 409
    assert move(api, bid, "submit").status_code == 200

    def locked() -> list[int]:
        return [
            api.post(
                f"/v1/budgets/{bid}/lines",
                {"category": "other", "quarter": "Q1", "amount_minor": 1, "kind": "opex"},
            ).status_code,
            api.patch(
                f"/v1/budgets/{bid}/lines/{lid}", {"amount_minor": 1, "rationale": "r"}
            ).status_code,
            api.post(f"/v1/budgets/{bid}/lines/{lid}/remove", {"rationale": "r"}).status_code,
        ]

    assert locked() == [409, 409, 409]
    assert api.post(f"/v1/budgets/{bid}/actuals", actual).status_code == 409
    assert move(api, bid, "approve").status_code == 200
    assert locked() == [409, 409, 409]
    assert api.post(f"/v1/budgets/{bid}/actuals", actual).status_code == 201
    assert move(api, bid, "reopen", "amend Q3").json()["status"] == "draft"
    # a line with actual spending on it stays
    r = api.post(f"/v1/budgets/{bid}/lines/{lid}/remove", {"rationale": "r"})
    assert r.status_code == 409
    assert line(api, bid, 7)
    assert move(api, bid, "submit").status_code == 200
    assert move(api, bid, "reject", "too much").json()["status"] == "draft"
    assert move(api, bid, "close").status_code == 409
    assert move(api, bid, "submit").status_code == 200
    assert move(api, bid, "approve").status_code == 200
    assert move(api, bid, "close").status_code == 200
    assert locked() == [409, 409, 409]
    assert api.post(f"/v1/budgets/{bid}/actuals", actual).status_code == 409


def test_budget_validation(api: Api) -> None:
    s = setup(api)
    path = f"/v1/clients/{s.client_id}/budgets"
    foreign_plan = setup(api).plan
    for body, field in [
        ({"fiscal_year": 1800}, "fiscal_year"),
        ({"fiscal_year": "2027"}, "fiscal_year"),
        ({}, "fiscal_year"),
        ({"fiscal_year": 2027, "plan_id": foreign_plan}, "plan_id"),
        ({"fiscal_year": 2027, "plan_id": str(uuid.uuid4())}, "plan_id"),
        ({"fiscal_year": 2027, "title": ""}, "title"),
    ]:
        r = api.post(path, body)
        assert r.status_code == 422, (body, r.text)
        assert field in [e["field"] for e in r.json()["errors"]], (body, r.json())
    b = budget(api, s.client_id, "FY2028", plan_id=s.plan)  # type: ignore[arg-type]
    assert b["fiscal_year"] == 2028
    good = {"category": "network", "quarter": "Q2", "amount_minor": 10, "kind": "capex"}
    lines = f"/v1/budgets/{b['id']}/lines"
    for change, field in [
        ({"quarter": "Q5"}, "quarter"),
        ({"quarter": "FY2028-Q1"}, "quarter"),
        ({"amount_minor": -1}, "amount_minor"),
        ({"amount_minor": 1.5}, "amount_minor"),
        ({"kind": "capital"}, "kind"),
        ({"category": "snacks"}, "category"),
        ({"initiative_id": str(uuid.uuid4())}, "initiative_id"),
        ({"description": "x" * 4001}, "description"),
        ({"currency": "EUR"}, "currency"),
    ]:
        r = api.post(lines, {**good, **change})
        assert r.status_code == 422, (change, r.text)
        assert field in [e["field"] for e in r.json()["errors"]], (change, r.json())
    # a budget without a plan takes no initiative
    planless = budget(api, s.client_id, 2029)["id"]
    iid = initiative(api, s.plan, [s.goal])
    r = api.post(f"/v1/budgets/{planless}/lines", {**good, "initiative_id": iid})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "initiative_id"
    lid = line(api, b["id"], 10, initiative_id=iid)
    patch = f"{lines}/{lid}"
    assert api.patch(patch, {"amount_minor": 5}).status_code == 422  # rationale
    assert api.patch(patch, {"amount_minor": None, "rationale": "r"}).status_code == 422
    r = api.patch(patch, {"initiative_id": str(uuid.uuid4()), "rationale": "r"})
    assert r.status_code == 422
    r = api.patch(patch, {"initiative_id": None, "description": "spare", "rationale": "unlink"})
    assert r.status_code == 200
    assert r.json()["lines"][0]["initiative_id"] is None
    assert r.json()["lines"][0]["description"] == "spare"
    r = api.patch(f"{lines}/{uuid.uuid4()}", {"amount_minor": 5, "rationale": "r"})
    assert r.status_code == 404
    r = api.post(f"{lines}/{uuid.uuid4()}/remove", {"rationale": "r"})
    assert r.status_code == 404


def test_concurrent_line_additions_lose_none(api: Api) -> None:
    s = setup(api)
    bid = budget(api, s.client_id)["id"]
    quarters = ("Q1", "Q2", "Q3", "Q4")

    def add(i: int) -> tuple[int, str | None, int]:
        amount = 1_000 + i * 37
        r = api.post(
            f"/v1/budgets/{bid}/lines",
            {
                "category": "hardware" if i % 2 else "software",
                "quarter": quarters[i % 4],
                "amount_minor": amount,
                "kind": "capex",
                "description": f"line {i}",
            },
        )
        created = r.json().get("created_id") if r.status_code == 201 else None
        return int(r.status_code), created, amount

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(add, range(40)))
    assert {code for code, _, _ in results} <= {201, 409}, results
    accepted = [(lid, amount) for code, lid, amount in results if code == 201]
    assert len(accepted) >= 36, [code for code, _, _ in results]
    final = api.get(f"/v1/budgets/{bid}").json()
    assert final["version"] == 1 + len(accepted)
    by_id = {ln["id"]: ln["amount_minor"] for ln in final["lines"]}
    assert by_id == dict(accepted)
    expected = sum(amount for _, amount in accepted)
    assert final["totals"]["planned"] == money(expected)
    by_quarter = final["totals"]["by_quarter"]
    assert sum(by_quarter[q]["planned"]["amount_minor"] for q in quarters) == expected
    by_category = final["totals"]["by_category"]
    assert sum(c["planned"]["amount_minor"] for c in by_category.values()) == expected
    head = api.get(f"/v1/budgets/{bid}/history", params={"limit": 500}).json()["items"][-1]
    listed = api.get(
        f"/v1/clients/{s.client_id}/budgets", params={"min_position": head["position"]}
    ).json()["items"][0]
    assert listed["line_count"] == len(accepted) and listed["totals"]["planned"] == money(expected)
