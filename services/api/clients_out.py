"""Response bodies of /v1/clients (services/api/responses.py)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec

from services.api.responses import Out, Resource


class ClientOut(Resource, kw_only=True):
    """A client company of the MSP, as of its latest (or the requested) version."""

    id: UUID
    name: str
    fiscal_year_start_month: Annotated[int, msgspec.Meta(ge=1, le=12)]
    currency: Annotated[str, msgspec.Meta(pattern="^[A-Z]{3}$")]
    active_strategy_id: UUID | None
    version: int


class ClientPage(Out, kw_only=True):
    items: list[ClientOut]
    next_cursor: str | None
