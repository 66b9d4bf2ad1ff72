"""Webhook deliveries sent again or held back: replays, folding the log again, an outage of the
receiver; nothing is lost and nothing is sent twice. Real arq worker, receiver on 127.0.0.1."""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests.api.conftest import Api, StartWorker
from tests.api.webhook_delivery_helpers import quiet, settled, subscribe, verify
from tests.api.webhook_receiver import Receiver, receiving, wait_until


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
