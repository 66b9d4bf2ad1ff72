"""Use cases on clients."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from domain.client import Client
from services.auth import EDIT
from services.commands.context import Context, change, requires


@dataclass(frozen=True, kw_only=True)
class CreateClient:
    name: str
    fiscal_year_start_month: int = 1
    currency: str = "USD"


@dataclass(frozen=True, kw_only=True)
class UpdateClient:
    """None leaves a field as it is."""

    client_id: UUID
    rationale: str
    name: str | None = None
    fiscal_year_start_month: int | None = None


@requires(EDIT)
def create_client(ctx: Context, command: CreateClient) -> tuple[Client, int]:
    client = Client.create(
        id=uuid4(),
        tenant_id=ctx.principal.tenant_id,
        name=command.name,
        fiscal_year_start_month=command.fiscal_year_start_month,
        currency=command.currency,
        by=ctx.decision(),
    )
    return client, ctx.store.save(client)


@requires(EDIT)
def update_client(ctx: Context, command: UpdateClient) -> tuple[Client, int]:
    return change(
        ctx,
        Client,
        command.client_id,
        lambda client: client.update(
            name=command.name,
            fiscal_year_start_month=command.fiscal_year_start_month,
            by=ctx.decision(command.rationale),
        ),
    )
