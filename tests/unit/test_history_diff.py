"""The history diff, rewritten for speed (the audit trail diffs every event it folds), gives
exactly what the plain version gave: the same changes in the same order, for any JSON views,
lists of items keyed by id or standard_id among them."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from infra.history import IGNORED, diff


def reference(before: Any, after: Any, path: str = "") -> list[dict[str, Any]]:
    """The diff as it was written first, kept here as the specification."""

    def escape(key: str) -> str:
        return key.replace("~", "~0").replace("/", "~1")

    def keyed(items: list[Any]) -> dict[str, Any] | None:
        for key in ("id", "standard_id"):
            if items and all(isinstance(i, dict) and key in i for i in items):
                return {str(i[key]): i for i in items}
        return None

    def member(b: Any, a: Any, had: bool, has: bool, p: str) -> list[dict[str, Any]]:
        if had and not has:
            return [{"path": p, "before": b, "after": None}]
        if has and not had:
            return [{"path": p, "before": None, "after": a}]
        return reference(b, a, p)

    if before == after:
        return []
    if isinstance(before, dict) and isinstance(after, dict):
        changes: list[dict[str, Any]] = []
        for key in list(before) + [k for k in after if k not in before]:
            if not path and key in IGNORED:
                continue
            changes += member(
                before.get(key),
                after.get(key),
                key in before,
                key in after,
                f"{path}/{escape(key)}",
            )
        return changes
    if isinstance(before, list) and isinstance(after, list):
        old, new = keyed(before), keyed(after)
        if (old is not None or not before) and (new is not None or not after):
            old, new = old or {}, new or {}
            changes = []
            for key, item in old.items():
                if key not in new:
                    changes.append({"path": f"{path}/{escape(key)}", "before": item, "after": None})
                elif item is not new[key] and item != new[key]:
                    changes += reference(item, new[key], f"{path}/{escape(key)}")
            for key, item in new.items():
                if key not in old:
                    changes.append({"path": f"{path}/{escape(key)}", "before": None, "after": item})
            return changes
    return [{"path": path or "/", "before": before, "after": after}]


KEYS = st.sampled_from(["id", "standard_id", "title", "a/b", "x~y", "version", "n"])
IDS = st.sampled_from(["1", "2", "3", "4"])
SCALARS = st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["a", "b", ""])
JSON = st.recursive(
    SCALARS | st.floats(allow_nan=True, allow_infinity=False),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(KEYS, inner, max_size=4)
        | st.lists(st.fixed_dictionaries({"id": IDS}, optional={"title": inner}), max_size=4)
        | st.lists(st.fixed_dictionaries({"standard_id": IDS}, optional={"n": inner}), max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=400)
@given(JSON, JSON)
def test_the_diff_is_the_reference_diff(before: Any, after: Any) -> None:
    assert diff(before, after) == reference(before, after)


@settings(max_examples=200)
@given(st.dictionaries(KEYS, JSON, max_size=5), st.data())
def test_views_sharing_their_items_diff_as_the_reference(view: dict[str, Any], data: Any) -> None:
    # As the audit trail's views do: the next view shares every member it did not change.
    changed = dict(view)
    for key in data.draw(st.lists(KEYS, max_size=3)):
        changed[key] = data.draw(JSON)
    assert diff(view, changed) == reference(view, changed)
    assert diff(changed, view) == reference(changed, view)


def test_a_member_that_is_not_equal_to_itself_is_a_change_as_before() -> None:
    nan = float("nan")
    view = {"x": nan, "t": 1}
    changes = diff(view, {**view, "t": 2})
    assert changes == reference(view, {**view, "t": 2})
    assert [c["path"] for c in changes] == ["/x", "/t"]


ITEM = st.fixed_dictionaries({"id": IDS}, optional={"title": SCALARS, "standard_id": IDS}) | (
    st.fixed_dictionaries({"standard_id": IDS}, optional={"n": SCALARS, "id": IDS})
)


@settings(max_examples=400)
@given(st.lists(ITEM, max_size=6), st.data())
def test_items_changed_in_place_diff_as_the_reference(items: list[Any], data: Any) -> None:
    # As a view's list after an event: the same item objects, some replaced where they were
    # (same id or another, duplicates and a change of key included).
    changed = list(items)
    for n in data.draw(st.lists(st.integers(0, 5), max_size=3)):
        if n < len(changed):
            changed[n] = data.draw(ITEM)
    assert diff(items, changed) == reference(items, changed)
    assert diff(changed, items) == reference(changed, items)


def test_an_item_gaining_an_id_rekeys_the_list_as_before() -> None:
    # Keyed by standard_id only while an item lacks an id: given one in place, the list is
    # keyed by id after, as the reference keys it.
    first = {"id": "1", "standard_id": "1"}
    before, after = [first, {"standard_id": "2"}], [first, {"standard_id": "2", "id": "3"}]
    assert diff(before, after) == reference(before, after)
    assert [c["path"] for c in diff(before, after)] == ["/2", "/3"]
