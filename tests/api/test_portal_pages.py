"""Portal pages: the portfolio (sorted, paged), a client (strategy, roadmap by quarter with the
unscheduled apart, the budget chart with variance), the decision timeline with its filters,
time travel, and what changed since the last review."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
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


def budget_with_lines(api: Api, client_id: str, plan_id: str | None = None) -> tuple[str, int]:
    fy = datetime.now(UTC).year
    r = api.post(f"/v1/clients/{client_id}/budgets", {"fiscal_year": fy, "plan_id": plan_id})
    assert r.status_code == 201, r.text
    bid = str(r.json()["id"])
    position = 0
    for quarter, amount in (("Q1", 120_000), ("Q3", 45_050)):
        body = {"category": "hardware", "quarter": quarter, "amount_minor": amount, "kind": "capex"}
        r = api.post(f"/v1/budgets/{bid}/lines", body)
        assert r.status_code == 201, r.text
        position = r.json()["position"]
    return bid, position


def test_portfolio_is_sorted_and_paged(api: Api, browser: Browser) -> None:
    names = [f"Client {n:02d}" for n in range(30)]
    made = [api.client(name) for name in reversed(names)]
    first = browser.get(f"/portal?sort=name&size=25&fresh={made[-1]['position']}")
    assert first.status_code == 200
    shown = [n for n in names if n in first.text]
    assert shown == names[:25]
    body = text(first)
    assert body.index("Client 00") < body.index("Client 01") < body.index("Client 24")
    nxt = browser.get(first.text.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&"))
    assert [n for n in names if n in nxt.text] == names[25:]
    backwards = text(browser.get("/portal?sort=-name&size=25"))
    assert backwards.index("Client 29") < backwards.index("Client 28")
    newest = text(browser.get("/portal?sort=-added&size=25"))
    assert newest.index("Client 00") < newest.index("Client 01")  # created last
    assert browser.get("/portal?sort=nonsense").status_code == 422
    assert browser.get("/portal?size=7").status_code == 422


def test_portfolio_row_shows_strategy_status_budget_and_alignment(
    api: Api, browser: Browser
) -> None:
    s = setup(api)
    initiative(api, s.plan, [s.goal])
    initiative(api, s.plan, [], title="Orphan initiative")
    position = budget_with_lines(api, s.client_id)[1]
    page = text(browser.get(f"/portal?fresh={position}"))
    assert "IT strategy 2027" in page and "proposed 2" in page
    assert "€1,650.50" in page  # planned, in the client's currency
    # planned / actual, then the unaligned count: the initiative that serves no goal
    assert "(draft): €1,650.50 / €0.00 1 " in page


def test_client_page_shows_strategy_roadmap_and_budget_chart(api: Api, browser: Browser) -> None:
    s = setup(api)
    r = browser.get(f"/portal/clients/{s.client_id}")
    assert r.status_code == 200
    this_quarter = r.text.split('<section class="quarter" aria-labelledby="q-')[1].split('"')[0]
    initiative(api, s.plan, [s.goal], title="Firewall refresh", target_quarter=this_quarter)
    initiative(api, s.plan, [s.goal], title="Someday project", target_quarter=None)
    bid, position = budget_with_lines(api, s.client_id, s.plan)
    page = browser.get(f"/portal/clients/{s.client_id}?fresh={position}")
    body = text(page)
    assert "Resilience" in body and "high" in body  # goal with its priority
    quarter_section = page.text.split(f'id="q-{this_quarter}"')[1].split("</section>")[0]
    assert "Firewall refresh" in quarter_section and "Someday project" not in quarter_section
    unscheduled = page.text.split('id="q-unscheduled"')[1].split("</section>")[0]
    assert "Someday project" in unscheduled and "Firewall refresh" not in unscheduled
    assert "<svg" in page.text and "<script" not in page.text.split("<svg")[1].split("</svg>")[0]
    assert 'role="img"' in page.text
    assert "€1,200.00" in body and "€450.50" in body and "€1,650.50" in body  # by quarter, year
    assert "variance" in body.lower()
    assert bid in page.text


def test_unknown_or_foreign_client_is_404(api: Api, other: Api, browser: Browser) -> None:
    theirs = other.client("Not yours")
    r = browser.get(f"/portal/clients/{theirs['id']}")
    assert r.status_code == 404 and "Not yours" not in r.text
    assert browser.get("/portal/clients/not-a-uuid").status_code == 404
    assert browser.get(f"/portal/clients/{theirs['id']}/timeline").status_code == 404


def test_timeline_shows_decisions_with_rationale_and_filters(api: Api, browser: Browser) -> None:
    s = setup(api)
    iid = initiative(api, s.plan, [s.goal], title="Backup overhaul")
    r = api.patch(
        f"/v1/plans/{s.plan}/initiatives/{iid}",
        {"target_quarter": "FY2028-Q3", "rationale": "budget freeze until next year"},
    )
    assert r.status_code == 200
    position = r.json()["position"]
    page = browser.get(f"/portal/clients/{s.client_id}/timeline?fresh={position}")
    body = text(page)
    assert "plan.initiative_rescheduled" in body
    assert "budget freeze until next year" in body
    assert "Backup overhaul \u203a target quarter" in body  # ids named by their titles
    assert "FY2027-Q2" in body and "FY2028-Q3" in body  # before and after
    only_strategy = text(browser.get(f"/portal/clients/{s.client_id}/timeline?kind=strategy"))
    assert "strategy.adopted" in only_strategy and "plan.initiative" not in only_strategy
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    later = text(browser.get(f"/portal/clients/{s.client_id}/timeline?since={tomorrow}"))
    assert "No decisions match" in later
    assert browser.get(f"/portal/clients/{s.client_id}/timeline?kind=bogus").status_code == 422
    assert browser.get(f"/portal/clients/{s.client_id}/timeline?since=yesterday").status_code == 422


def test_timeline_filters_by_actor(api: Api, browser: Browser) -> None:
    s = setup(api)
    editor = api.key_for("editor")
    initiative(editor, s.plan, [s.goal], title="By the editor")
    position = editor.get(f"/v1/plans/{s.plan}/history").json()["items"][-1]["position"]
    page = browser.get(f"/portal/clients/{s.client_id}/timeline?fresh={position}")
    options = page.text.split("(editor)</option>")[0]
    editor_id = options.rsplit('<option value="', 1)[1].split('"')[0]
    mine = text(browser.get(f"/portal/clients/{s.client_id}/timeline?actor={editor_id}"))
    assert "plan.initiative_proposed" in mine and "strategy.adopted" not in mine


def test_time_travel_shows_a_plan_as_it_stood(api: Api, browser: Browser) -> None:
    s = setup(api)
    initiative(api, s.plan, [s.goal], title="Added today")
    today = datetime.now(UTC).date()
    url = f"/portal/clients/{s.client_id}/time-travel?what=plan:{s.plan}"
    now = text(browser.get(f"{url}&on={today.isoformat()}"))
    assert "Added today" in now and "version 2" in now
    before = browser.get(f"{url}&on={(today - timedelta(days=1)).isoformat()}")
    assert before.status_code == 404  # the plan did not exist yet
    bid, _ = budget_with_lines(api, s.client_id)
    budget = browser.get(f"/portal/clients/{s.client_id}/time-travel?what=budget:{bid}&on={today}")
    assert "<svg" in budget.text and "€450.50" in text(budget)


def test_since_the_last_review_lists_decisions_and_net_changes(api: Api, browser: Browser) -> None:
    s = setup(api)
    iid = initiative(api, s.plan, [s.goal], title="Laptop refresh")
    empty = text(browser.get(f"/portal/clients/{s.client_id}/since-review"))
    assert "No review of this client has been completed yet" in empty
    r = api.post(
        f"/v1/clients/{s.client_id}/reviews", {"title": "QBR Q1", "scheduled_for": "2027-01-15"}
    )
    rid = r.json()["id"]
    assert api.post(f"/v1/reviews/{rid}/complete", {"summary": "ok"}).status_code == 200
    r = act(api, s.plan, iid, "approve")
    assert r.status_code == 200
    page = text(
        browser.get(f"/portal/clients/{s.client_id}/since-review?fresh={r.json()['position']}")
    )
    assert "QBR Q1" in page
    assert "plan.initiative_approved" in page and "approve!" in page
    assert "Laptop refresh \u203a status" in page and "proposed" in page and "approved" in page


def _previous(quarter: str, n: int = 1) -> str:
    year, q = int(quarter[2:6]), int(quarter[-1])
    for _ in range(n):
        year, q = (year, q - 1) if q > 1 else (year - 1, 4)
    return f"FY{year}-Q{q}"


def test_an_overdue_initiative_stays_in_sight_in_its_past_quarter(
    api: Api, browser: Browser
) -> None:
    s = setup(api)
    first = browser.get(f"/portal/clients/{s.client_id}")
    now = first.text.split('<section class="quarter" aria-labelledby="q-')[1].split('"')[0]
    past, empty_past = _previous(now, 4), _previous(now, 2)  # a year ago, and half a year
    initiative(api, s.plan, [s.goal], title="Overdue refresh", target_quarter=past)
    position = api.get(f"/v1/plans/{s.plan}/history").json()["items"][-1]["position"]
    page = browser.get(f"/portal/clients/{s.client_id}?fresh={position}")
    section = page.text.split(f'<section class="quarter past" aria-labelledby="q-{past}"')[1]
    assert "Overdue refresh" in section.split("</section>")[0]
    assert f'aria-labelledby="q-{empty_past}"' not in page.text  # empty past quarters left out


def test_techplan_dev_prints_the_portal(settings: Any) -> None:
    from services.dev import banner

    shown = banner(
        "http://127.0.0.1:8000", {"api_key": "tpk_x", "first": True, "tenant_id": "t"}, settings, []
    )
    assert "Portal        http://127.0.0.1:8000/portal" in shown
