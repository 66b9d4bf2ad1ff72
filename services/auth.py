"""API keys, principals and roles.

A key is `tpk_` + 40 random url-safe characters: recognisable by its prefix, shown once,
stored only as its SHA-256 (a high-entropy secret needs no slow hash). A verified key is
remembered for `KEY_CACHE_SECONDS` (`VerifiedKeys`): revoked in this process it stops working
at once, in another API process within those seconds.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any
from uuid import UUID, uuid4

from domain import limits
from domain.shared import TENANT_WIDE, Actor, Role, check_room
from infra import logs
from infra.db import Cursor, Database
from services.errors import Forbidden, Invalid, NotFound, Unauthorized

KEY_PREFIX = "tpk_"
KEY_CACHE_SECONDS = 2.0  # how long another API process may still accept a revoked key


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(30)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class Principal:
    key_id: UUID
    tenant_id: UUID
    name: str
    role: Role
    client_ids: frozenset[UUID] | None  # None: every client of the tenant

    @cached_property
    def log_fields(self) -> dict[str, str]:
        """The ids every log line of its requests carries, as text (made once a key)."""
        return {"tenant_id": str(self.tenant_id), "key_id": str(self.key_id)}

    @property
    def actor(self) -> Actor:
        return Actor(id=str(self.key_id), name=self.name, role=self.role.value)

    def may_see(self, tenant_id: UUID, client_id: UUID) -> bool:
        if tenant_id != self.tenant_id:
            return False
        if client_id == TENANT_WIDE:  # the standards library: every role but a client's
            return self.role is not Role.CLIENT
        return self.client_ids is None or client_id in self.client_ids

    def require(self, *roles: Role) -> None:
        if self.role not in roles:
            raise Forbidden(f"the {self.role.value} role may not do this")

    def require_tenant_wide(self) -> None:
        """Webhooks and key management belong to keys that see the whole tenant: a webhook
        receives every client's events, so a key limited to clients may not hold one."""
        if self.client_ids is not None:
            raise Forbidden("a key limited to clients may not do this")

    def covers(self, client_ids: frozenset[UUID] | None) -> bool:
        """Whether this key sees at least what a key limited to `client_ids` sees."""
        if self.client_ids is None:
            return True
        return client_ids is not None and client_ids <= self.client_ids


# Who may do what, in one place (API.md "Roles").
READ = (Role.ADMIN, Role.EDITOR, Role.VIEWER, Role.CLIENT)
EDIT = (Role.ADMIN, Role.EDITOR)
ADMIN = (Role.ADMIN,)
DECIDE_BUDGET = (Role.ADMIN, Role.CLIENT)
DECIDE_INITIATIVE = (Role.ADMIN, Role.EDITOR, Role.CLIENT)
READ_LIBRARY = (Role.ADMIN, Role.EDITOR, Role.VIEWER)  # a client key sees its assessments only


class VerifiedKeys:
    """Keys verified a moment ago, by digest, so a burst of requests with one key does not
    look it up on every request (that was a transaction of its own per request).

    An entry lives `seconds`: a key revoked (or its tenant purged) in this process is
    forgotten at once (`forget`); in another API process it keeps working for at most that
    long. Thread-safe: lookups come from the event loop and from worker threads."""

    def __init__(self, seconds: float, size: int = 10_000) -> None:
        self.seconds = seconds
        self.size = size
        self._entries: dict[str, tuple[float, Principal]] = {}
        self._lock = threading.Lock()

    def get(self, digest: str) -> Principal | None:
        with self._lock:
            entry = self._entries.get(digest)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, digest: str, principal: Principal) -> None:
        with self._lock:
            if len(self._entries) >= self.size:
                self._entries.clear()
            self._entries[digest] = (time.monotonic() + self.seconds, principal)

    def forget(self) -> None:
        with self._lock:
            self._entries.clear()


VERIFIED = VerifiedKeys(seconds=KEY_CACHE_SECONDS)


def _digest(authorization: str | None) -> str:
    if not authorization or not authorization.startswith("Bearer "):
        raise Unauthorized("an API key is required: Authorization: Bearer <key>")
    key = authorization.removeprefix("Bearer ").strip()
    if not key.startswith(KEY_PREFIX):
        raise Unauthorized("the API key is not valid")
    return hash_key(key)


def _logged(principal: Principal) -> Principal:
    """Every later line of the request says whose it is (never the key: its id)."""
    logs.bind_text(principal.log_fields)
    return principal


def recently_verified(authorization: str | None) -> Principal | None:
    """The principal of a key verified in the last `KEY_CACHE_SECONDS`, without I/O; None
    when it must be looked up (`authenticate`)."""
    known = VERIFIED.get(_digest(authorization))
    return _logged(known) if known is not None else None


_IN_SCOPE = "techplan.principal"


def note_principal(scope: Any, principal: Principal) -> None:
    """Keep the principal of a request's own Authorization header in its ASGI scope, so that
    what verified it first (the rate limits' middleware) spares the `principal` dependency a
    second digest and header lookup."""
    scope.setdefault("state", {})[_IN_SCOPE] = principal


def noted_principal(scope: Any) -> Principal | None:
    principal: Principal | None = scope.get("state", {}).get(_IN_SCOPE)
    return principal


def authenticate(db: Database, authorization: str | None) -> Principal:
    digest = _digest(authorization)
    known = VERIFIED.get(digest)
    if known is not None:
        return _logged(known)
    with db.tx() as cur:
        cur.execute(
            "SELECT id, tenant_id, name, role, client_ids, key_hash FROM api_keys "
            "WHERE key_hash = %s AND revoked_at IS NULL",
            (digest,),
        )
        row = cur.fetchone()
    if row is None or not hmac.compare_digest(row["key_hash"], digest):
        raise Unauthorized("the API key is not valid")
    principal = _principal(row)
    VERIFIED.put(digest, principal)
    return _logged(principal)


def _principal(row: dict[str, Any]) -> Principal:
    client_ids = row["client_ids"]
    return Principal(
        key_id=row["id"],
        tenant_id=row["tenant_id"],
        name=row["name"],
        role=Role(row["role"]),
        client_ids=frozenset(client_ids) if client_ids is not None else None,
    )


def _hold_room_for_a_key(cur: Cursor, tenant_id: UUID) -> None:
    """The tenant's row lock makes concurrent creations count one after another."""
    cur.execute("SELECT 1 FROM tenants WHERE id = %s FOR UPDATE", (tenant_id,))
    cur.execute(
        "SELECT count(*) AS n FROM api_keys WHERE tenant_id = %s AND revoked_at IS NULL",
        (tenant_id,),
    )
    row = cur.fetchone()
    check_room(row["n"] if row else 0, limits.KEYS_PER_TENANT, "API keys in a tenant")


def check_grant(role: Role, client_ids: list[UUID] | None, *, by: Principal | None) -> None:
    """The scope rules of a new key (API.md "Roles"): an admin key sees the whole tenant, a
    client key needs its clients, and no key creates a key that sees more than it does."""
    if role is Role.ADMIN and client_ids is not None:
        raise Invalid("an admin key is never limited to clients", field="client_ids")
    if role is Role.CLIENT and not client_ids:
        raise Invalid("a client key needs client_ids", field="client_ids")
    scope = frozenset(client_ids) if client_ids is not None else None
    if by is not None and not by.covers(scope):
        raise Forbidden("a key may not create a key that sees more than it does")


def create_key(
    cur: Cursor,
    *,
    tenant_id: UUID,
    name: str,
    role: Role,
    client_ids: list[UUID] | None,
    by: Principal | None = None,
) -> tuple[dict[str, Any], str]:
    check_grant(role, client_ids, by=by)
    _hold_room_for_a_key(cur, tenant_id)
    key = new_key()
    key_id = uuid4()
    cur.execute(
        "INSERT INTO api_keys (id, tenant_id, name, role, client_ids, key_hash, key_prefix,"
        " created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING *",
        (
            key_id,
            tenant_id,
            name,
            role.value,
            client_ids,
            hash_key(key),
            key[:12],
            datetime.now(UTC),
        ),
    )
    row = cur.fetchone()
    assert row is not None
    return key_view(row), key


def key_view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "name": row["name"],
        "role": row["role"],
        "client_ids": [str(c) for c in row["client_ids"]]
        if row["client_ids"] is not None
        else None,
        "prefix": row["key_prefix"],
        "created_at": row["created_at"],
        "revoked_at": row["revoked_at"],
    }


# The keys a principal may see: its tenant's, and when it is limited to clients only keys
# limited to some of those clients (`<@`: contained in).
_IN_SCOPE = (
    "tenant_id = %(tenant)s AND (%(scope)s::uuid[] IS NULL"
    " OR (client_ids IS NOT NULL AND client_ids <@ %(scope)s::uuid[]))"
)


def _scope(principal: Principal) -> dict[str, Any]:
    ids = principal.client_ids
    return {"tenant": principal.tenant_id, "scope": None if ids is None else sorted(ids)}


def list_keys(
    db: Database, principal: Principal, *, after: str | None, limit: int
) -> list[dict[str, Any]]:
    with db.tx() as cur:
        cur.execute(
            f"SELECT * FROM api_keys WHERE {_IN_SCOPE} AND revoked_at IS NULL"
            " AND (%(after)s::uuid IS NULL OR id > %(after)s::uuid) ORDER BY id LIMIT %(limit)s",
            {**_scope(principal), "after": after, "limit": limit},
        )
        return [key_view(r) for r in cur.fetchall()]


def revoke_key(db: Database, principal: Principal, key_id: UUID) -> None:
    """A key outside the principal's scope answers 404 like a random id."""
    with db.tx() as cur:
        cur.execute(
            f"UPDATE api_keys SET revoked_at = now() WHERE id = %(id)s AND {_IN_SCOPE}"
            " AND revoked_at IS NULL",
            {**_scope(principal), "id": key_id},
        )
        if cur.rowcount != 1:
            raise NotFound("API key not found")
    VERIFIED.forget()


def unlimit_admin_keys(cur: Cursor, tenant_id: UUID | None = None) -> dict[str, int]:
    """Admin keys limited to clients (allowed before issue 9) become editor keys with the
    same clients: an editor may do everything such a key was meant for on its clients but
    keys and webhooks. Webhook subscriptions of an affected tenant created since its first
    limited admin key existed may have been made by it (subscriptions record no creator)
    and receive every client's events: they are disabled with a reason, for an unlimited
    admin to review and re-enable. Idempotent; returns what it changed."""
    cur.execute("SELECT set_config('techplan.projector', 'on', true)")  # every tenant's rows
    cur.execute(
        "SELECT tenant_id, min(created_at) AS since FROM api_keys"
        " WHERE role = 'admin' AND client_ids IS NOT NULL"
        " AND (%(t)s::uuid IS NULL OR tenant_id = %(t)s::uuid) GROUP BY tenant_id",
        {"t": tenant_id},
    )
    affected = cur.fetchall()
    webhooks = 0
    for row in affected:
        cur.execute(
            "UPDATE public.webhook_subscriptions SET status = 'disabled', disabled_at = now(),"
            " disabled_reason = %s, version = version + 1, updated_at = now()"
            " WHERE tenant_id = %s AND status = 'enabled' AND created_at >= %s",
            (LIMITED_ADMIN_WEBHOOK, row["tenant_id"], row["since"]),
        )
        webhooks += cur.rowcount
    cur.execute(
        "UPDATE api_keys SET role = 'editor' WHERE role = 'admin' AND client_ids IS NOT NULL"
        " AND (%(t)s::uuid IS NULL OR tenant_id = %(t)s::uuid)",
        {"t": tenant_id},
    )
    keys = cur.rowcount
    cur.execute("SELECT set_config('techplan.projector', '', true)")
    return {"tenants": len(affected), "keys": keys, "webhooks": webhooks}


LIMITED_ADMIN_WEBHOOK = (
    "created while an admin key limited to clients existed: review it, then re-enable"
)


def create_tenant(db: Database, name: str) -> dict[str, Any]:
    tenant_id = uuid4()
    with db.tx() as cur:
        cur.execute(
            "INSERT INTO tenants (id, name, created_at) VALUES (%s, %s, now())",
            (tenant_id, name),
        )
        key_row, key = create_key(
            cur, tenant_id=tenant_id, name=f"{name} admin", role=Role.ADMIN, client_ids=None
        )
    return {
        "id": str(tenant_id),
        "name": name,
        "api_key": {"id": key_row["id"], "key": key, "role": Role.ADMIN.value},
    }


def list_tenants(db: Database, *, after: str | None, limit: int) -> list[dict[str, Any]]:
    with db.tx() as cur:
        cur.execute(
            "SELECT id, name, created_at FROM tenants"
            " WHERE (%s::uuid IS NULL OR id > %s::uuid) ORDER BY id LIMIT %s",
            (after, after, limit),
        )
        return [
            {"id": str(r["id"]), "name": r["name"], "created_at": r["created_at"]}
            for r in cur.fetchall()
        ]


def check_admin_token(expected: str | None, authorization: str | None) -> None:
    if not expected:
        raise Forbidden("the operator API is disabled: TECHPLAN_ADMIN_TOKEN is not set")
    given = (authorization or "").removeprefix("Bearer ").strip()
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Unauthorized("the operator token is not valid")
