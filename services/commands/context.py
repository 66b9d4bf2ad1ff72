"""What every use case stands on: who asks, when, under which request, and the one
load-decide-save loop that all of them share.

Nothing here knows HTTP: the API builds a `Context` from a request (services/api/common.py),
the demo builds one per step of its story, the use-case tests build one on an in-memory store.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Concatenate, ParamSpec, TypeVar
from uuid import UUID

from domain.shared import Actor, Decision, TechplanAggregate
from services.auth import Principal, Role
from services.commands.telemetry import command
from services.store import Store, retrying

A = TypeVar("A", bound=TechplanAggregate)
P = ParamSpec("P")
R = TypeVar("R")

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Context:
    """One request's (or one demo step's) command context."""

    store: Store
    principal: Principal
    correlation_id: str
    if_match: int | None = None
    clock: Clock = utc_now

    def decision(self, rationale: str | None = None) -> Decision:
        return Decision(
            actor=self.principal.actor,
            at=self.clock(),
            correlation_id=self.correlation_id,
            rationale=rationale,
        )

    @property
    def actor(self) -> Actor:
        return self.principal.actor

    def load(self, cls: type[A], aggregate_id: UUID) -> A:
        """Another aggregate a decision reads (never version-checked: If-Match names the
        aggregate the command changes)."""
        return self.store.load(cls, aggregate_id, self.principal)


def requires(
    roles: tuple[Role, ...],
) -> Callable[[Callable[Concatenate[Context, P], R]], Callable[Concatenate[Context, P], R]]:
    """Who may run a use case, declared where it is defined and checked once, first: before
    anything is loaded, so a key without the role learns nothing about what exists."""

    def declare(
        use_case: Callable[Concatenate[Context, P], R],
    ) -> Callable[Concatenate[Context, P], R]:
        name = f"{use_case.__module__.rsplit('.', 1)[-1]}.{use_case.__name__}"

        @functools.wraps(use_case)
        def checked(ctx: Context, /, *args: P.args, **kwargs: P.kwargs) -> R:
            with command(name):
                ctx.principal.require(*roles)
                return use_case(ctx, *args, **kwargs)

        checked.roles = roles  # type: ignore[attr-defined]  # for the tests that list them
        return checked

    return declare


class Pin(Enum):
    """What a request's If-Match pins."""

    ALL = "all"
    """The changed aggregate must be at that version, and a concurrent write to anything the
    command saves is a stale If-Match (412) rather than a retry."""
    LOADED = "loaded"
    """Only the changed aggregate is version-checked, on every attempt: a concurrent write to
    another aggregate saved with it (a client renamed meanwhile) is retried."""
    NOTHING = "nothing"
    """Creating under a parent: If-Match does not apply, conflicts are retried."""


Decide = Callable[[A], Sequence[TechplanAggregate] | None]


def change(
    ctx: Context,
    cls: type[A],
    aggregate_id: UUID,
    decide: Decide[A],
    *,
    pin: Pin = Pin.ALL,
) -> tuple[A, int]:
    """Load, decide, save: retried on fresh state when another writer got there first
    (services/store.py `retrying`). The use case has checked the role (`requires`).

    `decide` calls the aggregate's methods. It returns None when only that aggregate changed,
    or every aggregate to save atomically, in the order their events are to be stored (a rule
    that spans aggregates writes them in one save). Returns the aggregate and the log position
    of the save.
    """
    if_match = None if pin is Pin.NOTHING else ctx.if_match

    def attempt() -> tuple[A, int]:
        aggregate = ctx.store.load(cls, aggregate_id, ctx.principal, if_match=if_match)
        changed = decide(aggregate)
        return aggregate, ctx.store.save(*(changed or (aggregate,)))

    return retrying(attempt, if_match=ctx.if_match if pin is Pin.ALL else None)
