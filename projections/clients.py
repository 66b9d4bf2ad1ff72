"""The clients list: one row per client, with its active strategy."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.client import Client
from infra.db import OWN_TENANT, Cursor
from projections.base import Projection

projection = Projection()
projection.name = "clients"
projection.tables = ("clients_view",)
projection.ddl = (
    """CREATE TABLE IF NOT EXISTS clients_view (
        tenant_id uuid NOT NULL,
        id uuid PRIMARY KEY,
        name text NOT NULL,
        fiscal_year_start_month int NOT NULL,
        currency text NOT NULL,
        active_strategy_id uuid,
        version int NOT NULL,
        created_position bigint NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS clients_view_tenant ON clients_view (tenant_id, created_position)",
    # the portal's portfolio sorted by name
    "CREATE INDEX IF NOT EXISTS clients_view_name ON clients_view (tenant_id, lower(name), id)",
)


clients_view = projection.buffered("clients_view")


def _touch(cur: Cursor, e: Any, **values: Any) -> None:
    clients_view.set(
        e.originator_id, **values, version=e.originator_version, updated_at=e.timestamp
    )


@projection.on(Client.Created)
def created(cur: Cursor, e: Client.Created, position: int) -> None:
    clients_view.insert(
        {
            "tenant_id": e.tenant_id,
            "id": e.originator_id,
            "name": e.name,
            "fiscal_year_start_month": e.fiscal_year_start_month,
            "currency": e.currency,
            "version": e.originator_version,
            "created_position": position,
            "created_at": e.timestamp,
            "updated_at": e.timestamp,
        }
    )


@projection.on(Client.Renamed)
def renamed(cur: Cursor, e: Client.Renamed, position: int) -> None:
    _touch(cur, e, name=e.name)


@projection.on(Client.FiscalYearChanged)
def fiscal_year_changed(cur: Cursor, e: Client.FiscalYearChanged, position: int) -> None:
    _touch(cur, e, fiscal_year_start_month=e.fiscal_year_start_month)


@projection.on(Client.StrategyActivated)
def strategy_activated(cur: Cursor, e: Client.StrategyActivated, position: int) -> None:
    _touch(cur, e, active_strategy_id=e.strategy_id)


@projection.on(Client.StrategyDeactivated)
def strategy_deactivated(cur: Cursor, e: Client.StrategyDeactivated, position: int) -> None:
    _touch(cur, e, active_strategy_id=None)


@projection.on(Client.BudgetOpened)
@projection.on(Client.BudgetClosed)
def version_only(cur: Cursor, e: Any, position: int) -> None:
    _touch(cur, e)


# ---------------------------------------------------------------- queries


def view(row: dict[str, Any]) -> dict[str, Any]:
    """A client of the list as its answer (ClientOut) takes it: ids stay UUIDs (written as
    text only when the page is encoded, not also as text first and parsed back)."""
    return {
        "id": row["id"],
        "name": row["name"],
        "fiscal_year_start_month": row["fiscal_year_start_month"],
        "currency": row["currency"],
        "active_strategy_id": row["active_strategy_id"],
        "version": row["version"],
    }


def list_clients(
    cur: Cursor, *, client_ids: frozenset[UUID] | None, after: int, limit: int
) -> list[tuple[int, dict[str, Any]]]:
    cur.execute(
        f"SELECT * FROM clients_view WHERE {OWN_TENANT} AND created_position > %s"
        " AND (%s::uuid[] IS NULL OR id = ANY(%s::uuid[]))"
        " ORDER BY created_position LIMIT %s",
        (after, _ids(client_ids), _ids(client_ids), limit),
    )
    return [(r["created_position"], view(r)) for r in cur.fetchall()]


def _ids(client_ids: frozenset[UUID] | None) -> list[UUID] | None:
    return None if client_ids is None else list(client_ids)
