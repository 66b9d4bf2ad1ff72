"""The quarterly business review (QBR) report: one client, one review window, as a portal page
and as a PDF.

The window starts after a completed review (the client's latest by default, or the one chosen)
and ends now; with no review completed yet it holds every decision so far. The report reads
what the client page and "since the last review" read (the same use cases and read-model
queries, so the same roles), plus the alignment view of GET /v1/clients/{cid}/alignment.

The PDF is Chromium's print of the same template (`chromium --headless --print-to-pdf`, Debian's
package; TECHPLAN_CHROMIUM names another binary): the chart is pygal's SVG, inline, so the
printed page needs no script, and the document's own Content-Security-Policy forbids any
fetch. Without a Chromium the PDF answers 503 with the reason; the HTML page still works.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any
from uuid import UUID

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from domain.calendar import FiscalQuarter
from domain.client import Client
from domain.review import Review
from projections import alignment, audit
from services.api.common import in_thread
from services.errors import Invalid, NotFound, ServiceError
from services.portal import reads
from services.portal.charts import budget_by_quarter
from services.portal.web import HERE, SECURITY_HEADERS, TEMPLATES, Page, uuid_or_404

QUARTERS = 4  # the roadmap's quarters, from the one containing today
DECISIONS_SHOWN = 200  # the decision timeline pages through all of them
CHANGES_SHOWN = 6  # rows of "what changed" per decision; the timeline has them all
RENDER_TIMEOUT = 25.0  # seconds Chromium may print one report (within TECHPLAN_REQUEST_TIMEOUT)
RENDERS = threading.BoundedSemaphore(2)  # Chromium processes at once, per API process


class RendererUnavailable(ServiceError):
    """No PDF renderer here, or it failed: the HTML report is still there."""

    status = 503
    title = "Service Unavailable"


# ---------------------------------------------------------------- what the report holds


def report(page: Page, client_id: UUID, review_id: UUID | None) -> dict[str, Any]:
    c = reads.client(page, client_id)
    completed = reads.completed_reviews(page, c)
    review = _window_start(page, c, review_id, completed)
    overview = reads.client_overview(page, c, None)
    current = FiscalQuarter.containing(reads.today(page), c.fiscal_year_start_month)
    shown = {str(current)}
    for _ in range(QUARTERS - 1):
        current = current.next()
        shown.add(str(current))
    where = audit.AuditFilter(
        client_id=c.id, after_position=review["completed_position"] if review else None
    )
    with page.container.db.tenant_tx(page.principal.tenant_id) as cur:
        decisions = audit.decisions(cur, where, limit=DECISIONS_SHOWN + 1)
        aligned = alignment.alignment(cur, c.id)
    budget = overview["budget"]
    return {
        **overview,
        "quarters_shown": [q for q in overview["roadmap"]["quarters"] if q["quarter"] in shown],
        "completed": completed,
        "review": review,
        "decisions": [_shown(item) for _, item in decisions[:DECISIONS_SHOWN]],
        "more_decisions": len(decisions) > DECISIONS_SHOWN,
        "alignment": aligned,
        "chart": budget_by_quarter(budget) if budget else None,
        "names": reads.titles(page, c),
        "prepared_on": reads.today(page).isoformat(),
    }


def _shown(item: dict[str, Any]) -> dict[str, Any]:
    """A decision with the first few of its changes (totals follow from lines: left out)."""
    rows = [c for c in item.get("changes") or [] if not c["path"].startswith("/totals/")]
    return {**item, "rows": rows[:CHANGES_SHOWN], "more_rows": max(len(rows) - CHANGES_SHOWN, 0)}


def _window_start(
    page: Page, c: Client, review_id: UUID | None, completed: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The completed review the window starts after: the one asked for, else the latest."""
    if review_id is None:
        return completed[0] if completed else None
    review = page.container.store.load(Review, review_id, page.principal)
    if review.client_id != c.id:
        raise NotFound("review not found")
    if review.completed_position is None:
        raise Invalid("the review is not completed yet", field="review")
    view: dict[str, Any] = review.view()
    return view


# ---------------------------------------------------------------- the page and the PDF


@get("/clients/{client_id:str}/qbr", name="portal:qbr")
async def qbr_page(
    page: NamedDependency[Page],
    client_id: FromPath[str],
    review: FromQuery[str | None] = None,
    fresh: FromQuery[int | None] = None,
) -> Response[str]:
    current = await reads.fresh(page, fresh, "roadmap", "budgets", "reviews", "plans", "audit")
    return await in_thread(_qbr_page, page, client_id, review, current)


def _qbr_page(page: Page, client_id: str, review: str | None, current: bool) -> Response[str]:
    values = report(page, *_ids(client_id, review))
    return page.render("qbr.html", current=current, **values)


@get("/clients/{client_id:str}/qbr.pdf", sync_to_thread=True, name="portal:qbr-pdf")
def qbr_pdf(
    page: NamedDependency[Page],
    client_id: FromPath[str],
    review: FromQuery[str | None] = None,
) -> Response[bytes]:
    values = report(page, *_ids(client_id, review))
    document = TEMPLATES.get_template("qbr_document.html").render(
        page=page, principal=page.principal, css=_css(), **values
    )
    name = re.sub(r"[^A-Za-z0-9]+", "-", values["client"]["name"]).strip("-").lower() or "client"
    return Response(
        print_pdf(page, document),
        media_type="application/pdf",
        headers={
            **SECURITY_HEADERS,
            "Content-Disposition": f'attachment; filename="qbr-{name}-{values["prepared_on"]}.pdf"',
        },
    )


def _ids(client_id: str, review: str | None) -> tuple[UUID, UUID | None]:
    return uuid_or_404(client_id, "client"), uuid_or_404(review, "review") if review else None


def _css() -> str:
    return (HERE / "static" / "portal.css").read_text(encoding="utf-8")


def chromium(page: Page) -> str | None:
    """The Chromium that prints: TECHPLAN_CHROMIUM, else `chromium` on PATH."""
    configured = page.container.settings.chromium
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def print_pdf(page: Page, document: str) -> bytes:
    """The document printed by headless Chromium, in a throwaway profile and directory."""
    binary = chromium(page)
    if binary is None:
        raise RendererUnavailable(
            "the PDF cannot be printed here: no Chromium found (install Debian's chromium or"
            " set TECHPLAN_CHROMIUM); the HTML report prints from the browser too"
        )
    if not RENDERS.acquire(timeout=RENDER_TIMEOUT):
        raise RendererUnavailable("the PDF printer is busy: try again in a moment")
    try:
        with tempfile.TemporaryDirectory(prefix="techplan-qbr-") as raw:
            work = Path(raw)
            source, target = work / "qbr.html", work / "qbr.pdf"
            source.write_text(document, encoding="utf-8")
            command = [
                binary,
                "--headless",
                "--disable-gpu",
                "--disable-extensions",
                "--no-first-run",
                "--no-pdf-header-footer",
                f"--user-data-dir={work / 'profile'}",
                f"--print-to-pdf={target}",
                source.as_uri(),
            ]
            if hasattr(os, "geteuid") and os.geteuid() == 0:
                command.insert(1, "--no-sandbox")  # Chromium refuses root with its sandbox
            try:
                done = subprocess.run(
                    command, capture_output=True, timeout=RENDER_TIMEOUT, check=False
                )
            except subprocess.TimeoutExpired:
                raise RendererUnavailable("printing the PDF took too long: try again") from None
            except OSError as exc:
                raise RendererUnavailable(f"Chromium could not start: {exc.strerror}") from None
            if done.returncode != 0 or not target.exists():
                raise RendererUnavailable(f"Chromium could not print the PDF ({done.returncode})")
            return target.read_bytes()
    finally:
        RENDERS.release()
