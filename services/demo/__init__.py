"""Demo data for `techplan dev`: a tenant "Demo MSP" with clients whose strategies changed.

The demo tells a story over the past months, as data (strategies.py, tactical.py), that
runner.py plays through the same use cases the API calls, each step at its own backdated
time: the history reads like decisions taken at meetings, and `as_of` queries find something
to show. Dates (target quarters, fiscal years) are computed from each step's own date, so the
story fits whatever day the demo is loaded.

Adding to the demo: add steps to a chapter, or a chapter to `CHAPTERS`; steps name what
earlier steps made by their keys. Steps of every chapter run in one chronological order
(chapters in this order on the same day), so timestamps also grow along the notification log.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from services.auth import authenticate, create_tenant
from services.bootstrap import Container
from services.demo.assessments import DENTAL_ASSESSMENTS, MFG_ASSESSMENTS
from services.demo.library import LIBRARY
from services.demo.runner import Chapter, Demo
from services.demo.strategies import DENTAL, LAW_FIRM, MANUFACTURER, PROPERTY_MANAGER
from services.demo.tactical import DENTAL_BUDGET, DENTAL_PLAN, MANUFACTURER_PLAN

DEMO_TENANT = "Demo MSP"

CHAPTERS: list[Chapter] = [
    DENTAL,
    LAW_FIRM,
    MANUFACTURER,
    PROPERTY_MANAGER,
    DENTAL_PLAN,
    MANUFACTURER_PLAN,
    DENTAL_BUDGET,
    LIBRARY,
    DENTAL_ASSESSMENTS,
    MFG_ASSESSMENTS,
]


def find_demo_tenant(c: Container) -> UUID | None:
    with c.db.tx() as cur:
        cur.execute(
            "SELECT id FROM tenants WHERE name = %s ORDER BY created_at LIMIT 1", (DEMO_TENANT,)
        )
        row = cur.fetchone()
    return row["id"] if row else None


def load_demo(container: Container, *, now: datetime | None = None) -> dict[str, Any]:
    """Create the demo tenant, its admin key and its clients' histories (every time it is
    called: callers check `find_demo_tenant` first). Returns the tenant, the key and ids."""
    tenant = create_tenant(container.db, DEMO_TENANT)
    key = tenant["api_key"]["key"]
    principal = authenticate(container.db, f"Bearer {key}")
    demo = Demo(c=container, principal=principal)
    demo.run([step for chapter in CHAPTERS for step in chapter], today=now or datetime.now(UTC))
    return {
        "tenant_id": tenant["id"],
        "tenant_name": DEMO_TENANT,
        "api_key": key,
        "api_key_id": tenant["api_key"]["id"],
        "ids": {name: str(value) for name, value in demo.ids.items()},
        "steps": demo.steps_run,
    }
