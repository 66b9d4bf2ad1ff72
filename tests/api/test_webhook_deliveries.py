"""Webhook deliveries end to end: events made through the API, fanned out by the projector,
sent by the real arq worker to a real receiver on 127.0.0.1, and verified with the
Standard Webhooks reference package."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from arq import Retry
from standardwebhooks import Webhook, WebhookVerificationError

from tests.api.conftest import Api
from tests.api.webhook_receiver import Receiver, Reply, WorkerThread, receiving, wait_until

StartWorker = Callable[..., WorkerThread]


@pytest.fixture
def start_worker(settings: Any) -> Iterator[StartWorker]:
    workers: list[WorkerThread] = []

    def start(**overrides: Any) -> WorkerThread:
        worker = WorkerThread(settings.with_(**overrides)).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def hooks(api: Api) -> Iterator[list[str]]:
    """Subscriptions a test made; deleted after it so no later worker keeps sending them."""
    made: list[str] = []
    yield made
    for webhook_id in made:
        api.delete(f"/v1/webhooks/{webhook_id}")


def subscribe(api: Api, hooks: list[str], url: str, event_types: list[str]) -> dict[str, Any]:
    r = api.post("/v1/webhooks", {"url": url, "event_types": event_types})
    assert r.status_code == 201, r.text
    hooks.append(r.json()["id"])
    return dict(r.json())


def deliveries(api: Api, webhook_id: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    query = {"limit": 500, **params}
    while True:
        r = api.get(f"/v1/webhooks/{webhook_id}/deliveries", params=query)
        assert r.status_code == 200, r.text
        items += r.json()["items"]
        if not r.json()["next_cursor"]:
            return items
        query["cursor"] = r.json()["next_cursor"]


def settled(api: Api, webhook_id: str, count: int, status: str) -> Callable[[], Any]:
    def check() -> Any:
        found = deliveries(api, webhook_id)
        done = [d for d in found if d["status"] == status]
        return found if len(found) == count and len(done) == count else None

    return check


def quiet(api: Api, webhook_id: str, last_position: int) -> list[dict[str, Any]]:
    """Wait until nothing more will be sent to this endpoint for the events up to
    `last_position`: the fan-out has folded them (min_position), so every delivery they make
    exists, and none of them is pending, so the worker has nothing left to send. The
    receiver records a request before answering it, so every attempt is in it by then."""

    def check() -> Any:
        found = deliveries(api, webhook_id, min_position=last_position)
        return found if all(d["status"] != "pending" for d in found) else None

    found: list[dict[str, Any]] = wait_until(check, what="no delivery left pending")
    return found


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


def verify(secret: str, request: Any) -> dict[str, Any]:
    result: dict[str, Any] = Webhook(secret).verify(request.body, request.headers)
    return result


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


# ---------------------------------------------------------------- signed, filtered


def test_signed_delivery_of_matching_events(
    api: Api, other: Api, hooks: list[str], start_worker: StartWorker
) -> None:
    start_worker()
    with receiving() as receiver:
        hook = subscribe(api, hooks, receiver.url, ["strategy.*", "client.renamed"])
        client = api.client("Contoso")  # client.created: not subscribed
        strategy = api.strategy(client["id"])
        r = api.patch(f"/v1/clients/{client['id']}", {"name": "Contoso Ltd", "rationale": "legal"})
        assert r.status_code == 200
        theirs = other.client("Not yours")
        last = other.strategy(theirs["id"])["position"]

        wait_until(lambda: len(receiver.succeeded()) >= 2, what="two deliveries")
        quiet(api, hook["id"], last)  # nothing else may arrive
        got = receiver.requests()
        assert len(got) == 2
        bodies = [verify(hook["secret"], g) for g in got]
        assert [b["type"] for b in bodies] == ["strategy.created", "client.renamed"]
        created, renamed = bodies
        assert created["id"] == got[0].id
        assert created["aggregate"] == {"type": "strategy", "id": strategy["id"], "version": 1}
        assert created["client_id"] == client["id"]
        assert created["position"] == strategy["position"]
        assert created["occurred_at"].endswith("Z")
        assert created["actor"]["role"] == "admin"
        assert created["data"]["title"] == strategy["title"]
        assert created["replay"] is False
        assert renamed["rationale"] == "legal"
        assert renamed["data"] == {"name": "Contoso Ltd"}
        assert renamed["position"] == r.json()["position"]
        assert int(got[0].headers["webhook-timestamp"]) == pytest.approx(time.time(), abs=30)
        assert got[0].headers["content-type"] == "application/json"
        with pytest.raises(WebhookVerificationError):
            Webhook("whsec_" + "A" * 43 + "=").verify(got[0].body, got[0].headers)

        items = wait_until(settled(api, hook["id"], 2, "succeeded"))
        assert [d["event_type"] for d in items] == ["client.renamed", "strategy.created"]
        assert {d["id"] for d in items} == {g.id for g in got}
        for d in items:
            assert len(d["attempts"]) == 1 and d["attempts"][0]["status_code"] == 200
            assert d["attempts"][0]["error"] is None and d["attempts"][0]["duration_ms"] >= 0
            assert d["next_attempt_at"] is None and d["replay"] is False


def test_a_subscription_gets_only_events_after_it_was_created(
    api: Api, hooks: list[str], start_worker: StartWorker
) -> None:
    start_worker()
    with receiving() as receiver:
        api.client("Before")
        hook = subscribe(api, hooks, receiver.url, ["client.created"])
        after = api.client("After")
        wait_until(lambda: receiver.succeeded(), what="a delivery")
        quiet(api, hook["id"], after["position"])
        assert [r.json()["aggregate"]["id"] for r in receiver.requests()] == [after["id"]]
        assert len(deliveries(api, hook["id"])) == 1


# ---------------------------------------------------------------- retries and failure


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


# ---------------------------------------------------------------- secrets, replay


def test_rotation_signs_with_both_secrets_during_the_grace_period(
    api: Api, hooks: list[str], start_worker: StartWorker
) -> None:
    start_worker()
    with receiving() as receiver:
        hook = subscribe(api, hooks, receiver.url, ["client.*"])
        old = hook["secret"]
        api.client("Before rotation")
        wait_until(lambda: len(receiver.succeeded()) == 1)
        before = receiver.requests()[0]
        assert len(before.headers["webhook-signature"].split(" ")) == 1

        rotated = api.post(f"/v1/webhooks/{hook['id']}/rotate-secret").json()["secret"]
        api.client("After rotation")
        wait_until(lambda: len(receiver.succeeded()) == 2)
        after = receiver.requests()[1]
        assert len(after.headers["webhook-signature"].split(" ")) == 2
        assert verify(old, after)["data"]["name"] == "After rotation"
        assert verify(rotated, after)["data"]["name"] == "After rotation"
        verify(old, before)
        with pytest.raises(WebhookVerificationError):
            verify(rotated, before)


def test_after_the_grace_period_only_the_new_secret_signs(
    api: Api, hooks: list[str], start_worker: StartWorker, container: Any
) -> None:
    start_worker()
    with receiving() as receiver:
        hook = subscribe(api, hooks, receiver.url, ["client.*"])
        configured = container.settings
        container.settings = configured.with_(webhook_rotation_grace=0)
        try:
            rotated = api.post(f"/v1/webhooks/{hook['id']}/rotate-secret").json()["secret"]
        finally:
            container.settings = configured
        api.client()
        wait_until(lambda: receiver.succeeded())
        got = receiver.requests()[0]
        assert len(got.headers["webhook-signature"].split(" ")) == 1
        verify(rotated, got)
        with pytest.raises(WebhookVerificationError):
            verify(hook["secret"], got)


def test_replay_sends_new_deliveries_marked_as_replays(
    api: Api, hooks: list[str], start_worker: StartWorker
) -> None:
    start_worker()
    with receiving() as receiver:
        hook = subscribe(api, hooks, receiver.url, ["client.created"])
        made = [api.client(f"Client {i}") for i in range(3)]
        first = wait_until(settled(api, hook["id"], 3, "succeeded"))
        r = api.post(f"/v1/webhooks/{hook['id']}/replay", {"since_position": made[0]["position"]})
        assert r.status_code == 202, r.text
        assert r.json()["since_position"] == made[0]["position"]
        everything = wait_until(settled(api, hook["id"], 5, "succeeded"))
        replays = [d for d in everything if d["replay"]]
        assert len(replays) == 2 and all(d["replay_of"] == r.json()["id"] for d in replays)
        assert {d["position"] for d in replays} == {m["position"] for m in made[1:]}
        originals = {d["position"]: d for d in first}
        for d in replays:
            assert d["id"] != originals[d["position"]]["id"]
            assert d["event_id"] == originals[d["position"]]["event_id"]
        sent = [verify(hook["secret"], g) for g in receiver.requests()]
        assert [s["replay"] for s in sent] == [False, False, False, True, True]
        assert [s["data"]["name"] for s in sent[3:]] == ["Client 1", "Client 2"]
        assert len({g.id for g in receiver.requests()}) == 5


def test_folding_the_log_again_sends_nothing_twice(
    api: Api, hooks: list[str], start_worker: StartWorker, container: Any
) -> None:
    from projections.rebuild import rebuild

    start_worker()
    with receiving() as receiver:
        hook = subscribe(api, hooks, receiver.url, ["client.created"])
        api.client()
        api.client()
        wait_until(settled(api, hook["id"], 2, "succeeded"))
        with container.db.tx() as cur:
            cur.execute("UPDATE projection_tracking SET position = 0 WHERE name = 'webhooks'")
        container.runner.catch_up(["webhooks"])
        rebuild(container.runner, "webhooks")
        last = api.client()["position"]
        wait_until(settled(api, hook["id"], 3, "succeeded"))
        quiet(api, hook["id"], last)
        assert len(receiver.requests()) == 3
        assert len({g.id for g in receiver.requests()}) == 3


# ---------------------------------------------------------------- an outage


def test_an_outage_loses_nothing_and_sends_each_delivery_once(
    api: Api, hooks: list[str], start_worker: StartWorker
) -> None:
    start_worker(webhook_retry_schedule=(1,) * 30)
    receiver = Receiver().start()
    try:
        hook = subscribe(api, hooks, receiver.url, ["client.created"])
        receiver.stop()
        positions = {api.client(f"Client {i:03}")["position"] for i in range(500)}
        path = f"/v1/webhooks/{hook['id']}/deliveries"
        wait_until(
            lambda: any(
                d["attempts"] for d in api.get(path, params={"limit": 500}).json()["items"]
            ),
            what="an attempt against the stopped receiver",
        )
        receiver.start()  # the same port again
        items = wait_until(settled(api, hook["id"], 500, "succeeded"), timeout=60)
    finally:
        receiver.stop()
    succeeded = receiver.succeeded()
    per_id = Counter(g.id for g in succeeded)
    assert len(per_id) == 500 and set(per_id.values()) == {1}
    assert per_id.keys() == {d["id"] for d in items}
    bodies = [verify(hook["secret"], g) for g in succeeded]
    assert {b["position"] for b in bodies} == positions
    # After the outage, in position order.
    assert [b["position"] for b in bodies] == sorted(positions)
    assert any(len(d["attempts"]) > 1 for d in items)
    assert api.get(f"/v1/webhooks/{hook['id']}").json()["failing_since"] is None


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
