"""Response bodies of the operator's tenants (/admin/v1/tenants) and of the tenant's API keys
(/v1/api-keys) (services/api/responses.py).

A key's plaintext is shown once, in the answer that creates it: `TenantCreated.api_key.key`
(the tenant's first admin key) and `ApiKeyCreated.key`. No other Struct declares it, so no
other answer can carry it (`typed` refuses an undeclared key).
"""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

import msgspec

from domain.shared import Role
from services.api.responses import DateTime, Out

Prefix = Annotated[str, msgspec.Meta(description="the key's first characters, to recognise it")]


class TenantOut(Out, kw_only=True):
    """A tenant of the installation."""

    id: UUID
    name: str
    created_at: DateTime


class TenantPage(Out, kw_only=True):
    items: list[TenantOut]
    next_cursor: str | None


class TenantAdminKeyOut(Out, kw_only=True):
    """The new tenant's first admin key. `key` is its plaintext, shown only in this answer."""

    id: UUID
    key: str
    role: Literal["admin"]


class TenantCreated(Out, kw_only=True):
    """`POST /admin/v1/tenants`: the tenant and its first admin key (shown only here)."""

    id: UUID
    name: str
    api_key: TenantAdminKeyOut


class ApiKeyOut(Out, kw_only=True):
    """An API key's metadata (never the key itself). `client_ids` null: every client of the
    tenant."""

    id: UUID
    name: str
    role: Role
    client_ids: list[UUID] | None
    prefix: Prefix
    created_at: DateTime
    revoked_at: DateTime | None


class ApiKeyCreated(ApiKeyOut, kw_only=True):
    """`POST /v1/api-keys`: the new key's metadata and `key`, its plaintext, shown only in
    this answer (it is stored hashed)."""

    key: str


class ApiKeyPage(Out, kw_only=True):
    """The keys the caller may see, not revoked (never their plaintext)."""

    items: list[ApiKeyOut]
    next_cursor: str | None
