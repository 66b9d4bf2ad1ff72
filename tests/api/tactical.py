"""Shortcuts for plan and budget tests: a client with an adopted strategy, a plan, an
initiative, a budget; each asserts its own success."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.api.conftest import Api


@dataclass
class Setup:
    client: dict[str, Any]
    strategy: str
    goal: str
    plan: str

    @property
    def client_id(self) -> str:
        return str(self.client["id"])


def eur(amount_minor: int) -> dict[str, Any]:
    return {"amount_minor": amount_minor, "currency": "EUR"}


def setup(api: Api, *, adopt: bool = True, currency: str = "EUR") -> Setup:
    """A client (in EUR) whose strategy has one goal, and a plan following it."""
    client = api.client(currency=currency)
    strategy = api.strategy(client["id"])["id"]
    goal = api.goal(strategy)
    if adopt:
        r = api.post(f"/v1/strategies/{strategy}/adopt", {"rationale": "board approved"})
        assert r.status_code == 200, r.text
    r = api.post(
        f"/v1/clients/{client['id']}/plans", {"title": "Plan FY2027", "strategy_id": strategy}
    )
    assert r.status_code == 201, r.text
    return Setup(client, strategy, goal, r.json()["id"])


def initiative(api: Api, plan_id: str, goal_ids: list[str], **fields: Any) -> str:
    body: dict[str, Any] = {
        "title": "Replace firewalls",
        "category": "security",
        "goal_ids": goal_ids,
        "target_quarter": "FY2027-Q2",
        "priority": "high",
        **fields,
    }
    r = api.post(f"/v1/plans/{plan_id}/initiatives", body)
    assert r.status_code == 201, r.text
    return str(r.json()["created_id"])


def act(api: Api, plan_id: str, iid: str, action: str, **body: Any) -> Any:
    return api.post(
        f"/v1/plans/{plan_id}/initiatives/{iid}/{action}", {"rationale": f"{action}!", **body}
    )


def budget(api: Api, client_id: str, fiscal_year: int = 2027, **fields: Any) -> dict[str, Any]:
    r = api.post(f"/v1/clients/{client_id}/budgets", {"fiscal_year": fiscal_year, **fields})
    assert r.status_code == 201, r.text
    return dict(r.json())


def line(api: Api, budget_id: str, amount_minor: int, **fields: Any) -> str:
    body = {"category": "hardware", "quarter": "Q1", "kind": "capex", **fields}
    r = api.post(f"/v1/budgets/{budget_id}/lines", {"amount_minor": amount_minor, **body})
    assert r.status_code == 201, r.text
    return str(r.json()["created_id"])


def move(api: Api, budget_id: str, action: str, rationale: str = "because") -> Any:
    return api.post(f"/v1/budgets/{budget_id}/{action}", {"rationale": rationale})
