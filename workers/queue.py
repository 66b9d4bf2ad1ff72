"""The worker's arq queue: one per Redis prefix, so several Techplans can share a Redis."""

from __future__ import annotations

from services.settings import Settings


def queue_name(settings: Settings) -> str:
    return f"{settings.redis_prefix}:queue"
