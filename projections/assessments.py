"""Assessments: one row per assessment (with its score, kept current as answers come in) and
one row per item, from which the score is computed by the domain's own rule; the portfolio
reads each client's latest completed score here (projections/portfolio.py)."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg.types.json import Jsonb

from domain.assessment import Assessment
from domain.category import Category
from domain.scoring import Result, Scored, score
from domain.shared import rfc3339
from infra.db import OWN_TENANT, Cursor
from projections.base import Projection
from projections.writes import insert_rows

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


assessments_view = projection.buffered("assessments_view")
ITEM_COLUMNS = (
    "tenant_id",
    "assessment_id",
    "standard_id",
    "seq",
    "category",
    "weight",
    "result",
    "initiative_id",
)


class Items:
    """The items of the assessments a batch touches, in their order (`seq`), as the batch
    leaves them: read once per batch (or made by the batch), scored in memory, and written
    at the flush, each changed item once."""

    def __init__(self) -> None:
        self._local = threading.local()

    def begin(self) -> None:
        self._local.items = {}  # assessment id -> its items (dicts of ITEM_COLUMNS)
        self._local.created = []  # ids of the assessments made in the batch
        self._local.changed = {}  # (assessment id, standard id) -> item made before

    def create(self, e: A.Created) -> None:
        self._local.items[e.originator_id] = [
            dict(
                zip(
                    ITEM_COLUMNS,
                    (
                        e.tenant_id,
                        e.originator_id,
                        UUID(i["standard_id"]),
                        n,
                        i["category"],
                        i["weight"],
                        None,
                        None,
                    ),
                    strict=True,
                )
            )
            for n, i in enumerate(e.items)
        ]
        self._local.created.append(e.originator_id)

    def of(self, cur: Cursor, assessment_id: UUID) -> list[dict[str, Any]]:
        items: dict[UUID, list[dict[str, Any]]] = self._local.items
        found = items.get(assessment_id)
        if found is None:
            cur.execute(
                f"SELECT {', '.join(ITEM_COLUMNS)} FROM assessment_items_view"
                " WHERE assessment_id = %s ORDER BY seq",
                (assessment_id,),
            )
            found = items[assessment_id] = cur.fetchall()
        return found

    def change(self, cur: Cursor, e: Any, **values: Any) -> None:
        """Set the item's columns (nothing when the assessment has no such item), then the
        assessment's score and counts."""
        standard_id = e.standard_id if isinstance(e.standard_id, UUID) else UUID(e.standard_id)
        items = self.of(cur, e.originator_id)
        for item in items:
            if item["standard_id"] == standard_id:
                item.update(values)
                self._local.changed[(e.originator_id, standard_id)] = item
        scored = [
            Scored(
                Category(i["category"]),
                i["weight"],
                None if i["result"] is None else Result(i["result"]),
            )
            for i in items
        ]
        assessments_view.set(
            e.originator_id,
            score=Jsonb(score(scored)),
            answered=sum(i["result"] is not None for i in items),
            findings_proposed=sum(i["initiative_id"] is not None for i in items),
            version=e.originator_version,
        )

    def flush(self, cur: Cursor) -> None:
        items, created, changed = self._local.items, self._local.created, self._local.changed
        self.begin()
        made = [tuple(i.values()) for a in created for i in items[a]]
        insert_rows(cur, "assessment_items_view", ITEM_COLUMNS, made)
        made_now = set(created)
        changed = [i for (assessment_id, _), i in changed.items() if assessment_id not in made_now]
        if changed:
            cur.executemany(
                "UPDATE assessment_items_view SET result = %s, initiative_id = %s"
                " WHERE assessment_id = %s AND standard_id = %s",
                [
                    (i["result"], i["initiative_id"], i["assessment_id"], i["standard_id"])
                    for i in changed
                ],
            )


items_view = Items()
projection.writes.append(items_view)


@projection.on(A.Created)
def created(cur: Cursor, e: A.Created, position: int) -> None:
    items = e.items
    assessments_view.insert(
        {
            "tenant_id": e.tenant_id,
            "client_id": e.client_id,
            "id": e.originator_id,
            "title": e.title,
            "status": "open",
            "score": Jsonb(
                score([Scored(Category(i["category"]), i["weight"], None) for i in items])
            ),
            "items": len(items),
            "answered": 0,
            "findings_proposed": 0,
            "version": e.originator_version,
            "created_position": position,
        }
    )
    items_view.create(e)


@projection.on(A.Answered)
def answered(cur: Cursor, e: A.Answered, position: int) -> None:
    items_view.change(cur, e, result=e.result)


@projection.on(A.FindingProposed)
def finding_proposed(cur: Cursor, e: A.FindingProposed, position: int) -> None:
    items_view.change(cur, e, initiative_id=e.initiative_id)


@projection.on(A.Completed)
def completed(cur: Cursor, e: A.Completed, position: int) -> None:
    # The score the completion fixed, as its event records it.
    assessments_view.set(
        e.originator_id,
        status="completed",
        score=Jsonb(e.score),
        completed_at=e.timestamp,
        completed_position=position,
        version=e.originator_version,
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
        f"SELECT * FROM assessments_view WHERE {OWN_TENANT} AND client_id = %s"
        " AND created_position > %s"
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
