"""Value objects, the event base and the errors every aggregate shares.

Nothing here touches I/O or the clock: time, ids and the actor arrive as arguments.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum, StrEnum
from typing import Any, ClassVar, Final, Self, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate, Snapshot
from eventsourcing.utils import get_topic

# ---------------------------------------------------------------- errors


class DomainError(Exception):
    """A broken rule. `kind` tells the HTTP layer which status family it belongs to."""

    kind: ClassVar[str] = "invalid"  # invalid -> 422, conflict -> 409, not_found -> 404
    problem_type: ClassVar[str | None] = None  # a problem type of its own, else by status

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class RuleViolation(DomainError):
    """The command contradicts a domain rule whatever the state (422)."""

    kind = "invalid"


class LimitExceeded(RuleViolation):
    """An aggregate is at one of its size limits (422, problem type `.../limit-exceeded`).

    The limits keep every aggregate loadable and every page cheap: one tenant cannot grow an
    aggregate until reading it slows everyone (API.md, "Limits and fairness")."""

    problem_type: ClassVar[str | None] = "limit-exceeded"


def check_room(count: int, limit: int, what: str, *, field: str | None = None) -> None:
    """Refuse to add one more of `what` when `count` of them already reach `limit`."""
    if count >= limit:
        raise LimitExceeded(f"at most {limit:,} {what} (the limit is reached)", field=field)


class StateConflict(DomainError):
    """The command is not allowed in the aggregate's current state (409)."""

    kind = "conflict"


class ItemNotFound(DomainError):
    """The command names an item (goal, initiative, line) the aggregate does not have (404)."""

    kind = "not_found"


# ---------------------------------------------------------------- value objects


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    VIEWER = "viewer"
    CLIENT = "client"


@dataclass(frozen=True)
class Actor:
    """Who took a decision: the principal behind the API key."""

    id: str
    name: str
    role: str

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "role": self.role}


@dataclass(frozen=True)
class Decision:
    """Who, when, why (and under which request) a command is taken."""

    actor: Actor
    at: datetime
    correlation_id: str = ""
    rationale: str | None = None


class Priority(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True, order=False)
class Money:
    """An amount in integer minor units of one ISO 4217 currency. Never a float."""

    amount_minor: int
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.amount_minor, bool) or not isinstance(self.amount_minor, int):
            raise RuleViolation("amount_minor must be an integer", field="amount_minor")
        if not (isinstance(self.currency, str) and _CURRENCY.fullmatch(self.currency)):
            raise RuleViolation("currency must be an ISO 4217 code", field="currency")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise RuleViolation(
                f"cannot combine {self.currency} with {other.currency}", field="currency"
            )

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount_minor + other.amount_minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount_minor - other.amount_minor, self.currency)

    def __mul__(self, factor: int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, int):
            raise TypeError("Money is multiplied by integers only")
        return Money(self.amount_minor * factor, self.currency)

    @classmethod
    def total(cls, amounts: Iterable[Money], currency: str) -> Money:
        """The sum of `amounts`, all in `currency`; zero when there are none."""
        result = cls.zero(currency)
        for amount in amounts:
            result = result + amount
        return result

    @classmethod
    def from_dict(cls, data: Any, *, field: str) -> Money:
        """Money from its JSON shape; errors name `field.amount_minor` or `field.currency`."""
        if not isinstance(data, Mapping):
            raise RuleViolation("money is {amount_minor, currency}", field=field)
        for key in ("amount_minor", "currency"):
            if key not in data:
                raise RuleViolation(f"{key} is required", field=f"{field}.{key}")
        if not isinstance(data["currency"], str):
            raise RuleViolation("currency must be an ISO 4217 code", field=f"{field}.currency")
        try:
            return cls(data["amount_minor"], data["currency"])
        except RuleViolation as error:
            raise RuleViolation(error.message, field=f"{field}.{error.field}") from None

    def as_dict(self) -> dict[str, Any]:
        return {"amount_minor": self.amount_minor, "currency": self.currency}


class Unset(Enum):
    """Marks an argument that was not given, where None is a meaningful value."""

    UNSET = "unset"


UNSET: Final = Unset.UNSET


T = TypeVar("T")


def find(items: Mapping[UUID, T], item_id: UUID | str, what: str) -> T:
    """The item of an aggregate (an initiative, a goal, a line) with this id, or a 404."""
    try:
        return items[item_id if isinstance(item_id, UUID) else UUID(item_id)]
    except (KeyError, ValueError):
        raise ItemNotFound(f"{what} not found") from None


def canonical_id(value: UUID | str, field: str) -> str:
    """An id as views and events write it: a lowercase UUID string."""
    try:
        return str(value if isinstance(value, UUID) else UUID(str(value)))
    except ValueError:
        raise RuleViolation("not a valid id", field=field) from None


_ID_TEXTS: dict[UUID, str] = {}


def id_text(value: UUID) -> str:
    """`str(value)`, made once per id: a view names its aggregate's ids at every version the
    audit trail folds, and making a UUID's text costs four times looking it up here."""
    text = _ID_TEXTS.get(value)
    if text is None:
        if len(_ID_TEXTS) >= 100_000:
            _ID_TEXTS.clear()
        text = _ID_TEXTS[value] = str(value)
    return text


def rfc3339(moment: datetime) -> str:
    """A timezone-aware time as API.md writes it: UTC, microseconds, `Z`."""
    if moment.tzinfo is UTC:  # as PostgreSQL hands them over: no conversion (a third faster)
        return moment.isoformat(timespec="microseconds")[:-6] + "Z"
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a decision's time must be timezone-aware")
    # isoformat writes the year with four digits (strftime's %Y does not before 1000).
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


# ---------------------------------------------------------------- events and aggregates

# The client id of a tenant-wide aggregate (the standards library), which belongs to no client:
# every event still names a client id, so every read table's column stays NOT NULL, and no
# key limited to some clients (nor any `client` key) sees it as one of theirs. Outputs show
# it as null.
TENANT_WIDE: Final = UUID(int=0)


_TYPE_NAMES: dict[type, str] = {}  # each event class's type name, derived once


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class TechplanEvent(Aggregate.Event):
    """Every event says whose it is, who did it, under which request and why.

    Subclasses add only what changed. `type_name` (e.g. `strategy.goal_added`) is derived
    from the aggregate and the class name; the first docstring line describes it.
    """

    tenant_id: UUID
    client_id: UUID
    actor: Actor
    correlation_id: str
    rationale: str | None

    @classmethod
    def type_name(cls) -> str:
        found = _TYPE_NAMES.get(cls)
        if found is None:
            outer = getattr(sys.modules[cls.__module__], cls.__qualname__.split(".")[0])
            name = getattr(cls, "event_name", "") or snake(cls.__name__)
            found = _TYPE_NAMES[cls] = f"{outer.aggregate_type}.{name}"
        return found


class TechplanCreated(Aggregate.Created, TechplanEvent):
    event_name: ClassVar[str] = "created"


class TechplanSnapshot(Snapshot):
    """A snapshot holding an aggregate's primitive state (see `TechplanAggregate`)."""

    @classmethod
    def take(cls, aggregate: Any) -> Self:
        if not isinstance(aggregate, TechplanAggregate):
            raise TypeError(f"not a Techplan aggregate: {aggregate!r}")
        return cls(
            originator_id=aggregate.id,
            originator_version=aggregate.version,
            timestamp=cls.create_timestamp(),
            topic=get_topic(type(aggregate)),
            state=aggregate.primitive_state(),
        )


class TechplanAggregate(Aggregate):
    """Base for every aggregate: it belongs to a tenant and a client.

    State is typed (class version 2): items kept by id, enums, Money, quarters. Snapshots
    store it in its primitive form instead, the version-1 shape that every snapshot written
    before typed state has (lists of dicts in view shape, strings), so one path loads old
    snapshots and new ones alike: eventsourcing sees a version-1 state and calls
    `upcast_v1_v2`, which types it. Stored data (events and snapshots) never holds a domain
    type, so the typed representation can change without a migration.
    """

    class_version = 2
    Snapshot = TechplanSnapshot

    aggregate_type: ClassVar[str] = ""
    tenant_id: UUID
    client_id: UUID

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # eventsourcing turns an annotated aggregate into a dataclass whose __init__ demands
        # every annotated attribute from the Created event. Here state is set by the Created
        # event's `apply` instead, so subclasses get an __init__ that takes nothing.
        if "__init__" not in cls.__dict__:
            setattr(cls, "__init__", _init_from_apply)  # noqa: B010
        super().__init_subclass__(**kwargs)

    def _record(self, event_class: type[TechplanEvent], by: Decision, **fields: Any) -> None:
        self.trigger_event(
            event_class,
            timestamp=by.at,
            tenant_id=self.tenant_id,
            client_id=self.client_id,
            actor=by.actor,
            correlation_id=by.correlation_id,
            rationale=by.rationale,
            **fields,
        )

    def view(self) -> dict[str, Any]:
        """The resource as GET shows it; history diffs compare these."""
        raise NotImplementedError

    def primitive_state(self) -> dict[str, Any]:
        """The state as a snapshot stores it; subclasses turn their typed attributes into
        the primitive shape that `upcast_v1_v2` reads back."""
        return {k: v for k, v in vars(self).items() if k not in _RECONSTRUCTED}

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Type a snapshot's primitive state, in place (nothing to type here)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        """The event store's aggregate cache hands out a deep copy on every load. State is
        immutable values (ids, strings, enums, frozen value objects) kept in containers, and
        every change replaces a value rather than mutating it, so copying the containers is a
        complete copy at a small part of `copy.deepcopy`'s cost on a large plan or budget."""
        clone = object.__new__(type(self))
        clone.__dict__.update({k: _copied(v) for k, v in self.__dict__.items()})
        return clone

    def _require_rationale(self, by: Decision) -> None:
        if not by.rationale or not by.rationale.strip():
            raise RuleViolation("a decision needs a rationale", field="rationale")


def _copied(value: Any) -> Any:
    """Containers copied (recursively), values shared: see `TechplanAggregate.__deepcopy__`."""
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copied(v) for v in value]
    if isinstance(value, set):
        return {_copied(v) for v in value}
    return value


# Set by eventsourcing itself when it loads a snapshot.
_RECONSTRUCTED = frozenset({"_id", "_version", "_pending_events"})


def _init_from_apply(self: TechplanAggregate) -> None:
    """State is set by the Created event's `apply`."""


A = TypeVar("A", bound=TechplanAggregate)


def created_fields(tenant_id: UUID, client_id: UUID, by: Decision) -> dict[str, Any]:
    """The common fields of a creation event, for `Aggregate._create`."""
    return {
        "timestamp": by.at,
        "tenant_id": tenant_id,
        "client_id": client_id,
        "actor": by.actor,
        "correlation_id": by.correlation_id,
        "rationale": by.rationale,
    }
