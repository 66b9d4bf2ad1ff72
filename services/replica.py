"""A read replica for the read side: what it copies and the SQL that sets it up.

The primary (`DATABASE_URL`) keeps the event store and folds the projections; a second
PostgreSQL database (`TECHPLAN_READ_DATABASE_URL`) receives the read models by logical
replication, and API processes pointed at it run every read-model query and every
`min_position` wait there. The replica's own commit of `projection_tracking` wakes its
waiting reads (the notify trigger is enabled ALWAYS, so it fires for replicated rows too).
Deliveries, keys and the event store are read from the primary.

`setup_sql` is what an operator runs (as a superuser: publications over tables of another
role and subscriptions need it), after `techplan migrate` has created the schema on both.
"""

from __future__ import annotations

from collections.abc import Sequence

from projections.runner import Runner

PUBLICATION = "techplan_read_models"
SLOT = "techplan_read_models"

# Besides each projection's own tables: the positions (read-your-writes) and the parked events
# (status), both written in the projections' transactions.
BOOKKEEPING = ("projection_tracking", "projection_parked")


def published_tables(runner: Runner) -> list[str]:
    """Every table the read side queries, in a stable order."""
    tables = {t for p in runner.projections for t in p.tables}
    return sorted(tables) + [t for t in BOOKKEEPING if t not in tables]


def setup_sql(tables: Sequence[str], primary_conninfo: str) -> tuple[list[str], list[str]]:
    """(statements on the primary, statements on the replica). The slot is made first and
    apart, so that primary and replica may even be two databases of one cluster."""
    on_primary = [
        f"CREATE PUBLICATION {PUBLICATION} FOR TABLE {', '.join(tables)}",
        f"SELECT pg_create_logical_replication_slot('{SLOT}', 'pgoutput')",
    ]
    conninfo = primary_conninfo.replace("'", "''")
    on_replica = [
        # `techplan migrate` seeded the replica's own bookkeeping rows; the subscription's
        # first copy brings the primary's, which would collide with them.
        f"TRUNCATE {', '.join(tables)}",
        f"CREATE SUBSCRIPTION {PUBLICATION} CONNECTION '{conninfo}'"
        f" PUBLICATION {PUBLICATION} WITH (create_slot = false, slot_name = '{SLOT}')",
    ]
    return on_primary, on_replica
