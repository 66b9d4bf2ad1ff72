"""Request bodies: decoded and validated by msgspec before anything reaches the domain."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from domain.shared import Priority, Role

# Names and titles: 1-200 characters, no control characters, not only spaces (one character
# that is neither, rather than a lookahead: schema-driven generators cannot build lookaheads).
Name = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=200,
        pattern=r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$",
        description="1-200 characters, no control characters",
    ),
]
# Descriptions, visions, notes, summaries: up to 4,000; tab and newline allowed.
Text = Annotated[
    str,
    Meta(
        max_length=4000,
        pattern=r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$",
        description="up to 4,000 characters; tab and newline are the only control characters",
    ),
]
Rationale = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=4000,
        pattern=r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0b-\x1f\x7f-\x9f]*$",
        description="why: 1-4,000 characters",
    ),
]
Month = Annotated[int, Meta(ge=1, le=12)]
Currency = Annotated[str, Meta(pattern=r"^[A-Z]{3}$", description="ISO 4217 code")]


class Body(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Policy set once: unknown fields are refused, every field is named."""


class TenantIn(Body, kw_only=True):
    name: Name


class ApiKeyIn(Body, kw_only=True):
    name: Name
    role: Role
    client_ids: (
        Annotated[
            list[UUID],
            Meta(
                min_length=1,
                max_length=1000,
                description="the clients the key may see; omit it for every client (an admin"
                " key never carries it)",
            ),
        ]
        | None
    ) = None


class ClientIn(Body, kw_only=True):
    name: Name
    fiscal_year_start_month: Month = 1
    currency: Currency = "USD"


class ClientPatch(Body, kw_only=True):
    rationale: Rationale
    name: Name | None = None
    fiscal_year_start_month: Month | None = None


class StrategyIn(Body, kw_only=True):
    title: Name
    vision: Text | None = None
    rationale: Rationale | None = None


class GoalIn(Body, kw_only=True):
    title: Name
    description: Text | None = None
    priority: Priority
    rationale: Rationale | None = None


class GoalPatch(Body, kw_only=True):
    rationale: Rationale
    title: Name | None = None
    description: Text | None = None
    priority: Priority | None = None


class PrincipleIn(Body, kw_only=True):
    statement: Text
    rationale: Rationale | None = None


class DecisionIn(Body, kw_only=True):
    rationale: Rationale


Attendees = Annotated[list[Name], Meta(max_length=100, description="up to 100 names")]


class ReviewIn(Body, kw_only=True):
    title: Name
    scheduled_for: date
    attendees: Attendees = []


class ReviewPatch(Body, kw_only=True):
    rationale: Rationale
    title: Name | None = None
    scheduled_for: date | None = None
    attendees: Attendees | None = None


class ReviewComplete(Body, kw_only=True):
    summary: Text | None = None
    rationale: Rationale | None = None
