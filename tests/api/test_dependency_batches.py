"""Litestar resolves a handler's dependencies that do not depend on each other concurrently,
in an anyio task group with a task each: two tasks and a group per request, about a tenth of a
short list's time. Ours depend on each other in a chain (services/api/common.py), so each
resolves in turn."""

from __future__ import annotations

from typing import Any

from litestar import Litestar


def test_no_handler_resolves_its_dependencies_in_a_task_group(http: Any) -> None:
    app: Litestar = http.app
    concurrent = [
        (route.path, method, sorted(d.key for d in batch))
        for route in app.routes
        for method, (_, kwargs_model) in getattr(route, "route_handler_map", {}).items()
        for batch in kwargs_model.dependency_batches
        if len(batch) > 1
    ]
    assert concurrent == []
