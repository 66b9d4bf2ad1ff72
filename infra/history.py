"""How a decision changed over time: field-level history, time travel and diffs.

Changes compare the resource as GET shows it before and after an event (the audit trail
stores them per event, /history pages through them); list items are addressed by their id,
so a path reads `/goals/{gid}/priority`. Views share their items' shapes while the items do
not change, so the equality checks below mostly find identical objects and return at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from infra.eventstore import RecordedEvent

IGNORED = {"version", "position", "created_id"}


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


# What identifies a list item: its id, or for an assessment's items the standard checked.
ITEM_KEYS = ("id", "standard_id")


def _keyed(items: list[Any]) -> dict[str, Any] | None:
    for key in ITEM_KEYS:
        if items and all(isinstance(i, dict) and key in i for i in items):
            return {str(i[key]): i for i in items}
    return None


def diff(before: Any, after: Any, path: str = "") -> list[dict[str, Any]]:
    if before == after:
        return []
    if isinstance(before, dict) and isinstance(after, dict):
        changes: list[dict[str, Any]] = []
        for key in list(before) + [k for k in after if k not in before]:
            if not path and key in IGNORED:
                continue
            changes += _member(
                before.get(key),
                after.get(key),
                key in before,
                key in after,
                f"{path}/{_escape(str(key))}",
            )
        return changes
    if isinstance(before, list) and isinstance(after, list):
        old, new = _keyed(before), _keyed(after)
        if (old is not None or not before) and (new is not None or not after):
            old, new = old or {}, new or {}
            changes = []
            for key, item in old.items():
                if key not in new:
                    changes.append(
                        {"path": f"{path}/{_escape(key)}", "before": item, "after": None}
                    )
                elif item is not new[key] and item != new[key]:
                    changes += diff(item, new[key], f"{path}/{_escape(key)}")
            for key, item in new.items():
                if key not in old:
                    changes.append(
                        {"path": f"{path}/{_escape(key)}", "before": None, "after": item}
                    )
            return changes
    return [{"path": path or "/", "before": before, "after": after}]


def _member(before: Any, after: Any, had: bool, has: bool, path: str) -> list[dict[str, Any]]:
    if had and not has:
        return [{"path": path, "before": before, "after": None}]
    if has and not had:
        return [{"path": path, "before": None, "after": after}]
    return diff(before, after, path)


def history_item(
    item: RecordedEvent, before: dict[str, Any] | None, after: dict[str, Any]
) -> dict[str, Any]:
    e = item.event
    if before is None:
        changes = [
            {"path": f"/{_escape(k)}", "before": None, "after": v}
            for k, v in after.items()
            if k not in IGNORED and k != "id"
        ]
    else:
        changes = diff(before, after)
    return {
        "version": e.originator_version,
        "type": e.type_name(),
        "occurred_at": e.timestamp,
        "actor": e.actor.as_dict(),
        "rationale": e.rationale,
        "changes": changes,
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
