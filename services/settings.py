"""One typed settings object, read from the environment once at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line for the operator."""


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on", "y"}


def _schedule(value: str) -> tuple[int, ...]:
    try:
        schedule = tuple(int(part) for part in value.split(",") if part.strip())
    except ValueError:
        raise SettingsError(
            f"TECHPLAN_WEBHOOK_RETRY_SCHEDULE must be comma-separated seconds, got {value!r}"
        ) from None
    if any(s < 0 for s in schedule):
        raise SettingsError("TECHPLAN_WEBHOOK_RETRY_SCHEDULE must not hold negative seconds")
    return schedule


@dataclass(frozen=True)
class Settings:
    database_url: str | None = None
    # Where read-model queries and read-your-writes waits go: a copy of the read models fed by
    # logical replication (OPERATIONS.md, "Scale path"). Unset: the primary, DATABASE_URL.
    read_database_url: str | None = None
    redis_url: str | None = None
    admin_token: str | None = None
    secret_key: str | None = None
    data_dir: Path = Path(".techplan")
    read_wait: float = 10.0
    webhook_allow_private: bool = False
    webhook_retry_schedule: tuple[int, ...] = (5, 300, 1800, 7200, 18000, 36000, 36000)
    webhook_timeout: float = 15.0
    webhook_disable_after: int = 432000
    max_body_size: int = 1024 * 1024
    db_pool_size: int = 4  # connections kept open per pool
    db_pool_max_overflow: int = 12  # more under load, closed when idle
    snapshot_interval: int = 100
    aggregate_cache: int = 1000  # aggregates kept in memory per process (0: none)
    redis_prefix: str = "techplan"
    webhook_rotation_grace: float = 24 * 3600  # seconds an old secret keeps signing
    rate_limit: int = 50  # requests a second per API key (bursts of twice that); 0: off
    tenant_rate_limit: int = 200  # requests a second of all keys of a tenant; 0: off
    request_timeout: float = 30.0  # seconds before a request that has not answered gets 503
    chromium: str | None = None  # prints the portal's QBR PDF; unset: `chromium` on PATH

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ

        def number(name: str, default: float) -> float:
            raw = env.get(name)
            if raw is None or raw == "":
                return default
            try:
                return float(raw)
            except ValueError:
                raise SettingsError(f"{name} must be a number, got {raw!r}") from None

        return cls(
            database_url=env.get("DATABASE_URL") or None,
            read_database_url=env.get("TECHPLAN_READ_DATABASE_URL") or None,
            redis_url=env.get("REDIS_URL") or None,
            admin_token=env.get("TECHPLAN_ADMIN_TOKEN") or None,
            secret_key=env.get("TECHPLAN_SECRET_KEY") or None,
            data_dir=Path(env.get("TECHPLAN_DATA_DIR") or ".techplan"),
            read_wait=number("TECHPLAN_READ_WAIT", 10.0),
            webhook_allow_private=_bool(env.get("TECHPLAN_WEBHOOK_ALLOW_PRIVATE", "false")),
            webhook_retry_schedule=_schedule(
                env.get("TECHPLAN_WEBHOOK_RETRY_SCHEDULE", "5,300,1800,7200,18000,36000,36000")
            ),
            webhook_timeout=number("TECHPLAN_WEBHOOK_TIMEOUT", 15.0),
            webhook_disable_after=int(number("TECHPLAN_WEBHOOK_DISABLE_AFTER", 432000)),
            redis_prefix=env.get("TECHPLAN_REDIS_PREFIX") or "techplan",
            db_pool_size=int(number("TECHPLAN_DB_POOL_SIZE", 4)),
            aggregate_cache=int(number("TECHPLAN_AGGREGATE_CACHE", 1000)),
            db_pool_max_overflow=int(number("TECHPLAN_DB_POOL_MAX_OVERFLOW", 12)),
            rate_limit=int(number("TECHPLAN_RATE_LIMIT", 50)),
            tenant_rate_limit=int(number("TECHPLAN_TENANT_RATE_LIMIT", 200)),
            request_timeout=number("TECHPLAN_REQUEST_TIMEOUT", 30.0),
            chromium=env.get("TECHPLAN_CHROMIUM") or None,
        )

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def require_database(self) -> str:
        if not self.database_url:
            raise SettingsError(
                "DATABASE_URL is not set (e.g. postgresql://techplan@127.0.0.1:5432/techplan)"
            )
        return self.database_url

    def require_redis(self) -> str:
        if not self.redis_url:
            raise SettingsError("REDIS_URL is not set (e.g. redis://127.0.0.1:6379/0)")
        return self.redis_url

    def eventsourcing_env(self) -> dict[str, str]:
        """The explicit env for eventsourcing: built from these settings, never os.environ."""
        url = urlsplit(self.require_database())
        if url.scheme not in {"postgresql", "postgres"}:
            raise SettingsError(f"DATABASE_URL must be a postgresql:// URL, got {url.scheme}://")
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": unquote(url.path.lstrip("/")) or "postgres",
            "POSTGRES_HOST": url.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": unquote(url.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(url.password or ""),
            "POSTGRES_SCHEMA": "public",
            "POSTGRES_POOL_SIZE": str(self.db_pool_size),
            "POSTGRES_MAX_OVERFLOW": str(self.db_pool_max_overflow),
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_LOCK_TIMEOUT": "10",
            # No round trip before every load and save: the library retries a statement
            # that meets a broken connection (OperationalError) on a fresh one.
            "POSTGRES_PRE_PING": "n",
            "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "30",
            "CREATE_TABLE": "n",
        }
        if self.aggregate_cache > 0:
            # eventsourcing's aggregate cache: a cached aggregate is fast-forwarded with the
            # events stored after its version on every get (one indexed query, no replay),
            # so every process sees every write at once; each get returns a deep copy.
            env["AGGREGATE_CACHE_MAXSIZE"] = str(self.aggregate_cache)
        # A socket directory in the host (embedded PostgreSQL) is passed through as is.
        if url.query:
            for part in url.query.split("&"):
                key, _, value = part.partition("=")
                if key == "host":
                    env["POSTGRES_HOST"] = unquote(value)
        return env
