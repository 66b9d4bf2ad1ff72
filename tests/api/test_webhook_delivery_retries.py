"""Webhook deliveries that fail: retries under the same id, failing after the schedule and a
retry by hand, redirects, Retry-After, timeouts, disabling a failing endpoint, the guard at
delivery time; sent by the real arq worker to a receiver on 127.0.0.1."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from arq import Retry

from tests.api.conftest import Api, StartWorker
from tests.api.webhook_delivery_helpers import deliveries, settled, subscribe, verify
from tests.api.webhook_receiver import Reply, WorkerThread, receiving, wait_until


def due(container: Any, delivery_id: str) -> bool:
    """The delivery is finished, or its next attempt is due and its endpoint no longer rests:
    a job draining the endpoint now would send it, were the endpoint enabled."""
    with container.db.projector_tx() as cur:
        cur.execute(
            "SELECT d.status <> 'pending' OR (d.next_attempt_at <= now()"
            " AND (s.paused_until IS NULL OR s.paused_until <= now())) AS due"
            " FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id"
            " WHERE d.id = %s",
            (delivery_id,),
        )
        row = cur.fetchone()
    return bool(row and row["due"])


def drain_now(worker: WorkerThread, webhook_id: str) -> int:
    """Run the delivery job for this endpoint now, as the worker runs it, and return how many
    requests it sent (after the worker's own job, if one holds the endpoint's lock)."""
    from workers.deliveries import webhook_deliver

    def run() -> Any:
        try:
            return [worker.call(webhook_deliver, webhook_id)]
        except Retry:
            return None  # another job is draining this endpoint: its turn first

    (sent,) = wait_until(run, what="a turn to drain the endpoint")
    return int(sent)


def failing_then_ok(failures: int, status: int = 500) -> Callable[[dict[str, str], bytes], Reply]:
    seen: Counter[str] = Counter()

    def behaviour(headers: dict[str, str], body: bytes) -> Reply:
        seen[headers["webhook-id"]] += 1
        if seen[headers["webhook-id"]] <= failures:
            return status, {}, 0.0
        return 200, {}, 0.0

    return behaviour


def always(status: int, headers: dict[str, str] | None = None) -> Callable[..., Reply]:
    return lambda h, b: (status, headers or {}, 0.0)


def test_retries_keep_the_same_id(api: Api, hooks: list[str], start_worker: StartWorker) -> None:
    start_worker(webhook_retry_schedule=(0, 0))
    with receiving(failing_then_ok(2)) as receiver:
        hook = subscribe(api, hooks, receiver.url, ["client.created"])
        api.client()
        items = wait_until(settled(api, hook["id"], 1, "succeeded"))
        got = receiver.requests()
        assert [g.status for g in got] == [500, 500, 200]
        assert len({g.id for g in got}) == 1 and got[0].id == items[0]["id"]
        assert len({g.body for g in got}) == 1
        for g in got:
            verify(hook["secret"], g)
        attempts = items[0]["attempts"]
        assert [a["status_code"] for a in attempts] == [500, 500, 200]
        assert attempts[0]["error"] == "HTTP 500" and attempts[2]["error"] is None
        assert attempts[0]["at"] <= attempts[1]["at"] <= attempts[2]["at"]
        assert api.get(f"/v1/webhooks/{hook['id']}").json()["failing_since"] is None


def test_failed_after_the_schedule_then_retried_by_hand(
    api: Api, hooks: list[str], start_worker: StartWorker
) -> None:
    start_worker(webhook_retry_schedule=(0, 0))
    behaviour = {"status": 500}
    with receiving(lambda h, b: (behaviour["status"], {}, 0.0)) as receiver:
        hook = subscribe(api, hooks, receiver.url, ["client.created"])
        api.client()
        items = wait_until(settled(api, hook["id"], 1, "failed"))
        delivery = items[0]
        assert len(delivery["attempts"]) == 3 and delivery["next_attempt_at"] is None
        assert len(receiver.requests()) == 3
        path = f"/v1/webhooks/{hook['id']}/deliveries"
        assert [d["id"] for d in deliveries(api, hook["id"], status="failed")] == [delivery["id"]]
        assert deliveries(api, hook["id"], status="succeeded") == []
        assert deliveries(api, hook["id"], status="pending") == []

        behaviour["status"] = 204
        r = api.post(f"{path}/{delivery['id']}/retry")
        assert r.status_code == 202, r.text
        items = wait_until(settled(api, hook["id"], 1, "succeeded"))
        assert items[0]["id"] == delivery["id"]
        assert [a["status_code"] for a in items[0]["attempts"]] == [500, 500, 500, 204]
        assert receiver.requests()[-1].id == delivery["id"]
        assert receiver.requests()[-1].status == 204


def test_redirects_are_failures_and_not_followed(
    api: Api, hooks: list[str], start_worker: StartWorker
) -> None:
    start_worker(webhook_retry_schedule=())
    with receiving() as target, receiving(always(302, {"location": "/elsewhere"})) as receiver:
        target_url = target.url
        receiver.behaviour = always(307, {"location": target_url})
        hook = subscribe(api, hooks, receiver.url, ["client.created"])
        api.client()
        items = wait_until(settled(api, hook["id"], 1, "failed"))
        attempt = items[0]["attempts"][0]
        assert attempt["status_code"] == 307
        assert "redirect" in attempt["error"]
        assert target.requests() == []


def test_retry_after_is_honoured(api: Api, hooks: list[str], start_worker: StartWorker) -> None:
    start_worker(webhook_retry_schedule=(0,))
    with receiving(failing_then_ok(1, status=429)) as receiver:
        receiver.behaviour = _with_header(receiver.behaviour, {"retry-after": "1"})
        hook = subscribe(api, hooks, receiver.url, ["client.created"])
        api.client()
        wait_until(settled(api, hook["id"], 1, "succeeded"))
        first, second = receiver.requests()
        assert first.status == 429 and second.status == 200
        assert second.at - first.at >= 0.95


def _with_header(
    behaviour: Callable[[dict[str, str], bytes], Reply], extra: dict[str, str]
) -> Callable[[dict[str, str], bytes], Reply]:
    def wrapped(headers: dict[str, str], body: bytes) -> Reply:
        status, more, hang = behaviour(headers, body)
        return status, {**more, **(extra if status != 200 else {})}, hang

    return wrapped


def test_a_hanging_receiver_times_out(
    api: Api, hooks: list[str], start_worker: StartWorker
) -> None:
    start_worker(webhook_retry_schedule=(0,), webhook_timeout=0.3)
    with receiving(lambda h, b: (200, {}, 5.0)) as receiver:
        hook = subscribe(api, hooks, receiver.url, ["client.created"])
        api.client()
        items = wait_until(settled(api, hook["id"], 1, "failed"))
        attempts = items[0]["attempts"]
        assert len(attempts) == 2
        for attempt in attempts:
            assert attempt["status_code"] is None
            assert attempt["error"] == "no answer within 0.3s"
            assert 250 <= attempt["duration_ms"] < 2000


def test_continuous_failure_disables_the_endpoint(
    api: Api, hooks: list[str], start_worker: StartWorker, container: Any
) -> None:
    worker = start_worker(webhook_retry_schedule=(1,) * 10, webhook_disable_after=1)
    with receiving(always(500)) as receiver:
        hook = subscribe(api, hooks, receiver.url, ["client.created"])
        api.client()
        path = f"/v1/webhooks/{hook['id']}"
        disabled = wait_until(
            lambda: api.get(path).json()["status"] == "disabled" and api.get(path).json(),
            what="the endpoint to be disabled",
        )
        assert "failing continuously since" in disabled["disabled_reason"]
        assert "HTTP 500" in disabled["disabled_reason"]
        assert disabled["disabled_at"] and disabled["failing_since"]
        assert len(receiver.requests()) >= 2
        # Disabled: no more attempts, even though the delivery is still pending.
        count = len(receiver.requests())
        (delivery,) = deliveries(api, hook["id"])
        assert delivery["status"] == "pending"
        # Its retry comes due, and the job that would send it runs: it sends nothing.
        wait_until(lambda: due(container, delivery["id"]), what="the retry to be due")
        assert drain_now(worker, hook["id"]) == 0
        assert len(receiver.requests()) == count
        assert deliveries(api, hook["id"])[0]["status"] == "pending"
        assert api.post(f"{path}/deliveries/{delivery['id']}/retry").status_code == 409

        receiver.behaviour = always(200)
        enabled = api.patch(path, {"status": "enabled"}).json()
        assert enabled["status"] == "enabled" and enabled["disabled_reason"] is None
        wait_until(settled(api, hook["id"], 1, "succeeded"))


def test_410_gone_disables_at_once(
    api: Api, hooks: list[str], start_worker: StartWorker, container: Any
) -> None:
    worker = start_worker(webhook_retry_schedule=(0, 0, 0))
    with receiving(always(410)) as receiver:
        hook = subscribe(api, hooks, receiver.url, ["client.created"])
        api.client()
        path = f"/v1/webhooks/{hook['id']}"
        wait_until(lambda: api.get(path).json()["status"] == "disabled")
        assert api.get(path).json()["disabled_reason"] == "the receiver answered 410 Gone"
        # The schedule would retry at once, but the job that would send it sends nothing.
        (delivery,) = deliveries(api, hook["id"])
        wait_until(lambda: due(container, delivery["id"]), what="the retry to be due")
        assert drain_now(worker, hook["id"]) == 0
        assert len(receiver.requests()) == 1


def test_the_guard_is_checked_again_at_delivery_time(
    api: Api, hooks: list[str], start_worker: StartWorker
) -> None:
    """Accepted when saved (private addresses were allowed then), refused when sent."""
    start_worker(webhook_allow_private=False, webhook_retry_schedule=())
    with receiving() as receiver:
        hook = subscribe(api, hooks, receiver.url, ["client.created"])
        api.client()
        (delivery,) = wait_until(settled(api, hook["id"], 1, "failed"))
        (attempt,) = delivery["attempts"]
        assert attempt["status_code"] is None
        assert attempt["error"].startswith("blocked: 127.0.0.1 is refused: ")
        assert "loopback" in attempt["error"]
        assert receiver.requests() == []
