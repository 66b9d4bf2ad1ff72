"""Each test run gets its own PostgreSQL role and database (dropped at the end) and its own
Redis key space. The application connects as that ordinary role, which owns its database:
never as a superuser, who would bypass row-level security."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

ADMIN_URL = os.environ.get(
    "TECHPLAN_TEST_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("TECHPLAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
OPERATOR_TOKEN = "operator-" + secrets.token_hex(8)


def _url_for(role: str, db: str) -> str:
    base = psycopg.conninfo.conninfo_to_dict(ADMIN_URL)
    host = base.get("host", "127.0.0.1")
    port = base.get("port", "5432")
    return f"postgresql://{role}@{host}:{port}/{db}"


@pytest.fixture(scope="session")
def run_id() -> str:
    return secrets.token_hex(4)


@pytest.fixture(scope="session")
def database_url(run_id: str) -> Iterator[str]:
    role = db = f"techplan_test_{run_id}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEROLE NOBYPASSRLS")
        admin.execute(f"CREATE DATABASE {db} OWNER {role}")
    try:
        yield _url_for(role, db)
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
            admin.execute(f"DROP ROLE IF EXISTS {role}")


@pytest.fixture(scope="session")
def settings(database_url: str, run_id: str) -> Any:
    from services.settings import Settings

    return Settings(
        database_url=database_url,
        redis_url=REDIS_URL,
        admin_token=OPERATOR_TOKEN,
        secret_key=secrets.token_urlsafe(32),
        read_wait=3.0,
        redis_prefix=f"techplan-test:{run_id}",
        webhook_allow_private=True,
        snapshot_interval=100,
        db_pool_size=4,
        db_pool_max_overflow=4,
        rate_limit=0,  # the rate-limit tests turn them on in processes of their own
        tenant_rate_limit=0,
    )


@pytest.fixture(scope="session")
def container(settings: Any) -> Iterator[Any]:
    from services.bootstrap import bootstrap
    from services.schema import migrate

    c = bootstrap(settings)
    migrate(c.db, c.store, c.runner)
    yield c
    c.close()
