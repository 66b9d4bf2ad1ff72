"""Verified API keys are remembered briefly in the process, and forgotten on revocation."""

from __future__ import annotations

from uuid import uuid4

from domain.shared import Role
from services.auth import Principal, VerifiedKeys


def principal() -> Principal:
    return Principal(uuid4(), uuid4(), "k", Role.EDITOR, None)


def test_a_verified_key_is_remembered_until_forgotten() -> None:
    keys = VerifiedKeys(seconds=60)
    p = principal()
    keys.put("d1", p)
    assert keys.get("d1") is p
    assert keys.get("d2") is None
    keys.forget()
    assert keys.get("d1") is None


def test_an_entry_past_its_time_is_not_used() -> None:
    keys = VerifiedKeys(seconds=-1)  # every entry is already stale
    keys.put("d1", principal())
    assert keys.get("d1") is None


def test_the_cache_is_bounded() -> None:
    keys = VerifiedKeys(seconds=60, size=2)
    for n in range(5):
        keys.put(f"d{n}", principal())
    assert sum(keys.get(f"d{n}") is not None for n in range(5)) <= 2
    assert keys.get("d4") is not None
