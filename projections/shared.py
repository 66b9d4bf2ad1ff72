"""Tables that several read models keep, each its own copy: clients' calendars, strategies
with their goals, and initiatives.

A read model owns every table it reads, so it can be rebuilt and swapped alone; these helpers
give each one the same DDL and folds under its own table names.
"""

from __future__ import annotations

from typing import Any

import msgspec

from domain.client import Client
from domain.plan import TechnologyPlan
from domain.shared import TechplanEvent
from domain.strategy import Strategy
from infra.db import Cursor
from projections.base import Fold, Projection

P = TechnologyPlan


def add_fold(projection: Projection, event_class: type[TechplanEvent], fold: Fold) -> None:
    """Register `fold` after any fold already registered for the event type."""
    name = event_class.type_name()
    previous = projection.folds.get(name)
    if previous is None:
        projection.folds[name] = fold
        return

    def both(cur: Cursor, e: Any, position: int) -> None:
        previous(cur, e, position)
        fold(cur, e, position)

    projection.folds[name] = both


def jsonb(value: Any) -> str | None:
    return None if value is None else msgspec.json.encode(value).decode()


# ---------------------------------------------------------------- clients


def clients_ddl(table: str) -> tuple[str, ...]:
    return (
        f"""CREATE TABLE IF NOT EXISTS {table} (
            tenant_id uuid NOT NULL,
            id uuid PRIMARY KEY,
            name text NOT NULL,
            fiscal_year_start_month int NOT NULL,
            currency text NOT NULL,
            created_position bigint NOT NULL)""",
        f"CREATE INDEX IF NOT EXISTS {table}_tenant ON {table} (tenant_id, created_position)",
    )


def track_clients(projection: Projection, table: str) -> None:
    def created(cur: Cursor, e: Client.Created, position: int) -> None:
        cur.execute(
            f"INSERT INTO {table} (tenant_id, id, name, fiscal_year_start_month, currency,"
            " created_position) VALUES (%s, %s, %s, %s, %s, %s)",
            (e.tenant_id, e.originator_id, e.name, e.fiscal_year_start_month, e.currency, position),
        )

    def renamed(cur: Cursor, e: Client.Renamed, position: int) -> None:
        cur.execute(f"UPDATE {table} SET name = %s WHERE id = %s", (e.name, e.originator_id))

    def calendar(cur: Cursor, e: Client.FiscalYearChanged, position: int) -> None:
        cur.execute(
            f"UPDATE {table} SET fiscal_year_start_month = %s WHERE id = %s",
            (e.fiscal_year_start_month, e.originator_id),
        )

    add_fold(projection, Client.Created, created)
    add_fold(projection, Client.Renamed, renamed)
    add_fold(projection, Client.FiscalYearChanged, calendar)


# ---------------------------------------------------------------- strategies and goals


def goals_ddl(strategies: str, goals: str) -> tuple[str, ...]:
    return (
        f"""CREATE TABLE IF NOT EXISTS {strategies} (
            tenant_id uuid NOT NULL,
            client_id uuid NOT NULL,
            id uuid PRIMARY KEY,
            title text NOT NULL,
            status text NOT NULL,
            created_position bigint NOT NULL)""",
        f"CREATE INDEX IF NOT EXISTS {strategies}_client ON {strategies} (client_id, status)",
        f"""CREATE TABLE IF NOT EXISTS {goals} (
            tenant_id uuid NOT NULL,
            client_id uuid NOT NULL,
            strategy_id uuid NOT NULL,
            id uuid PRIMARY KEY,
            title text NOT NULL,
            description text,
            priority text NOT NULL,
            status text NOT NULL,
            created_position bigint NOT NULL)""",
        f"CREATE INDEX IF NOT EXISTS {goals}_strategy ON {goals} (strategy_id, created_position)",
    )


def track_goals(projection: Projection, strategies: str, goals: str) -> None:
    def created(cur: Cursor, e: Strategy.Created, position: int) -> None:
        cur.execute(
            f"INSERT INTO {strategies} (tenant_id, client_id, id, title, status,"
            " created_position) VALUES (%s, %s, %s, %s, 'draft', %s)",
            (e.tenant_id, e.client_id, e.originator_id, e.title, position),
        )

    def status(value: str) -> Fold:
        def fold(cur: Cursor, e: Any, position: int) -> None:
            cur.execute(
                f"UPDATE {strategies} SET status = %s WHERE id = %s", (value, e.originator_id)
            )

        return fold

    def goal_added(cur: Cursor, e: Strategy.GoalAdded, position: int) -> None:
        cur.execute(
            f"INSERT INTO {goals} (tenant_id, client_id, strategy_id, id, title, description,"
            " priority, status, created_position)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, 'active', %s)",
            (
                e.tenant_id,
                e.client_id,
                e.originator_id,
                e.goal_id,
                e.title,
                e.description,
                e.priority,
                position,
            ),
        )

    def goal_retitled(cur: Cursor, e: Strategy.GoalRetitled, position: int) -> None:
        cur.execute(
            f"UPDATE {goals} SET title = %s, description = %s WHERE id = %s",
            (e.title, e.description, e.goal_id),
        )

    def goal_reprioritized(cur: Cursor, e: Strategy.GoalReprioritized, position: int) -> None:
        cur.execute(f"UPDATE {goals} SET priority = %s WHERE id = %s", (e.priority, e.goal_id))

    def goal_retired(cur: Cursor, e: Strategy.GoalRetired, position: int) -> None:
        cur.execute(f"UPDATE {goals} SET status = 'retired' WHERE id = %s", (e.goal_id,))

    add_fold(projection, Strategy.Created, created)
    add_fold(projection, Strategy.Adopted, status("active"))
    add_fold(projection, Strategy.Superseded, status("superseded"))
    add_fold(projection, Strategy.Archived, status("archived"))
    add_fold(projection, Strategy.GoalAdded, goal_added)
    add_fold(projection, Strategy.GoalRetitled, goal_retitled)
    add_fold(projection, Strategy.GoalReprioritized, goal_reprioritized)
    add_fold(projection, Strategy.GoalRetired, goal_retired)


def goal_view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "strategy_id": str(row["strategy_id"]),
        "title": row["title"],
        "description": row["description"],
        "priority": row["priority"],
        "status": row["status"],
    }


# ---------------------------------------------------------------- initiatives


def initiatives_ddl(table: str) -> tuple[str, ...]:
    return (
        f"""CREATE TABLE IF NOT EXISTS {table} (
            tenant_id uuid NOT NULL,
            client_id uuid NOT NULL,
            plan_id uuid NOT NULL,
            id uuid PRIMARY KEY,
            title text NOT NULL,
            category text NOT NULL,
            goal_ids uuid[] NOT NULL,
            target_quarter text,
            one_time_cost jsonb,
            recurring_cost jsonb,
            priority text NOT NULL,
            status text NOT NULL,
            created_position bigint NOT NULL)""",
        f"CREATE INDEX IF NOT EXISTS {table}_client ON {table} (client_id, created_position)",
    )


def track_initiatives(projection: Projection, table: str) -> None:
    def proposed(cur: Cursor, e: P.InitiativeProposed, position: int) -> None:
        cur.execute(
            f"INSERT INTO {table} (tenant_id, client_id, plan_id, id, title, category, goal_ids,"
            " target_quarter, one_time_cost, recurring_cost, priority, status, created_position)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s::uuid[], %s, %s::jsonb, %s::jsonb, %s,"
            " 'proposed', %s)",
            (
                e.tenant_id,
                e.client_id,
                e.originator_id,
                e.initiative_id,
                e.title,
                e.category,
                list(e.goal_ids),
                e.target_quarter,
                jsonb(e.one_time_cost),
                jsonb(e.recurring_cost),
                e.priority,
                position,
            ),
        )

    def setting(sets: str, *fields: str) -> Fold:
        def fold(cur: Cursor, e: Any, position: int) -> None:
            values = [getattr(e, f) for f in fields]
            cur.execute(f"UPDATE {table} SET {sets} WHERE id = %s", (*values, e.initiative_id))

        return fold

    add_fold(projection, P.InitiativeProposed, proposed)
    add_fold(projection, P.InitiativeRetitled, setting("title = %s", "title"))
    add_fold(projection, P.InitiativeRecategorized, setting("category = %s", "category"))
    add_fold(projection, P.InitiativeRescheduled, setting("target_quarter = %s", "target_quarter"))
    add_fold(projection, P.InitiativeReprioritized, setting("priority = %s", "priority"))

    def realigned(cur: Cursor, e: P.InitiativeRealigned, position: int) -> None:
        cur.execute(
            f"UPDATE {table} SET goal_ids = %s::uuid[] WHERE id = %s",
            (list(e.goal_ids), e.initiative_id),
        )

    def reestimated(cur: Cursor, e: P.InitiativeReestimated, position: int) -> None:
        cur.execute(
            f"UPDATE {table} SET one_time_cost = %s::jsonb, recurring_cost = %s::jsonb"
            " WHERE id = %s",
            (jsonb(e.one_time_cost), jsonb(e.recurring_cost), e.initiative_id),
        )

    def deferred(cur: Cursor, e: P.InitiativeDeferred, position: int) -> None:
        cur.execute(
            f"UPDATE {table} SET target_quarter = %s, status = 'proposed' WHERE id = %s",
            (e.target_quarter, e.initiative_id),
        )

    def status(value: str) -> Fold:
        def fold(cur: Cursor, e: Any, position: int) -> None:
            cur.execute(f"UPDATE {table} SET status = %s WHERE id = %s", (value, e.initiative_id))

        return fold

    add_fold(projection, P.InitiativeRealigned, realigned)
    add_fold(projection, P.InitiativeReestimated, reestimated)
    add_fold(projection, P.InitiativeDeferred, deferred)
    add_fold(projection, P.InitiativeApproved, status("approved"))
    add_fold(projection, P.InitiativeStarted, status("in_progress"))
    add_fold(projection, P.InitiativeCompleted, status("done"))
    add_fold(projection, P.InitiativeCancelled, status("cancelled"))


INITIATIVE_STATUSES = ("proposed", "approved", "in_progress", "done", "cancelled")


def initiative_view(row: dict[str, Any]) -> dict[str, Any]:
    """An initiative as API.md shows it, with the plan it belongs to."""
    return {
        "id": str(row["id"]),
        "plan_id": str(row["plan_id"]),
        "title": row["title"],
        "category": row["category"],
        "goal_ids": [str(g) for g in row["goal_ids"]],
        "target_quarter": row["target_quarter"],
        "one_time_cost": row["one_time_cost"],
        "recurring_cost": row["recurring_cost"],
        "priority": row["priority"],
        "status": row["status"],
    }


def aligned_sql(goals: str, strategies: str) -> str:
    """A condition on `i`, a row of an initiatives table: it serves an active goal of an
    active strategy."""
    return (
        f"EXISTS (SELECT 1 FROM {goals} g JOIN {strategies} s ON s.id = g.strategy_id"
        " WHERE g.id = ANY(i.goal_ids) AND g.status = 'active' AND s.status = 'active')"
    )
