"""Use cases on clients: load, decide, save."""

from __future__ import annotations

from uuid import UUID, uuid4

from domain.client import Client
from services.api.common import Ctx
from services.api.schemas import ClientIn, ClientPatch
from services.auth import EDIT
from services.store import retrying


def create_client(ctx: Ctx, data: ClientIn) -> tuple[Client, int]:
    ctx.principal.require(*EDIT)
    client = Client.create(
        id=uuid4(),
        tenant_id=ctx.principal.tenant_id,
        name=data.name,
        fiscal_year_start_month=data.fiscal_year_start_month,
        currency=data.currency,
        by=ctx.decision(),
    )
    return client, ctx.c.store.save(client)


def update_client(ctx: Ctx, client_id: UUID, data: ClientPatch) -> tuple[Client, int]:
    ctx.principal.require(*EDIT)

    def attempt() -> tuple[Client, int]:
        client = ctx.c.store.load(Client, client_id, ctx.principal, if_match=ctx.if_match)
        client.update(
            name=data.name,
            fiscal_year_start_month=data.fiscal_year_start_month,
            by=ctx.decision(data.rationale),
        )
        return client, ctx.c.store.save(client)

    return retrying(attempt, if_match=ctx.if_match)
