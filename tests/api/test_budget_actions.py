"""Budget actions: the approval cycle's moves, one open budget per client and year (also under
concurrent creation), roles, history and time travel, tenancy."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.api.budget_helpers import money
from tests.api.conftest import Api
from tests.api.tactical import budget, line, move, setup


def test_illegal_budget_moves_are_409(api: Api) -> None:
    s = setup(api)
    bid = budget(api, s.client_id)["id"]
    for action in ("approve", "reject", "reopen", "close"):
        assert move(api, bid, action).status_code == 409, action
    assert move(api, bid, "submit").status_code == 200
    for action in ("submit", "reopen", "close"):
        assert move(api, bid, action).status_code == 409, action
    assert move(api, bid, "approve").status_code == 200
    for action in ("submit", "approve", "reject"):
        assert move(api, bid, action).status_code == 409, action
    assert move(api, bid, "explode").status_code == 404
    assert move(api, bid, "submit", "").status_code == 422
    assert api.post(f"/v1/budgets/{bid}/close", {}).status_code == 422
    assert api.get(f"/v1/budgets/{bid}").json()["version"] == 3


def test_one_open_budget_per_client_and_year(api: Api) -> None:
    s = setup(api)
    first = budget(api, s.client_id, 2027)["id"]
    r = api.post(f"/v1/clients/{s.client_id}/budgets", {"fiscal_year": "FY2027"})
    assert r.status_code == 409
    assert budget(api, s.client_id, 2028)
    other_client = api.client("Other")
    assert budget(api, other_client["id"], 2027)
    for action in ("submit", "approve", "close"):
        assert move(api, first, action).status_code == 200
    assert budget(api, s.client_id, 2027)["status"] == "draft"
    history = api.get(f"/v1/clients/{s.client_id}/history").json()["items"]
    types = [h["type"] for h in history]
    assert types.count("client.budget_opened") == 3 and types.count("client.budget_closed") == 1


def test_concurrent_creations_leave_one_open_budget(api: Api) -> None:
    s = setup(api)

    def create(i: int) -> int:
        r = api.post(f"/v1/clients/{s.client_id}/budgets", {"fiscal_year": 2030, "title": f"{i}"})
        return int(r.status_code)

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(create, range(8)))
    assert sorted(codes) == [201] + [409] * 7, codes
    history = api.get(f"/v1/clients/{s.client_id}/history").json()["items"]
    assert [h["type"] for h in history].count("client.budget_opened") == 1
    listed = api.get(
        f"/v1/clients/{s.client_id}/budgets", params={"min_position": history[-1]["position"]}
    )
    assert [b["fiscal_year"] for b in listed.json()["items"]] == [2030]


def test_roles_on_budgets(api: Api) -> None:
    s = setup(api)
    contact = api.key_for("client", [s.client_id])
    editor, viewer = api.key_for("editor"), api.key_for("viewer")
    bid = budget(api, s.client_id)["id"]
    lid = line(api, bid, 100)
    assert move(editor, bid, "submit").status_code == 200
    assert move(editor, bid, "approve").status_code == 403
    assert move(editor, bid, "reject").status_code == 403
    assert move(viewer, bid, "approve").status_code == 403
    r = move(contact, bid, "reject", "Q1 is too heavy")
    assert r.status_code == 200 and r.json()["status"] == "draft"
    assert move(editor, bid, "submit").status_code == 200
    r = move(contact, bid, "approve", "Approved at the QBR")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    last = contact.get(f"/v1/budgets/{bid}/history").json()["items"][-1]
    assert (last["type"], last["rationale"], last["actor"]["role"]) == (
        "budget.approved",
        "Approved at the QBR",
        "client",
    )
    assert contact.get(f"/v1/budgets/{bid}").status_code == 200
    assert contact.get(f"/v1/clients/{s.client_id}/budgets").status_code == 200
    forbidden = [
        contact.post(f"/v1/clients/{s.client_id}/budgets", {"fiscal_year": 2031}),
        contact.post(
            f"/v1/budgets/{bid}/lines",
            {"category": "other", "quarter": "Q1", "amount_minor": 1, "kind": "opex"},
        ),
        contact.patch(f"/v1/budgets/{bid}/lines/{lid}", {"amount_minor": 1, "rationale": "r"}),
        contact.post(f"/v1/budgets/{bid}/lines/{lid}/remove", {"rationale": "r"}),
        contact.post(f"/v1/budgets/{bid}/actuals", {"line_id": lid, "amount_minor": 1}),
        move(contact, bid, "reopen"),
        move(contact, bid, "close"),
        viewer.post(f"/v1/budgets/{bid}/actuals", {"line_id": lid, "amount_minor": 1}),
    ]
    assert [r.status_code for r in forbidden] == [403] * len(forbidden)
    assert (
        editor.post(f"/v1/budgets/{bid}/actuals", {"line_id": lid, "amount_minor": 1}).status_code
        == 201
    )
    stranger = api.key_for("client", [api.client("Other")["id"]])
    assert stranger.get(f"/v1/budgets/{bid}").status_code == 404
    assert move(stranger, bid, "close").status_code == 403  # the role is checked first


def test_budget_history_time_travel_and_diff(api: Api) -> None:
    s = setup(api)
    bid = budget(api, s.client_id)["id"]
    lid = line(api, bid, 10_000)
    api.patch(f"/v1/budgets/{bid}/lines/{lid}", {"amount_minor": 7_500, "rationale": "cut"})
    move(api, bid, "submit", "ready")
    history = api.get(f"/v1/budgets/{bid}/history").json()["items"]
    assert [h["type"] for h in history] == [
        "budget.created",
        "budget.line_added",
        "budget.line_reestimated",
        "budget.submitted",
    ]
    changes = {c["path"]: (c["before"], c["after"]) for c in history[2]["changes"]}
    assert changes[f"/lines/{lid}/amount_minor"] == (10_000, 7_500)
    assert changes["/totals/planned/amount_minor"] == (10_000, 7_500)
    assert history[2]["rationale"] == "cut"
    assert history[3]["changes"][0] == {"path": "/status", "before": "draft", "after": "submitted"}
    old = api.get(f"/v1/budgets/{bid}", params={"version": 2}).json()
    assert old["lines"][0]["amount_minor"] == 10_000 and old["status"] == "draft"
    assert old["totals"]["planned"] == money(10_000)
    assert api.get(f"/v1/budgets/{bid}", params={"version": 5}).status_code == 404
    at = history[1]["occurred_at"]
    then = api.get(f"/v1/budgets/{bid}", params={"as_of": at}).json()
    assert then["version"] == 2
    assert (
        api.get(f"/v1/budgets/{bid}", params={"as_of": "2000-01-01T00:00:00Z"}).status_code == 404
    )
    diff = api.get(f"/v1/budgets/{bid}/diff", params={"from": 1, "to": 4}).json()
    paths = [c["path"] for c in diff["changes"]]
    assert "/status" in paths and f"/lines/{lid}" in paths
    added = next(c for c in diff["changes"] if c["path"] == f"/lines/{lid}")
    assert added["before"] is None and added["after"]["amount_minor"] == 7_500
    assert api.get(f"/v1/budgets/{bid}/diff", params={"from": 0, "to": 2}).status_code == 404


def test_another_tenants_budgets_answer_like_missing_ones(api: Api, other: Api) -> None:
    s = setup(api)
    bid = budget(api, s.client_id)["id"]
    lid = line(api, bid, 100)
    b, c = bid, s.client_id
    probes: list[tuple[str, str, Any]] = [
        ("get", f"/v1/budgets/{b}", None),
        ("get", f"/v1/budgets/{b}?as_of=2030-01-01T00:00:00Z", None),
        ("get", f"/v1/budgets/{b}/history", None),
        ("get", f"/v1/budgets/{b}/diff?from=1&to=2", None),
        ("get", f"/v1/clients/{c}/budgets", None),
        ("post", f"/v1/clients/{c}/budgets", {"fiscal_year": 2040}),
        (
            "post",
            f"/v1/budgets/{b}/lines",
            {"category": "other", "quarter": "Q1", "amount_minor": 1, "kind": "opex"},
        ),
        ("patch", f"/v1/budgets/{b}/lines/{lid}", {"amount_minor": 1, "rationale": "r"}),
        ("post", f"/v1/budgets/{b}/lines/{lid}/remove", {"rationale": "r"}),
        ("post", f"/v1/budgets/{b}/actuals", {"line_id": lid, "amount_minor": 1}),
        ("post", f"/v1/budgets/{b}/submit", {"rationale": "r"}),
        ("post", f"/v1/budgets/{b}/approve", {"rationale": "r"}),
    ]
    for method, path, body in probes:
        kwargs: dict[str, Any] = {} if body is None else {"json": body}
        theirs = getattr(other, method)(path, **kwargs)
        missing = getattr(other, method)(
            path.replace(b, str(uuid.uuid4())).replace(c, str(uuid.uuid4())), **kwargs
        )
        assert theirs.status_code == missing.status_code == 404, (method, path, theirs.text)
        assert theirs.json()["title"] == missing.json()["title"]
    # nor can another tenant's budget follow this tenant's plan
    theirs = other.client()
    r = other.post(f"/v1/clients/{theirs['id']}/budgets", {"fiscal_year": 2027, "plan_id": s.plan})
    assert r.status_code == 422
    assert api.get(f"/v1/budgets/{b}").json()["version"] == 2
