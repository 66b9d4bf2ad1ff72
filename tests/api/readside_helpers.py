"""Reading the projections over HTTP, shared by the read-side tests."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api


def fresh(api: Api, path: str, position: int, **params: Any) -> Any:
    r = api.get(path, params={"min_position": position, **params})
    assert r.status_code == 200, r.text
    return r.json()


def all_items(api: Api, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        body = api.get(path, params=query).json()
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return items
