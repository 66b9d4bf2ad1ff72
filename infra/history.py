"""How a decision changed over time: field-level history, time travel and diffs.

Changes compare the resource as GET shows it before and after an event (the audit trail
stores them per event, /history pages through them); list items are addressed by their id,
so a path reads `/goals/{gid}/priority`. Views share their items' shapes while the items do
not change, so the equality checks below mostly find identical objects and return at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import compress, filterfalse
from operator import is_not
from typing import Any

from infra.eventstore import RecordedEvent

IGNORED = {"version", "position", "created_id"}


def _escape(key: str) -> str:
    if "~" in key or "/" in key:
        return key.replace("~", "~0").replace("/", "~1")
    return key


# Types whose every value equals itself (unlike a float or a Decimal NaN): one object on both
# sides is no change.
SELF_EQUAL = frozenset({str, int, bool, type(None), dict, list, tuple})

# What identifies a list item: its id, or for an assessment's items the standard checked.
ITEM_KEYS = ("id", "standard_id")


def _keyed(items: list[Any]) -> tuple[str, dict[str, Any]] | None:
    """The first of ITEM_KEYS that every item has, and the items by it (None: no such key).
    Views hold JSON values, so an item has the key exactly when `item[key]` finds it."""
    if not items:
        return None
    for key in ITEM_KEYS:
        try:
            return key, {str(item[key]): item for item in items}
        except (KeyError, TypeError):
            continue
    return None


def _in_place(before: list[Any], after: list[Any], key: str, path: str) -> list[Any] | None:
    """The changes between two lists of as many items, `before`'s keyed by `key` without a
    duplicate, when `after` holds the same keys at the same places (an event changed items
    and moved none): the changed items diffed in order, as keying both lists finds them,
    without keying `after`. None when that is not so."""
    changes: list[dict[str, Any]] = []
    earlier = ITEM_KEYS[: ITEM_KEYS.index(key)]  # what `after` must lack where `before` does
    for n in compress(range(len(before)), map(is_not, before, after)):
        old, new = before[n], after[n]
        if type(old) is not dict or type(new) is not dict or key not in new:
            return None
        name = str(old[key])
        if str(new[key]) != name or any((k in old) != (k in new) for k in earlier):
            return None
        if old != new:
            changes += diff(old, new, f"{path}/{_escape(name)}")
    return changes


def diff(before: Any, after: Any, path: str = "") -> list[dict[str, Any]]:
    """The changes from `before` to `after`, in the order of `before`'s members, then the
    members only `after` has. (The audit trail diffs every event it folds, so this is kept
    to plain loops: most members are the very same objects on both sides.)"""
    if before == after:
        return []
    if isinstance(before, dict) and isinstance(after, dict):
        top = not path
        changes: list[dict[str, Any]] = []
        for key, old in before.items():
            if top and key in IGNORED:
                continue
            if key not in after:
                changes.append(
                    {"path": f"{path}/{_escape(str(key))}", "before": old, "after": None}
                )
                continue
            new = after[key]
            if old is new and type(old) in SELF_EQUAL:
                continue
            if old == new:  # what diff would find first, without its call and path
                continue
            changes += diff(old, new, f"{path}/{_escape(str(key))}")
        for key, new in after.items():
            if key not in before and not (top and key in IGNORED):
                changes.append(
                    {"path": f"{path}/{_escape(str(key))}", "before": None, "after": new}
                )
        return changes
    if isinstance(before, list) and isinstance(after, list):
        keyed = _keyed(before)
        if keyed is not None and len(keyed[1]) == len(before) == len(after):
            found = _in_place(before, after, keyed[0], path)
            if found is not None:
                return found
        then = _keyed(after)
        if (keyed is not None or not before) and (then is not None or not after):
            old_items = {} if keyed is None else keyed[1]
            new_items = {} if then is None else then[1]
            changes = []
            # Only the items that are not the very same object on both sides (few: the
            # next view shares every item the event did not touch), found in C.
            others = map(new_items.get, old_items)
            for key in compress(old_items, map(is_not, old_items.values(), others)):
                item = old_items[key]
                if key not in new_items:
                    changes.append(
                        {"path": f"{path}/{_escape(key)}", "before": item, "after": None}
                    )
                    continue
                new = new_items[key]
                if item != new:
                    changes += diff(item, new, f"{path}/{_escape(key)}")
            for key in filterfalse(old_items.__contains__, new_items):
                changes.append(
                    {"path": f"{path}/{_escape(key)}", "before": None, "after": new_items[key]}
                )
            return changes
    return [{"path": path or "/", "before": before, "after": after}]


def changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[dict[str, Any]]:
    """What an event changed, from the view before it (None: it created the resource) to
    the view after it."""
    if before is None:
        return [
            {"path": f"/{_escape(k)}", "before": None, "after": v}
            for k, v in after.items()
            if k not in IGNORED and k != "id"
        ]
    return diff(before, after)


def history_item(
    item: RecordedEvent, before: dict[str, Any] | None, after: dict[str, Any]
) -> dict[str, Any]:
    e = item.event
    return {
        "version": e.originator_version,
        "type": e.type_name(),
        "occurred_at": e.timestamp,
        "actor": e.actor.as_dict(),
        "rationale": e.rationale,
        "changes": changes(before, after),
        "position": item.position,
        "correlation_id": e.correlation_id,
    }


def version_as_of(recorded: Sequence[RecordedEvent], moment: datetime) -> int | None:
    version = None
    for item in recorded:
        if item.event.timestamp <= moment:
            version = item.version
        else:
            break
    return version
