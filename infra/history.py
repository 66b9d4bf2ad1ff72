"""How a decision changed over time: field-level history, time travel and diffs.

Changes are computed by folding the aggregate's events one by one and comparing the
resource as GET shows it before and after each; list items are addressed by their id, so a
path reads `/goals/{gid}/priority`.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from domain.shared import TechplanAggregate
from infra.eventstore import RecordedEvent

IGNORED = {"version", "position", "created_id"}


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _keyed(items: list[Any]) -> dict[str, Any] | None:
    if items and all(isinstance(i, dict) and "id" in i for i in items):
        return {str(i["id"]): i for i in items}
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
            for key in list(old) + [k for k in new if k not in old]:
                changes += _member(
                    old.get(key), new.get(key), key in old, key in new, f"{path}/{_escape(key)}"
                )
            return changes
    return [{"path": path or "/", "before": before, "after": after}]


def _member(before: Any, after: Any, had: bool, has: bool, path: str) -> list[dict[str, Any]]:
    if had and not has:
        return [{"path": path, "before": before, "after": None}]
    if has and not had:
        return [{"path": path, "before": None, "after": after}]
    return diff(before, after, path)


def replay(
    recorded: Sequence[RecordedEvent],
) -> list[tuple[RecordedEvent, dict[str, Any] | None, dict[str, Any]]]:
    """(event, view before, view after) for each event, oldest first."""
    steps = []
    aggregate: TechplanAggregate | None = None
    before: dict[str, Any] | None = None
    for item in recorded:
        aggregate = item.event.mutate(aggregate)
        assert aggregate is not None
        after = copy.deepcopy(aggregate.view())
        steps.append((item, before, after))
        before = after
    return steps


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
