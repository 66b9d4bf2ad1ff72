"""Webhook deliveries end to end, signed: only the matching events, made after the subscription,
signed with its secret (both secrets during a rotation's grace period) and verified with the
Standard Webhooks reference package, sent by the real arq worker to a receiver on 127.0.0.1."""

from __future__ import annotations

import time
from typing import Any

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from tests.api.conftest import Api, StartWorker
from tests.api.webhook_delivery_helpers import deliveries, quiet, settled, subscribe, verify
from tests.api.webhook_receiver import receiving, wait_until


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
