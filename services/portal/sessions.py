"""Portal sessions: a cookie that stands for an API key held server-side.

Signing in with a key creates a row here naming the key's id (never the key). The browser
gets `<token>.<signature>`: 32 random bytes and their HMAC under this installation's signing
key (kept in the database, so every API process and every restart agrees). The database keeps
only the token's SHA-256, like the keys themselves, so reading this table gives no session.

Every request looks the session up joined to its key, so a revoked key (or a purged tenant:
the rows cascade) ends its sessions at once, and signing out deletes the row: a copied
cookie stops working too. Each session carries its own CSRF token (the synchronizer-token
pattern), compared in constant time on every form it posts.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from domain.shared import Role
from infra.db import Cursor, Database
from services.auth import Principal

COOKIE = "techplan_session"
LIFETIME = timedelta(hours=8)

DDL = (
    """CREATE TABLE IF NOT EXISTS portal_sessions (
        token_hash text PRIMARY KEY,
        key_id uuid NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
        csrf text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS portal_sessions_key ON portal_sessions (key_id)",
    "CREATE INDEX IF NOT EXISTS portal_sessions_expiry ON portal_sessions (expires_at)",
    """CREATE TABLE IF NOT EXISTS portal_signing_key (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        key bytea NOT NULL)""",
)


def create_tables(cur: Cursor) -> None:
    for statement in DDL:
        cur.execute(statement)
    cur.execute(
        "INSERT INTO portal_signing_key (id, key) VALUES (true, %s) ON CONFLICT DO NOTHING",
        (secrets.token_bytes(32),),
    )


@dataclass(frozen=True)
class Session:
    principal: Principal
    csrf: str
    token_hash: str

    def check_csrf(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.csrf.encode())


class Sessions:
    """Sessions of one database; the signing key is read once, on first use."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._key: bytes | None = None

    def _signing_key(self) -> bytes:
        if self._key is None:
            with self.db.tx() as cur:
                cur.execute("SELECT key FROM portal_signing_key WHERE id")
                row = cur.fetchone()
            if row is None:
                raise RuntimeError("the portal's tables are missing: run `techplan migrate`")
            self._key = bytes(row["key"])
        return self._key

    def _sign(self, token: str) -> str:
        return hmac.new(self._signing_key(), token.encode(), hashlib.sha256).hexdigest()

    def sign(self, value: str) -> str:
        """A value (the sign-in form's nonce) with its signature."""
        return f"{value}.{self._sign(value)}"

    def verify(self, signed: str | None) -> str | None:
        """The value of a signed string, or None when it was not signed here."""
        value, _, signature = (signed or "").rpartition(".")
        if not value or not hmac.compare_digest(signature.encode(), self._sign(value).encode()):
            return None
        return value

    def start(self, principal: Principal) -> str:
        """A new session for the key; returns the cookie's value."""
        token = secrets.token_urlsafe(32)
        with self.db.tx() as cur:
            cur.execute("DELETE FROM portal_sessions WHERE expires_at < now()")
            cur.execute(
                "INSERT INTO portal_sessions (token_hash, key_id, csrf, expires_at)"
                " VALUES (%s, %s, %s, now() + %s)",
                (_hash(token), principal.key_id, secrets.token_urlsafe(32), LIFETIME),
            )
        return self.sign(token)

    def find(self, cookie: str | None) -> Session | None:
        """The live session of a cookie whose key still works, else None."""
        token = self.verify(cookie)
        if token is None:
            return None
        with self.db.tx() as cur:
            cur.execute(
                "SELECT s.token_hash, s.csrf, k.id, k.tenant_id, k.name, k.role, k.client_ids"
                " FROM portal_sessions s JOIN api_keys k ON k.id = s.key_id"
                " WHERE s.token_hash = %s AND s.expires_at > now() AND k.revoked_at IS NULL",
                (_hash(token),),
            )
            row = cur.fetchone()
        if row is None:
            return None
        client_ids = row["client_ids"]
        principal = Principal(
            key_id=row["id"],
            tenant_id=row["tenant_id"],
            name=row["name"],
            role=Role(row["role"]),
            client_ids=frozenset(client_ids) if client_ids is not None else None,
        )
        return Session(principal=principal, csrf=row["csrf"], token_hash=row["token_hash"])

    def end(self, session: Session) -> None:
        with self.db.tx() as cur:
            cur.execute("DELETE FROM portal_sessions WHERE token_hash = %s", (session.token_hash,))

    def count_for_key(self, key_id: UUID) -> int:
        with self.db.tx() as cur:
            cur.execute("SELECT count(*) AS n FROM portal_sessions WHERE key_id = %s", (key_id,))
            row = cur.fetchone()
        return int(row["n"]) if row else 0


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
