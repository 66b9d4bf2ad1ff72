"""Secrets, signatures and retry arithmetic of webhook deliveries."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from standardwebhooks import Webhook

from services.webhooks.secrets import (
    SecretBox,
    SecretUnreadable,
    WebhooksUnavailable,
    new_secret,
    signature_header,
)
from services.webhooks.sender import Outcome, endpoint_pause, next_wait, parse_retry_after


def test_secrets_are_32_random_bytes_with_the_whsec_prefix() -> None:
    a, b = new_secret(), new_secret()
    assert a.startswith("whsec_") and a != b
    assert len(base64.b64decode(a.removeprefix("whsec_"))) == 32


def test_signatures_verify_with_the_reference_package() -> None:
    old, new = new_secret(), new_secret()
    body = b'{"id":"msg_1","type":"plan.initiative_approved"}'
    timestamp = int(datetime.now(UTC).timestamp())
    header = signature_header([new, old], "msg_1", timestamp, body)
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(timestamp)}
    for secret in (old, new):
        assert Webhook(secret).verify(body, {**headers, "webhook-signature": header})
    assert len(header.split(" ")) == 2 and all(s.startswith("v1,") for s in header.split(" "))


def test_sealed_secrets_open_only_with_the_same_key() -> None:
    secret = new_secret()
    sealed = SecretBox("key one").seal(secret)
    assert secret not in sealed
    assert SecretBox("key one").open(sealed) == secret
    with pytest.raises(SecretUnreadable):
        SecretBox("key two").open(sealed)


def test_no_secret_key_no_webhooks() -> None:
    for missing in (None, ""):
        with pytest.raises(WebhooksUnavailable, match="TECHPLAN_SECRET_KEY"):
            SecretBox(missing)


def test_retry_after_in_seconds_or_as_a_date() -> None:
    now = datetime(2027, 3, 1, 9, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Mon, 01 Mar 2027 09:00:30 GMT", now) == 30
    assert parse_retry_after("Mon, 01 Mar 2027 08:00:00 GMT", now) == 0
    assert parse_retry_after("99999999") == 24 * 3600
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_the_schedule_decides_each_wait_then_gives_up() -> None:
    failure = Outcome(500, "HTTP 500", 3)
    schedule = (5, 300, 1800)
    assert next_wait(schedule, 1, failure) == 5
    assert next_wait(schedule, 2, failure) == 300
    assert next_wait(schedule, 3, failure, spread=1.2) == pytest.approx(2160)
    assert next_wait(schedule, 4, failure) is None
    assert next_wait((), 1, failure) is None
    throttled = Outcome(429, "HTTP 429", 3, retry_after=42)
    assert next_wait(schedule, 2, throttled) == 42
    assert endpoint_pause(schedule, 42, throttled) == 42
    assert endpoint_pause(schedule, 300, failure) == 5
    assert endpoint_pause(schedule, None, failure) == 5
    assert endpoint_pause((), None, failure) == 0
