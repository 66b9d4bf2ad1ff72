"""Response bodies as named schemas (issue 11).

Every answer's body is a msgspec Struct declared here or in an area's `*_out.py` module, so the
OpenAPI document names its schema and a generated client returns typed objects. Handlers turn
a read model's or aggregate's view (a dict) into its Struct with `typed`, which refuses a key
the Struct does not declare: a view cannot leak a field the document does not state.

Conventions:
- subclass `Out`; a field that is sometimes absent (not null) is `T | UnsetType = UNSET`, and a
  field that is sometimes null is `T | None` with no default (it is always sent);
- money stays integer minor units with its currency (`MoneyOut`); ids are `UUID`; instants
  are `Instant`: the RFC 3339 text the views already write (UTC, microseconds, `Z`), declared
  `format: date-time` (a `datetime` would be re-encoded without `.000000` on a whole second);
  an instant a view holds as a `datetime` (a PostgreSQL timestamptz) is `DateTime`;
- a page is a Struct of its own: `items: list[ItemOut]` and `next_cursor: str | None`.
- a text's pattern is stated, not checked (`Meta(extra_json_schema={"pattern": ...})`, as
  `CurrencyCode`): the views write it already, and a regular expression per field was most of
  the cost of typing a page of budgets.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, TypeVar
from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType

__all__ = [
    "UNSET",
    "CurrencyCode",
    "DateTime",
    "Instant",
    "MoneyOut",
    "Out",
    "Resource",
    "UnsetType",
    "prepare",
    "typed",
    "typed_list",
]

T = TypeVar("T", bound="Out")


class Out(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """An answer's body. `forbid_unknown_fields` makes `typed` fail on an undeclared key."""


class Resource(Out, kw_only=True):
    """What a command's answer adds to the resource's view: the log position to wait for
    (`min_position`) and, for an item created inside a resource, the new item's id."""

    position: int | UnsetType = UNSET
    created_id: UUID | UnsetType = UNSET


Instant = Annotated[
    str, msgspec.Meta(extra_json_schema={"format": "date-time"}, description="RFC 3339, UTC")
]

# A timezone-aware datetime: msgspec writes it as RFC 3339 and says `format: date-time` (a
# plain `datetime` is documented as any string, since it may be naive).
DateTime = Annotated[datetime, msgspec.Meta(tz=True)]

CurrencyCode = Annotated[
    str, msgspec.Meta(extra_json_schema={"pattern": "^[A-Z]{3}$"}, description="ISO 4217 code")
]


class MoneyOut(Out, kw_only=True):
    """An amount in integer minor units (cents) of one ISO 4217 currency; never a float."""

    amount_minor: int
    currency: CurrencyCode


def typed(kind: type[T], view: dict[str, Any]) -> T:
    """The view as its declared Struct; a key the Struct does not declare is an error."""
    return msgspec.convert(view, kind, strict=False)


def typed_list(kind: type[T], views: list[dict[str, Any]]) -> list[T]:
    return msgspec.convert(views, list[kind], strict=False)  # type: ignore[valid-type]


def prepare() -> int:
    """Have msgspec build the type information of every answer's Struct now, in one thread;
    returns how many Structs. msgspec builds a Struct type's information on the type's first
    use and publishes it before it is complete, so two request threads meeting a type for the
    first time at once can crash the process (msgspec 0.22: a segmentation fault in `convert`
    while another thread is in `get_class_annotations`; seen under the bench's 64 connections
    a moment after a server started). `create_app` calls it."""
    todo: list[type[msgspec.Struct]] = [Out]
    done = 0
    while todo:
        kind = todo.pop()
        todo += kind.__subclasses__()
        msgspec.json.Decoder(kind)
        done += 1
    return done
