"""The portal in headless Chromium against a real `techplan serve` and `techplan worker`:
an admin reschedules an initiative with a rationale and finds the decision in the timeline;
a client contact approves a budget and cannot reach another client by URL. Screenshots of
every page (and the server time each took) are saved under .artifacts/portal/, outside git."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, Served

DENTAL = "Brightsmile Dental Group"
MANUFACTURER = "Northwind Precision Manufacturing"
TIMINGS: dict[str, float] = {}


@pytest.fixture
def page(browser: Any, served: Served) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=served.base)
    tab = context.new_page()

    def record(response: Any) -> None:
        timing = response.headers.get("server-timing", "")
        found = re.search(r"dur=([\d.]+)", timing)
        if found and "/portal" in response.url:
            TIMINGS[response.url.replace(served.base, "")] = float(found.group(1))

    tab.on("response", record)
    yield tab
    context.close()
    (ARTIFACTS / "server-timing.json").write_text(json.dumps(TIMINGS, indent=2))


def shot(page: Any, name: str, **kw: Any) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True, **kw)


def sign_in(page: Any, key: str, screenshot: str | None = None) -> None:
    page.goto("/portal")
    assert "/portal/sign-in" in page.url
    page.get_by_label("API key").fill(key)
    if screenshot:
        shot(page, screenshot)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Portfolio").wait_for()
    cookies = {c["name"]: c for c in page.context.cookies()}
    session = cookies["techplan_session"]
    assert session["httpOnly"] and session["sameSite"] == "Lax"
    assert key not in session["value"] and key not in page.content()


def test_admin_reschedules_and_sees_the_decision_in_the_timeline(page: Any, served: Served) -> None:
    review = served.api(
        "POST",
        f"/v1/clients/{served.demo['ids']['dental']}/reviews",
        json={"title": "Q4 business review", "scheduled_for": datetime.now(UTC).date().isoformat()},
    )
    assert review.status_code == 201, review.text
    hook = served.api(
        "POST",
        "/v1/webhooks",
        json={"url": "http://127.0.0.1:9/psa", "event_types": ["plan.*"], "description": "PSA"},
    )
    assert hook.status_code == 201, hook.text
    served.caught_up(review.json()["position"])

    sign_in(page, served.admin_key, screenshot="01-sign-in")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    assert page.get_by_role("link", name=DENTAL).is_visible()
    shot(page, "02-portfolio")

    page.get_by_role("link", name=DENTAL).click()
    page.get_by_role("heading", name=DENTAL, level=1).wait_for()
    assert page.locator("figure.chart svg[role=img]").count() == 1
    unlabelled = page.evaluate(
        """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
             .filter(e => !(e.labels && e.labels.length)).length"""
    )
    assert unlabelled == 0
    shot(page, "03-client")
    page.set_viewport_size({"width": 768, "height": 1024})
    shot(page, "03b-client-tablet")
    page.set_viewport_size({"width": 1280, "height": 900})

    # complete the review, so that "since the last review" has a window
    review_item = page.locator(f"#review-{review.json()['id']}")
    review_item.locator("summary", has_text="Complete this review").click()
    review_item.get_by_label("Summary").fill("Walked through the roadmap and the budget.")
    review_item.get_by_role("button", name="Complete review").click()
    expect(page.locator(f"#review-{review.json()['id']}")).to_contain_text("completed")

    # reschedule an initiative, with its rationale
    item = page.locator("li.initiative", has_text="Imaging archive to cloud storage")
    item.locator("summary", has_text="Reschedule").click()
    options = item.get_by_label("Move to quarter").locator("option").all_inner_texts()
    target = options[3]
    item.get_by_label("Move to quarter").select_option(target)
    rationale = "Imaging vendor slipped its migration tool; moved out with the partners' consent."
    item.get_by_label("Why (rationale)").first.fill(rationale)
    item.get_by_role("button", name="Reschedule").click()
    page.locator(f"section[aria-labelledby='q-{target}']").get_by_text(
        "Imaging archive to cloud storage"
    ).wait_for()

    # a refused form: the problem next to its field, what was typed kept
    item = page.locator("li.initiative", has_text="Imaging archive to cloud storage")
    item.locator("summary", has_text="Defer").click()
    item.get_by_label("Defer to a later quarter").select_option(options[1])
    item.get_by_label("Why (rationale)").nth(1).fill("Try an earlier quarter")
    item.get_by_role("button", name="Defer").click()
    problem = page.locator("p.error[role=alert]").first
    problem.wait_for()
    assert "quarter after" in problem.inner_text()
    assert page.locator("textarea", has_text="Try an earlier quarter").count() == 1
    shot(page, "04-refused-form")

    page.get_by_role("link", name="Decision timeline").click()
    page.get_by_role("heading", name="Decision timeline").wait_for()
    first = page.locator("li.decision").first
    assert "plan.initiative_rescheduled" in first.inner_text()
    assert rationale in first.inner_text()
    assert target in first.locator("table.changes").inner_text()
    shot(page, "05-timeline")

    page.get_by_role("link", name="Since the last review").click()
    page.get_by_role("heading", name="Since the last review").wait_for()
    assert rationale in page.locator("main").inner_text()
    shot(page, "06-since-review")

    page.get_by_role("link", name="Time travel").click()
    page.get_by_role("heading", name="Time travel").wait_for()
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#result-h")).to_contain_text("version")
    shot(page, "07-time-travel")

    page.get_by_role("link", name="Webhooks").click()
    page.get_by_role("heading", name="Webhooks").wait_for()
    assert "http://127.0.0.1:9/psa" in page.locator("main").inner_text()
    shot(page, "08-webhooks")

    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("API key").wait_for()
    page.goto("/portal")
    assert "/portal/sign-in" in page.url


def test_client_contact_approves_a_budget_and_cannot_reach_another_client(
    page: Any, served: Served
) -> None:
    dental = served.demo["ids"]["dental"]
    year = datetime.now(UTC).year + 2
    budget = served.api("POST", f"/v1/clients/{dental}/budgets", json={"fiscal_year": year})
    assert budget.status_code == 201, budget.text
    bid = budget.json()["id"]
    line = {"category": "security", "quarter": "Q1", "amount_minor": 480_000, "kind": "opex"}
    assert served.api("POST", f"/v1/budgets/{bid}/lines", json=line).status_code == 201
    submitted = served.api("POST", f"/v1/budgets/{bid}/submit", json={"rationale": "for you"})
    assert submitted.status_code == 200
    key = served.api(
        "POST",
        "/v1/api-keys",
        json={"name": "Dr. Okafor", "role": "client", "client_ids": [dental]},
    )
    assert key.status_code == 201
    served.caught_up(submitted.json()["position"])

    sign_in(page, key.json()["key"])
    main = page.locator("main").inner_text()
    assert DENTAL in main and MANUFACTURER not in main
    shot(page, "09-client-contact-portfolio")

    page.goto(f"/portal/clients/{dental}?budget={bid}")
    page.locator("summary", has_text="Approve this budget").click()
    page.get_by_label("Why (rationale)").last.fill("Signed off at the partners' meeting.")
    shot(page, "10-client-contact-approves")
    page.get_by_role("button", name="Approve budget").click()
    page.locator("#budget .status-approved").first.wait_for()
    assert served.api("GET", f"/v1/budgets/{bid}").json()["status"] == "approved"

    other = served.demo["ids"]["mfg"]
    response = page.goto(f"/portal/clients/{other}")
    assert response is not None and response.status == 404
    assert MANUFACTURER not in page.content()
    shot(page, "11-other-client-404")
