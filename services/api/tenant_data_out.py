"""Response bodies of the operator's tenant data operations: export, import, purge
(services/api/responses.py).

An export is not JSON but JSON lines (`application/x-ndjson`): each line is one of the
`Export*` Structs below, told apart by `kind` (`TenantExportLine`); the header comes first and
`end` last (README, "Tenant export format", version 1). services/tenancy/export.py writes the
lines; these Structs declare them, and tests decode a real export with them.
"""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

import msgspec

from services.api.responses import Instant, Out

Count = Annotated[int, msgspec.Meta(ge=0)]


class ExportTenant(Out, kw_only=True):
    id: UUID
    name: str
    created_at: Instant


class ExportHeader(Out, kw_only=True, tag_field="kind", tag="header"):
    """The first line: the format and its version, and the tenant exported."""

    format: Literal["techplan-tenant-export"]
    version: Literal[1]
    exported_at: Instant
    tenant: ExportTenant
    head_position: Count


class ExportApiKey(Out, kw_only=True, tag_field="kind", tag="api_key"):
    """An API key's metadata with the SHA-256 of the key (so the same keys keep working after
    an import), never the key."""

    id: UUID
    name: str
    role: str
    client_ids: list[UUID] | None
    key_hash: str
    key_prefix: str
    created_at: Instant
    revoked_at: Instant | None


class ExportWebhook(Out, kw_only=True, tag_field="kind", tag="webhook"):
    """A webhook subscription, never its secret (an import makes a new one)."""

    id: UUID
    url: str
    event_types: list[str]
    description: str | None
    status: Literal["enabled", "disabled"]
    disabled_reason: str | None
    created_at: Instant


class ExportEvent(Out, kw_only=True, tag_field="kind", tag="event"):
    """One stored event, in position order: `state` is the stored JSON text exactly as the
    event store holds it."""

    position: Annotated[int, msgspec.Meta(ge=1)]
    originator_id: UUID
    originator_version: Annotated[int, msgspec.Meta(ge=1)]
    topic: str
    state: str


class ExportEnd(Out, kw_only=True, tag_field="kind", tag="end"):
    """The last line: how many lines of each kind came before it (a truncated file is
    refused)."""

    events: Count
    api_keys: Count
    webhooks: Count


TenantExportLine = ExportHeader | ExportApiKey | ExportWebhook | ExportEvent | ExportEnd


class TenantImported(Out, kw_only=True):
    """`POST /admin/v1/tenants/import`: the tenant now in this database and how many events
    were written."""

    id: UUID
    name: str
    events: Count


class PurgedCounts(Out, kw_only=True):
    """What a purge removed: events, rows of read models, API keys, webhook subscriptions and
    their deliveries."""

    events: Count
    read_rows: Count
    keys: Count
    webhooks: Count
    deliveries: Count


class TenantPurged(Out, kw_only=True):
    """`DELETE /admin/v1/tenants/{id}`: the tenant's data is gone."""

    id: UUID
    purged: PurgedCounts
