"""The QBR report for the demo's dental client in headless Chromium, against a real
`techplan serve` and `techplan worker`: the report page, then its PDF downloaded as a browser
downloads it, printed by the server's Chromium; pypdf reads the text back, which must name the
window's decisions and their rationale. The PDFs and screenshots go to .artifacts/portal/,
outside git; the page counts are printed (run with -s to see them)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from domain.calendar import FiscalQuarter
from tests.browser.conftest import ARTIFACTS, Served

DENTAL = "Brightsmile Dental Group"
IMAGING = "Imaging archive to cloud storage"


@pytest.fixture
def page(browser: Any, served: Served) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=served.base, accept_downloads=True
    )
    tab = context.new_page()
    yield tab
    context.close()


def sign_in(page: Any, key: str) -> None:
    page.goto("/portal")
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Portfolio").wait_for()


def download_pdf(page: Any, name: str) -> tuple[Path, str, int]:
    """Click "Download PDF"; the file saved under the artefacts, its text, its page count."""
    with page.expect_download(timeout=90_000) as info:
        page.get_by_role("link", name="Download PDF").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    target = ARTIFACTS / name
    download.save_as(str(target))
    assert target.read_bytes().startswith(b"%PDF-")
    reader = PdfReader(target)
    words = flat(" ".join(p.extract_text() or "" for p in reader.pages))
    return target, words, len(reader.pages)


def flat(text: str) -> str:
    """Spaces collapsed; a word broken after its hyphen at a line's end joined again."""
    return re.sub(r"-\s+", "-", " ".join(text.split()))


def window_decisions(served: Served, client_id: str) -> list[dict[str, Any]]:
    """The decisions of the report's default window, from the API: after the latest completed
    review, or all of them when none is completed."""
    listed = served.api("GET", f"/v1/clients/{client_id}/reviews?limit=100").json()["items"]
    done = [r for r in listed if r["status"] == "completed"]
    latest = max(done, key=lambda r: r["completed_position"], default=None)
    query = f"since_review={latest['id']}" if latest else "since=2000-01-01T00:00:00Z"
    found: list[dict[str, Any]] = []
    cursor = ""
    while True:
        r = served.api("GET", f"/v1/clients/{client_id}/changes?{query}&limit=100{cursor}")
        assert r.status_code == 200, r.text
        body = r.json()
        found += body["decisions"]
        if not body.get("next_cursor"):
            return found
        cursor = f"&cursor={body['next_cursor']}"


def test_qbr_pdf_names_the_decisions_and_their_rationale(page: Any, served: Served) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    dental = served.demo["ids"]["dental"]
    sign_in(page, served.admin_key)
    page.goto(f"/portal/clients/{dental}")
    page.get_by_role("link", name="QBR report").click()
    page.get_by_role("heading", name=f"Quarterly business review · {DENTAL}").wait_for()
    main = page.locator("main").inner_text()
    for section in ("Strategy and goals", "Roadmap: the next four quarters", "Budget"):
        assert section in main
    assert "Initiatives that serve no goal" in main
    assert page.locator("article.qbr figure.chart svg[role=img]").count() == 1
    page.screenshot(path=str(ARTIFACTS / "12-qbr.png"), full_page=True)

    # the demo as loaded: the window starts after its latest completed review (if any)
    expected = window_decisions(served, dental)
    assert any(d["rationale"] for d in expected)
    path, words, pages = download_pdf(page, "qbr-dental-demo.pdf")
    print(f"\nQBR PDF for the demo client: {pages} pages, {len(expected)} decisions, {path}")
    assert f"Quarterly business review · {DENTAL}" in words
    assert "Initiatives that serve no goal" in words
    for decision in expected:
        assert decision["type"] in words
        if decision["rationale"]:
            assert flat(decision["rationale"]) in words, decision["rationale"]

    # a review completed, then one decision: the next report's window holds that one only
    review = served.api(
        "POST",
        f"/v1/clients/{dental}/reviews",
        json={"title": "Winter QBR", "scheduled_for": datetime.now(UTC).date().isoformat()},
    )
    assert review.status_code == 201, review.text
    done = served.api("POST", f"/v1/reviews/{review.json()['id']}/complete", json={})
    assert done.status_code == 200, done.text
    plan_id = served.demo["ids"]["dental.plan"]
    plan = served.api("GET", f"/v1/plans/{plan_id}").json()
    imaging = next(i for i in plan["initiatives"] if i["title"] == IMAGING)
    client = served.api("GET", f"/v1/clients/{dental}").json()
    later = FiscalQuarter.containing(datetime.now(UTC).date(), client["fiscal_year_start_month"])
    for _ in range(3):
        later = later.next()
    rationale = "Imaging vendor slipped its migration tool; moved out with the partners' consent."
    moved = served.api(
        "PATCH",
        f"/v1/plans/{plan_id}/initiatives/{imaging['id']}",
        json={"target_quarter": str(later), "rationale": rationale},
    )
    assert moved.status_code == 200, moved.text
    served.caught_up(moved.json()["position"])

    page.goto(f"/portal/clients/{dental}/qbr")
    page.get_by_role("heading", name=re.compile("Decisions since Winter QBR")).wait_for()
    page.screenshot(path=str(ARTIFACTS / "13-qbr-since-review.png"), full_page=True)
    path, words, pages = download_pdf(page, "qbr-dental-since-review.pdf")
    print(f"QBR PDF for the demo client since the review: {pages} pages, {path}")
    assert "Decisions since Winter QBR (1)" in words
    assert "plan.initiative_rescheduled" in words and rationale in words
    assert str(later) in words
    before = [d["rationale"] for d in expected if d["rationale"]]
    assert flat(before[-1]) not in words  # decided before the window
