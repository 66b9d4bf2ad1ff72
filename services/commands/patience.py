"""Retrying a load-decide-save on an aggregate many writers share (a budget filled in by a
team, a plan edited in a meeting), with a short randomized pause between attempts.

`services.store.retrying` retries at once; when dozens of requests write one aggregate, the
losers of each round collide again at once. A jittered, growing pause spreads them out, so
all of them get through within a few rounds instead of running out of attempts (409).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from services.store import retrying

T = TypeVar("T")

TRIES = 30
FIRST_PAUSE = 0.002  # seconds; doubles per attempt up to MAX_PAUSE
MAX_PAUSE = 0.1


def patiently(attempt: Callable[[], T], *, if_match: int | None) -> T:
    """Like `retrying` (If-Match pins the version: a concurrent write is 412 at once)."""
    tries = 0

    def paced() -> T:
        nonlocal tries
        if tries:
            ceiling = min(FIRST_PAUSE * 2 ** (tries - 1), MAX_PAUSE)
            time.sleep(random.uniform(0, ceiling))
        tries += 1
        return attempt()

    return retrying(paced, if_match=if_match, tries=TRIES)
