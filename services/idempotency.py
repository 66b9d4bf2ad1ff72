"""`Idempotency-Key` on POST, kept 24 h in PostgreSQL and scoped to the API key.

A repeat with the same key and body returns the first response and changes nothing; the same
key with another body is 422; a repeat while the first is still running is 409. A first
attempt that ends in a 5xx releases the key, so the client may try again.

A stored response can hold a secret shown only once (a new API key, a webhook secret), so it
is kept encrypted with a key derived from the caller's API key itself: the database holds only
that API key's hash, so only whoever holds the API key can read the stored answer back.

Crash-safe. The process running the first attempt may die (SIGKILL, a lost machine) at any
point, so a claim is a lease (`lease_until`, a little longer than the request timeout) held by
one attempt (`token`), and every transaction that writes for the request confirms, inside
itself, that its attempt still holds the claim and records `applied_at` (the commit check of
infra/db.py, run by our transactions and the event store's). So:
- a repeat while the lease runs is 409 (it may still be running);
- after the lease, if nothing was applied, the repeat takes the claim over and runs; the old
  attempt, should it still be alive somewhere, can no longer commit (its check fails);
- after the lease, if the first attempt's writes committed but its response was never stored
  (it died in between), the repeat is a 409 that says so (type `idempotency-response-lost`):
  the effect happened exactly once and the resource shows it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import anyio.to_thread
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from litestar.types import ASGIApp

from infra.db import REFUSED, Cursor, Database, DatabaseUnavailable, commit_check
from services.auth import authenticate
from services.errors import Unauthorized

log = logging.getLogger("techplan.idempotency")

TTL = "24 hours"
LEASE_MARGIN = 5.0  # seconds a claim outlives the request timeout


@dataclass(frozen=True)
class Claim:
    api_key_id: UUID
    key: str
    token: UUID

    def confirm(self, cur: Cursor) -> None:
        """Inside a transaction about to commit: if it wrote, the claim must still be ours
        (else PostgreSQL refuses the transaction), and it records that the request's writes
        are applied (CONFIRM_CLAIM)."""
        cur.execute(
            "SELECT techplan_confirm_claim(%s, %s, %s)", (self.api_key_id, self.key, self.token)
        )


# One round trip, and a refusal raised by the server itself: whoever holds the transaction
# (our pool, the event store's recorder) can only roll it back.
CONFIRM_CLAIM = f"""CREATE OR REPLACE FUNCTION techplan_confirm_claim(
    p_api_key_id uuid, p_key text, p_token uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF pg_current_xact_id_if_assigned() IS NULL THEN
        RETURN;  -- nothing written: nothing to confirm
    END IF;
    UPDATE idempotency_keys SET applied_at = coalesce(applied_at, now())
    WHERE api_key_id = p_api_key_id AND key = p_key AND token = p_token AND state = 'running';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'another request with this Idempotency-Key took over from this one'
            USING ERRCODE = '{REFUSED}';
    END IF;
END $$"""


def _problem(status: int, title: str, detail: str, type_: str | None = None) -> tuple[int, bytes]:
    body = {
        "type": f"https://techplan.dev/problems/{type_ or status}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    return status, json.dumps(body).encode()


def _box(authorization: str) -> Fernet:
    api_key = authorization.removeprefix("Bearer ").strip().encode()
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"techplan", info=b"idempotent responses v1"
    ).derive(api_key)
    return Fernet(base64.urlsafe_b64encode(derived))


def _key_id(db: Database, authorization: str) -> UUID | None:
    try:
        return authenticate(db, authorization).key_id
    except Unauthorized:
        return None


def _claim(
    db: Database, key_id: UUID, key: str, request_hash: str, lease: float
) -> tuple[str, Any]:
    token = uuid4()
    with db.tx() as cur:
        cur.execute(
            f"DELETE FROM idempotency_keys WHERE api_key_id = %s AND key = %s"
            f" AND created_at < now() - interval '{TTL}'",
            (key_id, key),
        )
        cur.execute(
            "INSERT INTO idempotency_keys"
            " (api_key_id, key, request_hash, state, token, lease_until)"
            " VALUES (%s, %s, %s, 'running', %s, now() + make_interval(secs => %s))"
            " ON CONFLICT DO NOTHING RETURNING key",
            (key_id, key, request_hash, token, lease),
        )
        if cur.fetchone() is not None:
            return "new", Claim(key_id, key, token)
        cur.execute(
            "SELECT *, lease_until > now() AS leased FROM idempotency_keys"
            " WHERE api_key_id = %s AND key = %s FOR UPDATE",
            (key_id, key),
        )
        row = cur.fetchone()
        if row is None:  # released between our insert and select
            return "running", None
        if row["request_hash"] != request_hash:
            return "mismatch", None
        if row["state"] != "running":
            return "replay", row
        if row["leased"]:
            return "running", None
        if row["applied_at"] is not None:
            return "lost", row
        # The attempt that held it is gone and applied nothing: this one takes over.
        cur.execute(
            "UPDATE idempotency_keys SET token = %s,"
            " lease_until = now() + make_interval(secs => %s)"
            " WHERE api_key_id = %s AND key = %s",
            (token, lease, key_id, key),
        )
        return "new", Claim(key_id, key, token)


def purge_expired(db: Database, *, batch: int = 5000) -> int:
    """Delete every key older than the TTL, in batches so no one transaction grows with the
    backlog; returns how many went. A `running` row that old belongs to a process that died."""
    purged = 0
    while True:
        with db.tx() as cur:
            cur.execute(
                "DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys"
                f" WHERE created_at < now() - interval '{TTL}' LIMIT %s)",
                (batch,),
            )
            purged += cur.rowcount
            if cur.rowcount < batch:
                return purged


def _finish(claim: Claim, db: Database, status: int, headers: list[Any], body: bytes) -> None:
    where = " WHERE api_key_id = %s AND key = %s AND token = %s"
    ids = (claim.api_key_id, claim.key, claim.token)
    try:
        with db.tx() as cur:
            if status < 500:
                cur.execute(
                    "UPDATE idempotency_keys SET state = 'done', status_code = %s,"
                    " headers = %s, body = %s" + where,
                    (status, json.dumps(headers), body, *ids),
                )
                return
            # Failed: the key is free again, unless something was applied (then a repeat
            # must learn that at once rather than apply it twice).
            cur.execute("DELETE FROM idempotency_keys" + where + " AND applied_at IS NULL", ids)
            cur.execute("UPDATE idempotency_keys SET lease_until = now()" + where, ids)
    except DatabaseUnavailable:
        log.warning("idempotency key not settled (database unavailable); its lease will end")


async def _send_plain(send: Any, status: int, body: bytes, headers: list[Any]) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def idempotency_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await app(scope, receive, send)
            return
        headers = {k.decode().lower(): v.decode("latin-1") for k, v in scope["headers"]}
        key = headers.get("idempotency-key")
        authorization = headers.get("authorization", "")
        container = scope["app"].state.container
        db: Database = container.db
        if not key or not authorization:
            await app(scope, receive, send)
            return
        if len(key) > 255:
            status, body = _problem(400, "Bad Request", "Idempotency-Key is longer than 255")
            await _send_plain(send, status, body, [(b"content-type", b"application/problem+json")])
            return
        key_id = await anyio.to_thread.run_sync(_key_id, db, authorization)
        if key_id is None:  # the app answers 401 itself
            await app(scope, receive, send)
            return

        chunks: list[bytes] = []
        size, limit = 0, container.settings.max_body_size
        while True:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size <= limit + 1:
                chunks.append(chunk)
            if not message.get("more_body"):
                break
        body_bytes = b"".join(chunks)
        digest = hashlib.sha256(
            scope["path"].encode() + b"?" + scope.get("query_string", b"") + b"\n" + body_bytes
        ).hexdigest()

        lease = container.settings.request_timeout + LEASE_MARGIN
        outcome, row = await anyio.to_thread.run_sync(_claim, db, key_id, key, digest, lease)
        problem_headers = [(b"content-type", b"application/problem+json")]
        if outcome == "lost":
            status, body = _problem(
                409,
                "Conflict",
                "a request with this Idempotency-Key was applied (at"
                f" {row['applied_at'].isoformat()}) but its response was lost: it is not"
                " applied again; read the resource to see its state",
                "idempotency-response-lost",
            )
            await _send_plain(send, status, body, problem_headers)
            return
        if outcome == "running":
            status, body = _problem(
                409, "Conflict", "a request with this Idempotency-Key is still running"
            )
            await _send_plain(send, status, body, problem_headers)
            return
        if outcome == "mismatch":
            status, body = _problem(
                422,
                "Unprocessable Content",
                "this Idempotency-Key was used with another request body",
            )
            await _send_plain(send, status, body, problem_headers)
            return
        if outcome == "replay":
            stored = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in row["headers"]]
            stored.append((b"idempotent-replayed", b"true"))
            try:
                body = _box(authorization).decrypt(bytes(row["body"]))
            except InvalidToken:  # cannot happen for the key that stored it; never a 500
                status, body = _problem(409, "Conflict", "the stored response cannot be read")
                await _send_plain(send, status, body, problem_headers)
                return
            await _send_plain(send, row["status_code"], body, stored)
            return

        replayed = False

        async def replay_receive() -> Any:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body_bytes, "more_body": False}
            return await receive()

        status_code = 500
        response_headers: list[Any] = []
        response_body: list[bytes] = []
        held: list[Any] = []

        async def capture(message: Any) -> None:
            nonlocal status_code, response_headers
            if message["type"] == "http.response.start":
                status_code = message["status"]
                response_headers = [
                    (k.decode("latin-1"), v.decode("latin-1"))
                    for k, v in message.get("headers", [])
                    if k.lower() not in (b"content-length", b"date")
                ]
            elif message["type"] == "http.response.body":
                response_body.append(message.get("body", b""))
            held.append(message)  # sent once the answer is stored

        claim: Claim = row
        confirming = commit_check.set(claim.confirm)
        try:
            await app(scope, replay_receive, capture)
        except BaseException:
            await anyio.to_thread.run_sync(_finish, claim, db, 500, [], b"")
            raise
        finally:
            commit_check.reset(confirming)
        # Stored before the client sees it: a client that got an answer can always have it
        # again; only a crash between the commit and this leaves an answer lost.
        sealed = _box(authorization).encrypt(b"".join(response_body))
        await anyio.to_thread.run_sync(_finish, claim, db, status_code, response_headers, sealed)
        for message in held:
            await send(message)

    return middleware
