"""An Idempotency-Key claim is confirmed inside the transaction that writes the request's
events (and inside our own write transactions): an attempt whose claim was taken over (it
outlived its lease, frozen or partitioned) cannot commit anything, and an attempt that
commits records `applied_at` atomically with its events."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.client import Client
from domain.shared import Actor, Decision
from infra.db import CommitRefused, commit_check
from services.auth import create_tenant
from services.idempotency import Claim, _claim


def new_client(tenant_id: UUID) -> Client:
    return Client.create(
        id=uuid4(),
        tenant_id=tenant_id,
        name="Acme",
        fiscal_year_start_month=1,
        currency="USD",
        by=Decision(Actor("k1", "Vera", "editor"), datetime.now(UTC), "corr"),
    )


def claimed(container: Any) -> tuple[UUID, Claim]:
    tenant = create_tenant(container.db, "claims " + secrets.token_hex(3))
    outcome, claim = _claim(
        container.db, tenant["api_key"]["id"], secrets.token_hex(4), "hash", 30.0
    )
    assert outcome == "new"
    return UUID(tenant["id"]), claim


def applied_at(container: Any, claim: Claim) -> Any:
    with container.db.tx() as cur:
        cur.execute(
            "SELECT applied_at FROM idempotency_keys WHERE api_key_id = %s AND key = %s",
            (claim.api_key_id, claim.key),
        )
        return cur.fetchone()["applied_at"]


def test_a_claim_taken_over_cannot_commit_its_events(container: Any) -> None:
    tenant_id, claim = claimed(container)
    with container.db.tx() as cur:  # another attempt takes over after the lease
        cur.execute(
            "UPDATE idempotency_keys SET token = %s WHERE api_key_id = %s AND key = %s",
            (uuid4(), claim.api_key_id, claim.key),
        )
    client = new_client(tenant_id)
    confirming = commit_check.set(claim.confirm)
    try:
        with pytest.raises(CommitRefused):
            container.store.save(client)
    finally:
        commit_check.reset(confirming)
    assert container.store.recorded_events(client.id) == []
    assert applied_at(container, claim) is None


def test_a_held_claim_commits_with_its_events(container: Any) -> None:
    tenant_id, claim = claimed(container)
    client = new_client(tenant_id)
    confirming = commit_check.set(claim.confirm)
    try:
        container.store.save(client)
    finally:
        commit_check.reset(confirming)
    assert len(container.store.recorded_events(client.id)) == 1
    assert applied_at(container, claim) is not None


def test_our_own_write_transactions_confirm_the_claim_too(container: Any) -> None:
    _, claim = claimed(container)
    with container.db.tx() as cur:
        cur.execute(
            "UPDATE idempotency_keys SET token = %s WHERE api_key_id = %s AND key = %s",
            (uuid4(), claim.api_key_id, claim.key),
        )
    name = "never " + secrets.token_hex(3)
    confirming = commit_check.set(claim.confirm)
    try:
        with pytest.raises(CommitRefused), container.db.tx() as cur:
            cur.execute(
                "INSERT INTO tenants (id, name, created_at) VALUES (%s, %s, now())", (uuid4(), name)
            )
        with container.db.tx() as cur:  # a read-only transaction has nothing to confirm
            cur.execute("SELECT count(*) AS n FROM tenants WHERE name = %s", (name,))
            assert cur.fetchone()["n"] == 0
    finally:
        commit_check.reset(confirming)
