"""Idempotency keys are kept 24 h, then purged by the worker's scheduled job."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from workers.housekeeping import purge_idempotency_keys
from workers.main import build_worker


def _insert(container: Any, api_key_id: Any, key: str, age: str, state: str = "done") -> None:
    with container.db.tx() as cur:
        cur.execute(
            "INSERT INTO idempotency_keys (api_key_id, key, request_hash, state, created_at)"
            " VALUES (%s, %s, 'h', %s, now() - %s::interval)",
            (api_key_id, key, state, age),
        )


def _kept(container: Any, api_key_id: Any) -> set[str]:
    with container.db.tx() as cur:
        cur.execute("SELECT key FROM idempotency_keys WHERE api_key_id = %s", (api_key_id,))
        return {r["key"] for r in cur.fetchall()}


async def test_the_job_purges_keys_older_than_24_hours_and_keeps_the_rest(container: Any) -> None:
    api_key_id = uuid4()
    _insert(container, api_key_id, "two-days", "48 hours")
    _insert(container, api_key_id, "just-over", "24 hours 1 minute")
    _insert(container, api_key_id, "stuck-running", "30 hours", state="running")
    _insert(container, api_key_id, "just-under", "23 hours 59 minutes")
    _insert(container, api_key_id, "fresh", "0 seconds")

    purged = await purge_idempotency_keys({"container": container})

    assert _kept(container, api_key_id) == {"just-under", "fresh"}
    assert purged >= 3


async def test_the_purge_deletes_in_batches_until_none_is_left(container: Any) -> None:
    from services.idempotency import purge_expired

    api_key_id = uuid4()
    for n in range(7):
        _insert(container, api_key_id, f"old-{n}", "25 hours")
    _insert(container, api_key_id, "fresh", "1 hour")
    assert purge_expired(container.db, batch=3) >= 7
    assert _kept(container, api_key_id) == {"fresh"}


def test_the_worker_schedules_the_purge(settings: Any) -> None:
    worker = build_worker(settings, handle_signals=False)
    scheduled = {job.name for job in worker.cron_jobs}
    assert any("purge_idempotency_keys" in name for name in scheduled), scheduled
