"""A tenant's reads seek to its own rows in an index; they never walk other tenants' rows.

Row-level security alone keeps the rows out of the answer but not out of the work: its
policy (the tenant's rows, or every row for the projector) is an OR that cannot be an index
condition, so a read that does not itself name the tenant (or another column that leads one
of the table's indexes) walks every tenant's rows and filters them: with 2M events the audit
page answered nothing within 5 s. Each read here is planned with sequential scans off and
every scan of a table with tenants must be an index scan whose condition fixes the index's
leading column, so the work is bounded by what the tenant has, however big the store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from bench.workload import Workload
from domain.calendar import FiscalQuarter
from projections import (
    alignment,
    assessments,
    audit,
    budgets,
    clients,
    plans,
    portfolio,
    reviews,
    roadmap,
    standards,
    strategies,
)
from services.webhooks import subscriptions as webhooks
from tests.integration.readside import own_container


class Recording:
    """A cursor that remembers what was executed on it."""

    def __init__(self, cur: Any) -> None:
        self.cur, self.statements = cur, []

    def execute(self, query: Any, params: Any = None) -> Any:
        self.statements.append((query, params))
        return self.cur.execute(query, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.cur, name)


@pytest.fixture(scope="module")
def store(settings: Any) -> Iterator[tuple[Any, UUID, UUID]]:
    with own_container(settings) as c:
        workload = Workload(c.store, seed=5, tenants=3)  # three tenants' stories interleave
        for _ in range(6):
            for _ in workload.client_story(rounds=2):
                pass
        c.runner.catch_up()
        with c.db.projector_tx() as cur:
            cur.execute("SELECT tenant_id, id FROM clients_view ORDER BY created_position LIMIT 1")
            row = cur.fetchone()
        yield c, row["tenant_id"], row["id"]


def reads(cur: Any, client_id: UUID) -> None:
    """What the API's lists, the portfolio and the audit trail ask of the read models."""
    page = {"after": 0, "limit": 51}
    audit.search(cur, audit.AuditFilter(), before=None, limit=51)
    audit.search(
        cur, audit.AuditFilter(client_id=client_id, tenant_wide=True), before=None, limit=51
    )
    audit.actors(cur, client_id)
    audit.decisions(cur, audit.AuditFilter(client_id=client_id, after_position=0), limit=51)
    clients.list_clients(cur, client_ids=None, **page)
    portfolio.list_portfolio(cur, client_ids=None, today=date(2026, 12, 6), **page)
    portfolio.sorted_page(cur, client_ids=None, order="name", after=None, limit=51)
    plans.list_plans(cur, client_id, **page)
    budgets.list_budgets(cur, client_id, **page)
    strategies.list_strategies(cur, client_id, **page)
    reviews.list_reviews(cur, client_id, **page)
    assessments.list_assessments(cur, client_id, **page)
    standards.list_standards(cur, category=None, status=None, **page)
    standards.active_ids(cur)
    webhooks.list_subscriptions(cur, **page)
    alignment.alignment(cur, client_id)
    calendar = roadmap.client_calendar(cur, client_id)
    assert calendar is not None
    roadmap.roadmap(cur, calendar, *_quarters())


def _quarters() -> tuple[FiscalQuarter, FiscalQuarter]:
    first = FiscalQuarter.parse("FY2026-Q1")
    return first, FiscalQuarter.parse("FY2027-Q4")


def scans(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from scans(child)


def test_every_read_seeks_to_its_tenant(store: tuple[Any, UUID, UUID]) -> None:
    c, tenant_id, client_id = store
    with c.db.tenant_tx(tenant_id) as cur:
        recording = Recording(cur)
        reads(recording, client_id)
        cur.execute(
            "SELECT c.relname AS name FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid"
            " WHERE a.attname = 'tenant_id' AND c.relkind = 'r'"
        )
        tenant_tables = {r["name"] for r in cur.fetchall()}
        cur.execute("SET LOCAL enable_seqscan = off")
        walks = []
        for query, params in recording.statements:
            cur.execute(f"EXPLAIN (FORMAT JSON) {query}", params)
            row = cur.fetchone()
            plan = next(iter(row.values()))
            plan = json.loads(plan) if isinstance(plan, str) else plan
            for node in scans(plan[0]["Plan"]):
                table = node.get("Relation Name")
                if table not in tenant_tables and "Index Name" not in node:
                    continue
                walks += _walks(cur, node, tenant_tables, query)
    assert len(recording.statements) >= 18
    assert walks == []


def _walks(cur: Any, node: dict[str, Any], tenant_tables: set[str], query: Any) -> list[str]:
    """The scan node, described, when it reads more than one tenant's part of its table."""
    kind = node["Node Type"]
    if kind == "Seq Scan":
        return [f"{kind} on {node['Relation Name']}: {str(query)[:120]}"]
    if "Index Name" not in node:
        return []
    cur.execute(
        "SELECT t.relname AS tbl, a.attname AS first FROM pg_index i"
        " JOIN pg_class t ON t.oid = i.indrelid"
        " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
        " WHERE i.indexrelid = %s::regclass",
        (node["Index Name"],),
    )
    index = cur.fetchone()
    if index["tbl"] not in tenant_tables:
        return []
    condition = node.get("Index Cond", "")
    if f"({index['first']} = " in condition or f"({index['first']} = ANY" in condition:
        return []
    return [f"{kind} {node['Index Name']} [{condition}]: {str(query)[:120]}"]
