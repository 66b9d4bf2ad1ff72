"""The projections' commit notification: every new position of a projection is announced on
`CHANNEL` by the transaction that writes it.

A trigger on `projection_tracking` sends it, so it goes out when, and only when, that
transaction commits (PostgreSQL holds NOTIFYs until then), whoever writes the position: a
batch of the runner, a rebuild's swap, a fix that refolds parked events, or logical
replication applying it on a read replica. API processes LISTEN
and wake the reads waiting for that position (services/readwait.py).
"""

from __future__ import annotations

CHANNEL = "techplan_positions"

DDL = (
    f"""CREATE OR REPLACE FUNCTION techplan_notify_position() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', NEW.name || ':' || NEW.position);
            RETURN NULL;
        END
        $$""",
    """CREATE OR REPLACE TRIGGER projection_position_notify
        AFTER INSERT OR UPDATE OF position ON projection_tracking
        FOR EACH ROW EXECUTE FUNCTION techplan_notify_position()""",
    # Also when logical replication applies the row on a read replica (where triggers are off
    # unless ALWAYS): the replica's API processes are woken by the replica's own commit.
    "ALTER TABLE projection_tracking ENABLE ALWAYS TRIGGER projection_position_notify",
)


def parse(payload: str) -> tuple[str, int]:
    """`name:position` as the trigger writes it."""
    name, _, position = payload.rpartition(":")
    return name, int(position)
