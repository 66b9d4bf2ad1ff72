"""Every answer's Struct has its msgspec type information built before requests run
(services/api/responses.py `prepare`: threads meeting a type for the first time at once can
crash msgspec 0.22)."""

from __future__ import annotations

from services.api import responses


def test_every_answer_type_is_prepared() -> None:
    import services.app  # noqa: F401  (every area's *_out module)

    found = set()
    todo: list[type] = [responses.Out]
    while todo:
        kind = todo.pop()
        found.add(kind)
        todo += kind.__subclasses__()
    assert len(found) > 50  # the API's answers, not just the base classes
    assert responses.prepare() == len(found)
