"""Assessments: one row per assessment (with its score, kept current as answers come in) and
one row per item, from which the score is computed by the domain's own rule; the portfolio
reads each client's latest completed score here (projections/portfolio.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg.types.json import Jsonb

from domain.assessment import Assessment
from domain.category import Category
from domain.scoring import Result, Scored, score
from domain.shared import rfc3339
from infra.db import Cursor
from projections.base import Projection

A = Assessment

projection = Projection()
projection.name = "assessments"
projection.tables = ("assessments_view", "assessment_items_view")
projection.ddl = (
    """CREATE TABLE IF NOT EXISTS assessments_view (
        tenant_id uuid NOT NULL,
        client_id uuid NOT NULL,
        id uuid PRIMARY KEY,
        title text NOT NULL,
        status text NOT NULL,
        score jsonb NOT NULL,
        items int NOT NULL,
        answered int NOT NULL DEFAULT 0,
        findings_proposed int NOT NULL DEFAULT 0,
        completed_at timestamptz,
        completed_position bigint,
        version int NOT NULL,
        created_position bigint NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS assessments_view_client"
    " ON assessments_view (tenant_id, client_id, created_position)",
    "CREATE INDEX IF NOT EXISTS assessments_view_completed"
    " ON assessments_view (client_id, completed_position) WHERE status = 'completed'",
    """CREATE TABLE IF NOT EXISTS assessment_items_view (
        tenant_id uuid NOT NULL,
        assessment_id uuid NOT NULL,
        standard_id uuid NOT NULL,
        seq int NOT NULL,
        category text NOT NULL,
        weight int NOT NULL,
        result text,
        initiative_id uuid,
        PRIMARY KEY (assessment_id, standard_id))""",
)


def _rescore(cur: Cursor, e: Any) -> None:
    cur.execute(
        "SELECT category, weight, result, initiative_id FROM assessment_items_view"
        " WHERE assessment_id = %s ORDER BY seq",
        (e.originator_id,),
    )
    rows = cur.fetchall()
    items = [
        Scored(
            Category(r["category"]),
            r["weight"],
            None if r["result"] is None else Result(r["result"]),
        )
        for r in rows
    ]
    cur.execute(
        "UPDATE assessments_view SET score = %s, answered = %s, findings_proposed = %s,"
        " version = %s WHERE id = %s",
        (
            Jsonb(score(items)),
            sum(r["result"] is not None for r in rows),
            sum(r["initiative_id"] is not None for r in rows),
            e.originator_version,
            e.originator_id,
        ),
    )


@projection.on(A.Created)
def created(cur: Cursor, e: A.Created, position: int) -> None:
    items = e.items
    cur.execute(
        "INSERT INTO assessments_view (tenant_id, client_id, id, title, status, score, items,"
        " version, created_position) VALUES (%s, %s, %s, %s, 'open', %s, %s, %s, %s)",
        (
            e.tenant_id,
            e.client_id,
            e.originator_id,
            e.title,
            Jsonb(score([Scored(Category(i["category"]), i["weight"], None) for i in items])),
            len(items),
            e.originator_version,
            position,
        ),
    )
    cur.executemany(
        "INSERT INTO assessment_items_view (tenant_id, assessment_id, standard_id, seq,"
        " category, weight) VALUES (%s, %s, %s, %s, %s, %s)",
        [
            (e.tenant_id, e.originator_id, UUID(i["standard_id"]), n, i["category"], i["weight"])
            for n, i in enumerate(items)
        ],
    )


@projection.on(A.Answered)
def answered(cur: Cursor, e: A.Answered, position: int) -> None:
    cur.execute(
        "UPDATE assessment_items_view SET result = %s WHERE assessment_id = %s"
        " AND standard_id = %s",
        (e.result, e.originator_id, e.standard_id),
    )
    _rescore(cur, e)


@projection.on(A.FindingProposed)
def finding_proposed(cur: Cursor, e: A.FindingProposed, position: int) -> None:
    cur.execute(
        "UPDATE assessment_items_view SET initiative_id = %s WHERE assessment_id = %s"
        " AND standard_id = %s",
        (e.initiative_id, e.originator_id, e.standard_id),
    )
    _rescore(cur, e)


@projection.on(A.Completed)
def completed(cur: Cursor, e: A.Completed, position: int) -> None:
    # The score the completion fixed, as its event records it.
    cur.execute(
        "UPDATE assessments_view SET status = 'completed', score = %s, completed_at = %s,"
        " completed_position = %s, version = %s WHERE id = %s",
        (Jsonb(e.score), e.timestamp, position, e.originator_version, e.originator_id),
    )


# ---------------------------------------------------------------- queries


def view(row: dict[str, Any]) -> dict[str, Any]:
    """An assessment in a list: its score and counts (GET /v1/assessments/{id} has items)."""
    return {
        "id": str(row["id"]),
        "client_id": str(row["client_id"]),
        "title": row["title"],
        "status": row["status"],
        "score": row["score"],
        "items": row["items"],
        "answered": row["answered"],
        "findings_proposed": row["findings_proposed"],
        "completed_at": None if row["completed_at"] is None else rfc3339(row["completed_at"]),
        "version": row["version"],
    }


def list_assessments(
    cur: Cursor, client_id: UUID, *, after: int, limit: int
) -> list[tuple[int, dict[str, Any]]]:
    cur.execute(
        "SELECT * FROM assessments_view WHERE client_id = %s AND created_position > %s"
        " ORDER BY created_position LIMIT %s",
        (client_id, after, limit),
    )
    return [(r["created_position"], view(r)) for r in cur.fetchall()]


def health_score_move(
    cur: Cursor,
    client_id: UUID,
    *,
    after_position: int | None,
    since: datetime | None,
    until: datetime | None,
) -> dict[str, Any]:
    """The client's health score at the start of a window and at its end: the overall score
    of its latest assessment completed before each (null where there is none)."""
    cur.execute(
        "SELECT score, completed_position, completed_at FROM assessments_view"
        " WHERE client_id = %s AND status = 'completed' ORDER BY completed_position",
        (client_id,),
    )
    before = after = None
    for row in cur.fetchall():
        if until is not None and row["completed_at"] >= until:
            break
        overall = row["score"]["overall"]
        started = (after_position is not None and row["completed_position"] <= after_position) or (
            since is not None and row["completed_at"] < since
        )
        if started:
            before = {"overall": overall}
        after = {"overall": overall}
    return {
        "before": None if before is None else before["overall"],
        "after": None if after is None else after["overall"],
    }
