"""Portal actions: each one use case with a rationale where API.md asks for one; a refused form
comes back with the problem next to its field and every value as typed."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.api.conftest import Api
from tests.api.portal_helpers import Browser, text
from tests.api.tactical import act, initiative, setup


@pytest.fixture
def browser(http: TestClient[Any], api: Api) -> Iterator[Browser]:
    b = Browser(http)
    b.follow(b.sign_in(api.key))
    yield b
    b.close()


def opened(browser: Browser, api: Api, s: Any) -> Any:
    """The client page once the read side shows the plan's last change (a person sees the
    initiative before acting on it)."""
    position = api.get(f"/v1/plans/{s.plan}/history").json()["items"][-1]["position"]
    page = browser.get(f"/portal/clients/{s.client_id}?fresh={position}")
    assert page.status_code == 200
    return page


def quarters(page: Any) -> list[str]:
    """The roadmap's quarters, the one containing today first."""
    return re.findall(r'<section class="quarter" aria-labelledby="q-(FY\d{4}-Q\d)"', page.text)


def error_of(r: Any, field_id: str) -> str:
    """The error shown next to a field, read by the id the field's aria-describedby names."""
    found = re.search(rf'id="{re.escape(field_id)}-error"[^>]*>([^<]*)<', r.text)
    assert found, f"no error next to {field_id}"
    return html.unescape(found.group(1))


def test_reschedule_with_a_rationale_lands_in_the_timeline(api: Api, browser: Browser) -> None:
    s = setup(api)
    iid = initiative(api, s.plan, [s.goal], title="Move me")
    later = quarters(opened(browser, api, s))[6]
    r = browser.post(
        f"/portal/plans/{s.plan}/initiatives/{iid}/reschedule",
        {"client_id": s.client_id, "target_quarter": later, "rationale": "vendor delay"},
    )
    assert r.status_code == 303
    assert r.headers["location"].startswith(f"/portal/clients/{s.client_id}?fresh=")
    assert api.get(f"/v1/plans/{s.plan}").json()["initiatives"][0]["target_quarter"] == later
    position = r.headers["location"].split("fresh=")[1].split("&")[0]
    timeline = text(browser.get(f"/portal/clients/{s.client_id}/timeline?fresh={position}"))
    assert "plan.initiative_rescheduled" in timeline and "vendor delay" in timeline
    history = api.get(f"/v1/plans/{s.plan}/history").json()["items"][-1]
    assert history["rationale"] == "vendor delay" and history["actor"]["role"] == "admin"


def test_a_refused_form_keeps_what_was_typed(api: Api, browser: Browser) -> None:
    s = setup(api)
    iid = initiative(api, s.plan, [s.goal], title="Keep my input")
    later = quarters(opened(browser, api, s))[7]
    r = browser.post(
        f"/portal/plans/{s.plan}/initiatives/{iid}/reschedule",
        {"client_id": s.client_id, "target_quarter": later, "rationale": ""},
    )
    assert r.status_code == 422
    assert "required" in error_of(r, f"reschedule-{iid}-rationale")
    assert f'<option value="{later}" selected>' in r.text  # the quarter chosen is kept
    assert "<details open>\n      <summary>Reschedule" in r.text  # and the form left open
    assert r.headers["hx-push-url"] == f"/portal/clients/{s.client_id}"  # not the POST path
    r = browser.post(
        f"/portal/plans/{s.plan}/initiatives/{iid}/reschedule",
        {"client_id": s.client_id, "target_quarter": later, "rationale": "typed\nwith care\x01"},
    )
    assert r.status_code == 422
    assert "control character" in error_of(r, f"reschedule-{iid}-rationale")
    assert "typed\nwith care" in r.text  # the rationale typed is still in its box
    assert api.get(f"/v1/plans/{s.plan}").json()["version"] == 2  # nothing was written


def test_defer_needs_a_later_quarter_and_says_so_next_to_it(api: Api, browser: Browser) -> None:
    s = setup(api)
    offered = quarters(browser.get(f"/portal/clients/{s.client_id}"))
    iid = initiative(api, s.plan, [s.goal], title="Defer me", target_quarter=offered[2])
    opened(browser, api, s)
    r = browser.post(
        f"/portal/plans/{s.plan}/initiatives/{iid}/defer",
        {"client_id": s.client_id, "target_quarter": offered[1], "rationale": "not yet"},
    )
    assert r.status_code == 422
    assert "quarter after" in error_of(r, f"defer-{iid}-target_quarter")
    assert "not yet" in r.text  # the rationale typed is still in its box
    r = browser.post(
        f"/portal/plans/{s.plan}/initiatives/{iid}/defer",
        {"client_id": s.client_id, "target_quarter": offered[4], "rationale": "not yet"},
    )
    assert r.status_code == 303
    assert api.get(f"/v1/plans/{s.plan}").json()["initiatives"][0]["target_quarter"] == offered[4]


def test_approve_an_initiative_and_the_alignment_rule_holds(api: Api, browser: Browser) -> None:
    s = setup(api)
    served = initiative(api, s.plan, [s.goal], title="Aligned")
    orphan = initiative(api, s.plan, [], title="Orphan")
    opened(browser, api, s)
    ok = browser.post(
        f"/portal/plans/{s.plan}/initiatives/{served}/approve",
        {"client_id": s.client_id, "rationale": "go"},
    )
    assert ok.status_code == 303
    refused = browser.post(
        f"/portal/plans/{s.plan}/initiatives/{orphan}/approve",
        {"client_id": s.client_id, "rationale": "go"},
    )
    assert refused.status_code == 422 and "goal" in text(refused)
    statuses = {
        i["title"]: i["status"] for i in api.get(f"/v1/plans/{s.plan}").json()["initiatives"]
    }
    assert statuses == {"Aligned": "approved", "Orphan": "proposed"}


def _budget(api: Api, client_id: str) -> str:
    r = api.post(f"/v1/clients/{client_id}/budgets", {"fiscal_year": datetime.now(UTC).year})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_add_a_budget_line_in_major_units(api: Api, browser: Browser) -> None:
    s = setup(api)
    bid = _budget(api, s.client_id)
    browser.get(f"/portal/clients/{s.client_id}")
    form = {
        "client_id": s.client_id,
        "budget": bid,
        "quarter": "Q2",
        "category": "network",
        "kind": "opex",
        "amount": "1234.567",
        "description": "Switch support",
    }
    r = browser.post(f"/portal/budgets/{bid}/lines", form)
    assert r.status_code == 422
    assert "at most 2 decimals" in error_of(r, "add-line-amount")
    assert 'value="Switch support"' in r.text and 'value="1234.567"' in r.text
    assert re.search(r'<option value="network" selected>', r.text)
    r = browser.post(f"/portal/budgets/{bid}/lines", {**form, "amount": "1,234.56"})
    assert r.status_code == 303
    line = api.get(f"/v1/budgets/{bid}").json()["lines"][0]
    assert line["amount_minor"] == 123456 and line["quarter"] == "Q2" and line["kind"] == "opex"
    r = browser.post(f"/portal/budgets/{bid}/lines", {**form, "amount": "-5"})
    assert r.status_code == 422 and error_of(r, "add-line-amount")


def test_record_an_actual_on_an_approved_budget(api: Api, browser: Browser) -> None:
    s = setup(api)
    bid = _budget(api, s.client_id)
    body = {"category": "hardware", "quarter": "Q1", "amount_minor": 50_000, "kind": "capex"}
    line_id = api.post(f"/v1/budgets/{bid}/lines", body).json()["created_id"]
    for action in ("submit", "approve"):
        assert api.post(f"/v1/budgets/{bid}/{action}", {"rationale": action}).status_code == 200
    browser.get(f"/portal/clients/{s.client_id}?budget={bid}")
    r = browser.post(
        f"/portal/budgets/{bid}/actuals",
        {
            "client_id": s.client_id,
            "budget": bid,
            "line_id": line_id,
            "amount": "199.99",
            "note": "invoice 42",
        },
    )
    assert r.status_code == 303
    page = text(browser.follow(r))
    assert "€199.99" in page and "€300.01" in page  # actual and variance


def test_complete_a_review(api: Api, browser: Browser) -> None:
    s = setup(api)
    r = api.post(
        f"/v1/clients/{s.client_id}/reviews", {"title": "QBR", "scheduled_for": "2027-02-01"}
    )
    rid = r.json()["id"]
    page = browser.get(f"/portal/clients/{s.client_id}?fresh={r.json()['position']}")
    assert f"/portal/reviews/{rid}/complete" in page.text
    r = browser.post(
        f"/portal/reviews/{rid}/complete",
        {"client_id": s.client_id, "summary": "Went through the roadmap", "rationale": ""},
    )
    assert r.status_code == 303
    review = api.get(f"/v1/reviews/{rid}").json()
    assert review["status"] == "completed" and review["summary"] == "Went through the roadmap"
    again = browser.post(f"/portal/reviews/{rid}/complete", {"client_id": s.client_id})
    assert again.status_code == 409 and "Your change was not saved" in text(again)


def test_a_state_conflict_is_shown_not_a_500(api: Api, browser: Browser) -> None:
    s = setup(api)
    iid = initiative(api, s.plan, [s.goal])
    assert act(api, s.plan, iid, "cancel").status_code == 200
    opened(browser, api, s)
    r = browser.post(
        f"/portal/plans/{s.plan}/initiatives/{iid}/approve",
        {"client_id": s.client_id, "rationale": "too late"},
    )
    assert r.status_code == 409 and "Your change was not saved" in text(r)
    assert (
        browser.post(
            f"/portal/plans/{s.plan}/initiatives/{iid}/explode",
            {"client_id": s.client_id, "rationale": "x"},
        ).status_code
        == 404
    )
