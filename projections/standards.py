"""The standards library list: one row per standard of a tenant, its current fields."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg.types.json import Jsonb

from domain.standard import Standard
from infra.db import OWN_TENANT, Cursor
from projections.base import Projection

S = Standard

projection = Projection()
projection.name = "standards"
projection.tables = ("standards_view",)
projection.ddl = (
    """CREATE TABLE IF NOT EXISTS standards_view (
        tenant_id uuid NOT NULL,
        id uuid PRIMARY KEY,
        title text NOT NULL,
        category text NOT NULL,
        question text,
        weight int NOT NULL,
        severity text NOT NULL,
        initiative_template jsonb,
        status text NOT NULL,
        version int NOT NULL,
        created_position bigint NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS standards_view_tenant"
    " ON standards_view (tenant_id, created_position)",
)


standards_view = projection.buffered("standards_view")


def _set(e: Any, column: str, value: Any) -> None:
    standards_view.set(e.originator_id, **{column: value, "version": e.originator_version})


def _json(value: dict[str, Any] | None) -> Jsonb | None:
    return None if value is None else Jsonb(value)


@projection.on(S.Created)
def created(cur: Cursor, e: S.Created, position: int) -> None:
    standards_view.insert(
        {
            "tenant_id": e.tenant_id,
            "id": e.originator_id,
            "title": e.title,
            "category": e.category,
            "question": e.question,
            "weight": e.weight,
            "severity": e.severity,
            "initiative_template": _json(e.initiative_template),
            "status": "active",
            "version": e.originator_version,
            "created_position": position,
        }
    )


@projection.on(S.Retitled)
def retitled(cur: Cursor, e: S.Retitled, position: int) -> None:
    _set(e, "title", e.title)


@projection.on(S.Recategorized)
def recategorized(cur: Cursor, e: S.Recategorized, position: int) -> None:
    _set(e, "category", e.category)


@projection.on(S.Reworded)
def reworded(cur: Cursor, e: S.Reworded, position: int) -> None:
    _set(e, "question", e.question)


@projection.on(S.Reweighted)
def reweighted(cur: Cursor, e: S.Reweighted, position: int) -> None:
    _set(e, "weight", e.weight)


@projection.on(S.SeverityChanged)
def severity_changed(cur: Cursor, e: S.SeverityChanged, position: int) -> None:
    _set(e, "severity", e.severity)


@projection.on(S.TemplateChanged)
def template_changed(cur: Cursor, e: S.TemplateChanged, position: int) -> None:
    _set(e, "initiative_template", _json(e.initiative_template))


@projection.on(S.Retired)
def retired(cur: Cursor, e: S.Retired, position: int) -> None:
    _set(e, "status", "retired")


# ---------------------------------------------------------------- queries


def view(row: dict[str, Any]) -> dict[str, Any]:
    """A standard as GET /v1/standards/{id} shows it."""
    return {
        "id": str(row["id"]),
        "title": row["title"],
        "category": row["category"],
        "question": row["question"],
        "weight": row["weight"],
        "severity": row["severity"],
        "initiative_template": row["initiative_template"],
        "status": row["status"],
        "version": row["version"],
    }


def list_standards(
    cur: Cursor,
    *,
    category: str | None,
    status: str | None,
    after: int,
    limit: int,
) -> list[tuple[int, dict[str, Any]]]:
    cur.execute(
        f"SELECT * FROM standards_view WHERE {OWN_TENANT} AND created_position > %s"
        " AND (%s::text IS NULL OR category = %s) AND (%s::text IS NULL OR status = %s)"
        " ORDER BY created_position LIMIT %s",
        (after, category, category, status, status, limit),
    )
    return [(r["created_position"], view(r)) for r in cur.fetchall()]


def active_ids(cur: Cursor) -> list[UUID]:
    """The active standards of the transaction's tenant, oldest first."""
    cur.execute(
        f"SELECT id FROM standards_view WHERE {OWN_TENANT} AND status = 'active'"
        " ORDER BY created_position"
    )
    return [r["id"] for r in cur.fetchall()]
