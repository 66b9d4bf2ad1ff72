"""The QBR report in the portal: goals, the next four quarters of the roadmap, the budget chart,
the decisions of the window with their rationale, alignment; roles as on every portal page; a
PDF that answers 503 with the reason where no Chromium prints it (the Chromium test prints
it: tests/browser/test_portal_qbr.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from litestar.testing import TestClient

from domain.calendar import FiscalQuarter
from tests.api.conftest import Api
from tests.api.portal_helpers import Browser, text
from tests.api.tactical import act, initiative, line, setup


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


def quarters(client: dict[str, Any], count: int) -> list[str]:
    current = FiscalQuarter.containing(datetime.now(UTC).date(), client["fiscal_year_start_month"])
    found = [current]
    while len(found) < count:
        found.append(found[-1].next())
    return [str(q) for q in found]


def test_the_report_holds_goals_roadmap_budget_decisions_and_alignment(
    api: Api, http: TestClient[Any], browsers: list[Browser]
) -> None:
    s = setup(api)
    q = quarters(s.client, 5)
    initiative(api, s.plan, [s.goal], title="Firewall refresh", target_quarter=q[1])
    initiative(api, s.plan, [], title="Orphan kiosk", target_quarter=q[3])
    initiative(api, s.plan, [s.goal], title="Too far out", target_quarter=q[4])
    fy = int(q[0][2:6])
    r = api.post(f"/v1/clients/{s.client_id}/budgets", {"fiscal_year": fy})
    assert r.status_code == 201, r.text
    line(api, r.json()["id"], 120_000)
    position = api.get(f"/v1/plans/{s.plan}/history").json()["items"][-1]["position"]
    admin = signed_in(http, browsers, api.key)

    r = admin.get(f"/portal/clients/{s.client_id}/qbr?fresh={position}")
    assert r.status_code == 200
    page = text(r)
    assert "No review completed yet: every decision so far" in page
    assert "Resilience" in page  # the goal
    for quarter in q[:4]:
        assert quarter in page
    roadmap = page.split("Roadmap: the next four quarters")[1].split("unscheduled initiative")[0]
    assert "Firewall refresh" in roadmap and "Too far out" not in roadmap
    assert "€1,200.00" in page  # the budget, in the client's currency
    assert r.text.count("<svg") == 1  # the chart, drawn server-side
    assert "<script" not in r.text.split("<svg")[1].split("</svg>")[0]
    # no review yet: the window holds every decision, the strategy's adoption among them
    assert "strategy.adopted" in page and "board approved" in page
    alignment = page.split("Initiatives that serve no goal (1)")[1]
    assert "Orphan kiosk" in alignment and "Firewall refresh" not in alignment
    assert f"/portal/clients/{s.client_id}/qbr.pdf" in r.text

    # after a completed review, the window holds only what was decided since
    review = api.post(
        f"/v1/clients/{s.client_id}/reviews", {"title": "QBR Q1", "scheduled_for": "2027-01-15"}
    ).json()["id"]
    assert api.post(f"/v1/reviews/{review}/complete", {"summary": "ok"}).status_code == 200
    iid = initiative(api, s.plan, [s.goal], title="Backup drill", target_quarter=q[2])
    moved = act(api, s.plan, iid, "approve", rationale="Partners want restores proven.")
    assert moved.status_code == 200, moved.text
    page = text(admin.get(f"/portal/clients/{s.client_id}/qbr?fresh={moved.json()['position']}"))
    assert "Decisions since QBR Q1" in page
    assert "plan.initiative_approved" in page and "Partners want restores proven." in page
    assert "board approved" not in page
    # the same review chosen explicitly gives the same window
    chosen = text(admin.get(f"/portal/clients/{s.client_id}/qbr?review={review}"))
    assert "Partners want restores proven." in chosen and "board approved" not in chosen


def test_roles_and_other_clients_and_tenants(
    api: Api, other: Api, http: TestClient[Any], browsers: list[Browser]
) -> None:
    s = setup(api)
    elsewhere = api.client("Somebody else")
    theirs = other.client("Other tenant's client")
    contact = signed_in(http, browsers, api.key_for("client", [s.client_id]).key)
    page = contact.get(f"/portal/clients/{s.client_id}/qbr?fresh={elsewhere['position']}")
    assert page.status_code == 200 and s.client["name"] in page.text
    for client_id, name in ((elsewhere["id"], "Somebody else"), (theirs["id"], "Other tenant")):
        for tail in ("/qbr", "/qbr.pdf"):
            r = contact.get(f"/portal/clients/{client_id}{tail}")
            assert r.status_code == 404 and name not in r.text, tail
    admin = signed_in(http, browsers, api.key)
    r = admin.get(f"/portal/clients/{theirs['id']}/qbr")
    assert r.status_code == 404 and "Other tenant" not in r.text
    assert admin.get("/portal/clients/not-a-uuid/qbr").status_code == 404
    # a review of another client, or one not completed, is no window
    planned = api.post(
        f"/v1/clients/{elsewhere['id']}/reviews",
        {"title": "Elsewhere", "scheduled_for": "2027-01-15"},
    ).json()["id"]
    assert admin.get(f"/portal/clients/{s.client_id}/qbr?review={planned}").status_code == 404
    mine = api.post(
        f"/v1/clients/{s.client_id}/reviews", {"title": "Next", "scheduled_for": "2027-01-15"}
    ).json()["id"]
    r = admin.get(f"/portal/clients/{s.client_id}/qbr?review={mine}")
    assert r.status_code == 422 and "not completed" in r.text
    assert admin.get(f"/portal/clients/{s.client_id}/qbr?review=nope").status_code == 404
    # signed out: sent to sign in, and back to the report after
    anonymous = Browser(http)
    browsers.append(anonymous)
    r = anonymous.get(f"/portal/clients/{s.client_id}/qbr.pdf")
    assert r.status_code == 303 and "/portal/sign-in" in r.headers["location"]


def test_the_pdf_without_chromium_is_a_clear_503(
    api: Api,
    http: TestClient[Any],
    browsers: list[Browser],
    container: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    s = setup(api)
    admin = signed_in(http, browsers, api.key)
    monkeypatch.setattr(
        container, "settings", container.settings.with_(chromium="/nonexistent/chromium")
    )
    r = admin.get(f"/portal/clients/{s.client_id}/qbr.pdf")
    assert r.status_code == 503
    assert "no Chromium found" in r.text and "TECHPLAN_CHROMIUM" in r.text
    assert admin.get(f"/portal/clients/{s.client_id}/qbr").status_code == 200
