"""Initiatives of a technology plan: their lifecycle and status moves, validation, alignment
with the strategy when approved (also when a goal retires meanwhile), If-Match."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import pytest

from domain.strategy import Strategy
from services.auth import authenticate
from services.commands import plans
from services.commands.context import Context
from tests.api.conftest import Api
from tests.api.tactical import act, eur, initiative, setup


def test_plan_and_initiative_lifecycle(api: Api) -> None:
    s = setup(api)
    plan = api.get(f"/v1/plans/{s.plan}")
    assert plan.status_code == 200 and plan.headers["etag"] == '"1"'
    assert plan.json() == {
        "id": s.plan,
        "client_id": s.client_id,
        "strategy_id": s.strategy,
        "title": "Plan FY2027",
        "initiatives": [],
        "version": 1,
    }
    r = api.post(
        f"/v1/plans/{s.plan}/initiatives",
        {
            "title": "Replace firewalls",
            "category": "security",
            "goal_ids": [s.goal],
            "target_quarter": "FY2027-Q2",
            "one_time_cost": eur(1_200_000),
            "recurring_cost": {**eur(5_000), "per": "month", "quantity": 3},
            "priority": "high",
            "rationale": "end of support",
        },
    )
    assert r.status_code == 201
    iid = r.json()["created_id"]
    assert r.json()["version"] == 2 and r.json()["position"] > 0
    assert r.json()["initiatives"] == [
        {
            "id": iid,
            "title": "Replace firewalls",
            "description": None,
            "category": "security",
            "goal_ids": [s.goal],
            "target_quarter": "FY2027-Q2",
            "one_time_cost": eur(1_200_000),
            "recurring_cost": {**eur(5_000), "per": "month", "quantity": 3},
            "priority": "high",
            "status": "proposed",
            "source": None,
        }
    ]
    path = f"/v1/plans/{s.plan}/initiatives/{iid}"
    r = api.patch(
        path,
        {"target_quarter": "FY2027-Q4", "one_time_cost": eur(990_000), "rationale": "freeze"},
    )
    assert r.status_code == 200 and r.json()["version"] == 4
    r = api.patch(path, {"target_quarter": None, "recurring_cost": None, "rationale": "on hold"})
    got = r.json()["initiatives"][0]
    assert got["target_quarter"] is None and got["recurring_cost"] is None
    assert got["one_time_cost"] == eur(990_000)
    r = api.patch(path, {"title": "Replace edge firewalls", "rationale": "scope"})
    assert r.json()["initiatives"][0]["title"] == "Replace edge firewalls"
    for action, status in [("approve", "approved"), ("start", "in_progress"), ("complete", "done")]:
        r = act(api, s.plan, iid, action)
        assert r.status_code == 200, r.text
        assert r.json()["initiatives"][0]["status"] == status
    types = [h["type"] for h in api.get(f"/v1/plans/{s.plan}/history").json()["items"]]
    assert types == [
        "plan.created",
        "plan.initiative_proposed",
        "plan.initiative_rescheduled",
        "plan.initiative_reestimated",
        "plan.initiative_rescheduled",
        "plan.initiative_reestimated",
        "plan.initiative_retitled",
        "plan.initiative_approved",
        "plan.initiative_started",
        "plan.initiative_completed",
    ]


def test_plan_and_initiative_validation(api: Api) -> None:
    s = setup(api)
    foreign = api.strategy(api.client("Other")["id"])["id"]
    plans = f"/v1/clients/{s.client_id}/plans"
    for body, field in [
        ({"title": "x", "strategy_id": foreign}, "strategy_id"),
        ({"title": "x", "strategy_id": str(uuid.uuid4())}, "strategy_id"),
        ({"title": "x", "strategy_id": "nope"}, "strategy_id"),
        ({"title": "", "strategy_id": s.strategy}, "title"),
        ({"strategy_id": s.strategy}, "title"),
    ]:
        r = api.post(plans, body)
        assert r.status_code == 422, (body, r.text)
        assert field in [e["field"] for e in r.json()["errors"]], (body, r.json())
    good = {
        "title": "x",
        "category": "cloud",
        "goal_ids": [s.goal],
        "target_quarter": None,
        "priority": "low",
    }
    path = f"/v1/plans/{s.plan}/initiatives"
    for change, field in [
        ({"category": "toys"}, "category"),
        ({"priority": "urgent"}, "priority"),
        ({"target_quarter": "2027-Q2"}, "target_quarter"),
        ({"target_quarter": "FY2027-Q5"}, "target_quarter"),
        ({"goal_ids": [str(uuid.uuid4())]}, "goal_ids"),
        ({"goal_ids": ["not-a-uuid"]}, "goal_ids"),
        ({"one_time_cost": {"amount_minor": -1, "currency": "EUR"}}, "one_time_cost.amount_minor"),
        ({"one_time_cost": {"amount_minor": 1.5, "currency": "EUR"}}, "one_time_cost.amount_minor"),
        ({"one_time_cost": {"amount_minor": 100, "currency": "USD"}}, "one_time_cost.currency"),
        (
            {"recurring_cost": {"amount_minor": 1, "currency": "GBP", "per": "month"}},
            "recurring_cost.currency",
        ),
        (
            {"recurring_cost": {"amount_minor": 1, "currency": "EUR", "per": "week"}},
            "recurring_cost.per",
        ),
        (
            {"recurring_cost": {**eur(1), "per": "year", "quantity": 0}},
            "recurring_cost.quantity",
        ),
        ({"title": "bell\x07"}, "title"),
        ({"surprise": 1}, "surprise"),
    ]:
        r = api.post(path, {**good, **change})
        assert r.status_code == 422, (change, r.text)
        fields = [e["field"] for e in r.json()["errors"]]
        assert any(f.startswith(field) for f in fields), (change, r.json())
    iid = initiative(api, s.plan, [s.goal])
    patch = f"{path}/{iid}"
    assert api.patch(patch, {"priority": "low"}).status_code == 422  # rationale
    assert api.patch(patch, {"title": None, "rationale": "r"}).status_code == 422
    assert api.patch(patch, {"category": None, "rationale": "r"}).status_code == 422
    r = api.patch(patch, {"one_time_cost": eur(1) | {"currency": "USD"}, "rationale": "r"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "one_time_cost.currency"
    r = api.patch(f"{path}/{uuid.uuid4()}", {"priority": "low", "rationale": "r"})
    assert r.status_code == 404
    assert act(api, s.plan, iid, "promote").status_code == 404
    assert api.get(f"/v1/plans/{s.plan}").json()["version"] == 2


def test_approval_needs_an_active_goal_of_the_active_strategy(api: Api) -> None:
    s = setup(api)
    other_goal = api.goal(s.strategy, "Cost control", "medium")
    unaligned = initiative(api, s.plan, [])
    r = act(api, s.plan, unaligned, "approve")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "goal_ids"
    served = initiative(api, s.plan, [s.goal])
    both = initiative(api, s.plan, [s.goal, other_goal])
    r = api.post(f"/v1/strategies/{s.strategy}/goals/{s.goal}/retire", {"rationale": "met"})
    assert r.status_code == 200
    assert act(api, s.plan, served, "approve").status_code == 422
    assert act(api, s.plan, both, "approve").status_code == 200
    # a strategy that is not active does not hold approvals back (a checklist is allowed)
    draft = setup(api, adopt=False)
    assert act(api, draft.plan, initiative(api, draft.plan, []), "approve").status_code == 200
    statuses = [i["status"] for i in api.get(f"/v1/plans/{s.plan}").json()["initiatives"]]
    assert statuses == ["proposed", "proposed", "approved"]


def test_illegal_moves_are_409(api: Api) -> None:
    s = setup(api)
    iid = initiative(api, s.plan, [s.goal])
    assert act(api, s.plan, iid, "start").status_code == 409
    assert act(api, s.plan, iid, "complete").status_code == 409
    assert act(api, s.plan, iid, "approve").status_code == 200
    assert act(api, s.plan, iid, "approve").status_code == 409
    assert act(api, s.plan, iid, "complete").status_code == 409
    assert act(api, s.plan, iid, "start").status_code == 200
    assert act(api, s.plan, iid, "defer", target_quarter="FY2028-Q1").status_code == 409
    assert act(api, s.plan, iid, "complete").status_code == 200
    path = f"/v1/plans/{s.plan}/initiatives/{iid}"
    for action in ("approve", "start", "complete", "defer", "cancel"):
        body = {"target_quarter": "FY2030-Q1"} if action == "defer" else {}
        assert act(api, s.plan, iid, action, **body).status_code == 409, action
    assert api.patch(path, {"title": "Again", "rationale": "r"}).status_code == 409
    cancelled = initiative(api, s.plan, [s.goal])
    assert act(api, s.plan, cancelled, "cancel").status_code == 200
    assert act(api, s.plan, cancelled, "approve").status_code == 409
    assert act(api, s.plan, cancelled, "cancel").status_code == 409
    r = api.patch(
        f"/v1/plans/{s.plan}/initiatives/{cancelled}", {"priority": "low", "rationale": "r"}
    )
    assert r.status_code == 409
    assert act(api, s.plan, iid, "approve", rationale="").status_code == 422


def test_defer_only_to_a_later_quarter(api: Api) -> None:
    s = setup(api)
    iid = initiative(api, s.plan, [s.goal], target_quarter="FY2027-Q2")
    assert act(api, s.plan, iid, "approve").status_code == 200
    for quarter in ("FY2027-Q2", "FY2027-Q1", "FY2026-Q4"):
        r = act(api, s.plan, iid, "defer", target_quarter=quarter)
        assert r.status_code == 422, quarter
        assert r.json()["errors"][0]["field"] == "target_quarter"
    assert act(api, s.plan, iid, "defer").status_code == 422  # no quarter
    assert act(api, s.plan, iid, "defer", target_quarter="Q3").status_code == 422
    r = act(api, s.plan, iid, "defer", target_quarter="FY2027-Q3", rationale="budget freeze")
    assert r.status_code == 200
    got = r.json()["initiatives"][0]
    assert got["status"] == "proposed" and got["target_quarter"] == "FY2027-Q3"
    # only defer takes a quarter
    assert act(api, s.plan, iid, "approve", target_quarter="FY2028-Q1").status_code == 422
    last = api.get(f"/v1/plans/{s.plan}/history").json()["items"][-1]
    assert last["type"] == "plan.initiative_deferred" and last["rationale"] == "budget freeze"
    assert {c["path"] for c in last["changes"]} == {
        f"/initiatives/{iid}/target_quarter",
        f"/initiatives/{iid}/status",
    }


def test_if_match_guards_plan_commands(api: Api) -> None:
    s = setup(api)
    iid = initiative(api, s.plan, [s.goal])
    path = f"/v1/plans/{s.plan}/initiatives/{iid}"
    stale = api.patch(path, {"priority": "low", "rationale": "r"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    r = api.patch(path, {"priority": "low", "rationale": "r"}, headers={"If-Match": '"2"'})
    assert r.status_code == 200 and r.headers["etag"] == '"3"'
    r = api.post(f"{path}/approve", {"rationale": "r"}, headers={"If-Match": '"2"'})
    assert r.status_code == 412
    r = api.post(f"{path}/approve", {"rationale": "r"}, headers={"If-Match": '"3"'})
    assert r.status_code == 200 and r.json()["version"] == 4


def test_a_goal_retired_while_an_approval_decides_is_tolerated_and_logged(
    api: Api, container: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """The accepted race of services/commands/plans.py, made deterministic: the goal is
    retired (committed) right after the approval has read the strategy."""
    s = setup(api)
    iid = initiative(api, s.plan, [s.goal])
    real = container.store

    class RetiringMidway:
        raced = False

        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def load(self, cls: Any, aggregate_id: Any, principal: Any, **kw: Any) -> Any:
            loaded = real.load(cls, aggregate_id, principal, **kw)
            if cls is Strategy and not self.raced:
                self.raced = True
                retire = f"/v1/strategies/{s.strategy}/goals/{s.goal}/retire"
                assert api.post(retire, {"rationale": "met"}).status_code == 200
            return loaded

    ctx = Context(
        store=RetiringMidway(),  # type: ignore[arg-type]
        principal=authenticate(container.db, f"Bearer {api.key}"),
        correlation_id="race",
    )
    move = plans.MoveInitiative(
        plan_id=uuid.UUID(s.plan), initiative_id=uuid.UUID(iid), rationale="go"
    )
    with caplog.at_level(logging.WARNING, logger="techplan.plans"):
        plan, _ = plans.approve_initiative(ctx, move)
    assert plan.initiative(iid).status == "approved"  # as if approved just before
    assert "retired concurrently" in caplog.text
    # from now on the retired goal no longer carries an approval
    later = initiative(api, s.plan, [s.goal])
    assert act(api, s.plan, later, "approve").status_code == 422
