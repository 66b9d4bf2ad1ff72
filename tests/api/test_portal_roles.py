"""Roles in the portal are the API's roles: a client contact sees only its clients and gets
approve and defer; a viewer reads; only an admin sees webhooks; every refusal is the use
case's own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.api.conftest import Api
from tests.api.portal_helpers import Browser, text
from tests.api.tactical import initiative, setup


@pytest.fixture
def browsers(http: TestClient[Any]) -> Iterator[list[Browser]]:
    made: list[Browser] = []
    yield made
    for b in made:
        b.close()


def signed_in(http: TestClient[Any], made: list[Browser], key: str) -> Browser:
    b = Browser(http)
    made.append(b)
    b.follow(b.sign_in(key))
    return b


def test_a_client_contact_sees_only_its_clients(
    api: Api, http: TestClient[Any], browsers: list[Browser]
) -> None:
    s = setup(api)
    other = api.client("Somebody else")
    contact = signed_in(http, browsers, api.key_for("client", [s.client_id]).key)
    page = contact.get(f"/portal?fresh={other['position']}")
    assert s.client["name"] in page.text and "Somebody else" not in page.text
    assert "/portal/webhooks" not in page.text
    r = contact.get(f"/portal/clients/{other['id']}")
    assert r.status_code == 404 and "Somebody else" not in r.text
    for tail in ("/timeline", "/time-travel", "/since-review"):
        assert contact.get(f"/portal/clients/{other['id']}{tail}").status_code == 404, tail
    assert contact.get("/portal/webhooks").status_code == 403


def test_a_client_contact_approves_and_defers_but_does_not_edit(
    api: Api, http: TestClient[Any], browsers: list[Browser]
) -> None:
    s = setup(api)
    iid = initiative(api, s.plan, [s.goal], title="Needs the client's yes")
    contact = signed_in(http, browsers, api.key_for("client", [s.client_id]).key)
    position = api.get(f"/v1/plans/{s.plan}/history").json()["items"][-1]["position"]
    page = contact.get(f"/portal/clients/{s.client_id}?fresh={position}")
    assert f"/initiatives/{iid}/approve" in page.text and f"/initiatives/{iid}/defer" in page.text
    assert f"/initiatives/{iid}/reschedule" not in page.text
    assert "Add a budget line" not in page.text
    r = contact.post(
        f"/portal/plans/{s.plan}/initiatives/{iid}/reschedule",
        {"client_id": s.client_id, "target_quarter": "", "rationale": "sneaky"},
    )
    assert r.status_code == 403 and "may not" in text(r)
    r = contact.post(
        f"/portal/plans/{s.plan}/initiatives/{iid}/approve",
        {"client_id": s.client_id, "rationale": "we agree"},
    )
    assert r.status_code == 303
    last = api.get(f"/v1/plans/{s.plan}/history").json()["items"][-1]
    assert last["type"] == "plan.initiative_approved" and last["actor"]["role"] == "client"


def test_a_client_contact_approves_a_submitted_budget(
    api: Api, http: TestClient[Any], browsers: list[Browser]
) -> None:
    s = setup(api)
    bid = api.post(f"/v1/clients/{s.client_id}/budgets", {"fiscal_year": 2027}).json()["id"]
    body = {"category": "security", "quarter": "Q2", "amount_minor": 99_00, "kind": "opex"}
    assert api.post(f"/v1/budgets/{bid}/lines", body).status_code == 201
    r = api.post(f"/v1/budgets/{bid}/submit", {"rationale": "ready"})
    contact = signed_in(http, browsers, api.key_for("client", [s.client_id]).key)
    page = contact.get(f"/portal/clients/{s.client_id}?budget={bid}&fresh={r.json()['position']}")
    assert "Approve this budget" in page.text
    r = contact.post(
        f"/portal/budgets/{bid}/approve",
        {"client_id": s.client_id, "budget": bid, "rationale": "signed off by the CFO"},
    )
    assert r.status_code == 303
    assert api.get(f"/v1/budgets/{bid}").json()["status"] == "approved"


def test_an_editor_may_not_approve_a_budget(
    api: Api, http: TestClient[Any], browsers: list[Browser]
) -> None:
    s = setup(api)
    bid = api.post(f"/v1/clients/{s.client_id}/budgets", {"fiscal_year": 2027}).json()["id"]
    r = api.post(f"/v1/budgets/{bid}/submit", {"rationale": "ready"})
    editor = signed_in(http, browsers, api.key_for("editor").key)
    page = editor.get(f"/portal/clients/{s.client_id}?budget={bid}&fresh={r.json()['position']}")
    assert "Approve this budget" not in page.text
    r = editor.post(
        f"/portal/budgets/{bid}/approve",
        {"client_id": s.client_id, "budget": bid, "rationale": "I approve"},
    )
    assert r.status_code == 403
    assert api.get(f"/v1/budgets/{bid}").json()["status"] == "submitted"


def test_a_viewer_reads_and_changes_nothing(
    api: Api, http: TestClient[Any], browsers: list[Browser]
) -> None:
    s = setup(api)
    iid = initiative(api, s.plan, [s.goal], title="Look, don't touch")
    viewer = signed_in(http, browsers, api.key_for("viewer").key)
    position = api.get(f"/v1/plans/{s.plan}/history").json()["items"][-1]["position"]
    page = viewer.get(f"/portal/clients/{s.client_id}?fresh={position}")
    assert "Look, don&#39;t touch" in page.text or "Look, don't touch" in page.text
    assert not re.search(r'<form method="post" action="/portal/(plans|budgets|reviews)', page.text)
    r = viewer.post(
        f"/portal/plans/{s.plan}/initiatives/{iid}/approve",
        {"client_id": s.client_id, "rationale": "me too"},
    )
    assert r.status_code == 403
    assert api.get(f"/v1/plans/{s.plan}").json()["version"] == 2


def test_webhooks_page_lists_subscriptions_and_deliveries_with_retry(
    api: Api, http: TestClient[Any], browsers: list[Browser], hooks: list[str]
) -> None:
    r = api.post(
        "/v1/webhooks",
        {"url": "http://127.0.0.1:9/hook", "event_types": ["client.*"], "description": "PSA"},
    )
    assert r.status_code == 201, r.text
    wid = r.json()["id"]
    hooks.append(wid)
    made = api.client("Hooked")
    admin = signed_in(http, browsers, api.key)
    page = admin.get("/portal/webhooks")
    assert "http://127.0.0.1:9/hook" in page.text and "PSA" in page.text
    deliveries: list[dict[str, Any]] = []
    for _ in range(50):  # the fan-out is a projection: wait for it (bounded)
        listed = api.get(f"/v1/webhooks/{wid}/deliveries?min_position={made['position']}")
        deliveries = listed.json()["items"] if listed.status_code == 200 else []
        if deliveries:
            break
    assert deliveries, "the delivery was never created"
    page = admin.get("/portal/webhooks")
    assert "client.created" in page.text
    did = deliveries[0]["id"]
    r = admin.post(f"/portal/webhooks/{wid}/deliveries/{did}/retry")
    assert r.status_code == 303 and "retried" in r.headers["location"]
    editor = signed_in(http, browsers, api.key_for("editor").key)
    assert editor.get("/portal/webhooks").status_code == 403
    assert editor.post(f"/portal/webhooks/{wid}/deliveries/{did}/retry").status_code == 403
