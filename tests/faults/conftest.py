"""Fault tests run real `techplan serve` and `techplan worker` processes against a PostgreSQL
cluster and a Redis of their own, which they stop, kill and freeze. Marked `faults`
(`pytest -m "not faults"` leaves them out)."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.faults.processes import Cluster, RedisServer, Techplan, pg_bin


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.faults)


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    bindir = pg_bin()
    if bindir is None:
        pytest.fail("fault tests need the PostgreSQL server binaries (initdb, pg_ctl)")
    made = Cluster(bindir)
    try:
        made.start()
        yield made
    finally:
        made.destroy()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.fail("fault tests need redis-server")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def techplan(cluster: Cluster, redis_server: RedisServer, tmp_path: Path) -> Iterator[Techplan]:
    """A migrated database of this test's own, and the environment its processes share."""
    if redis_server.process is None:  # a test that stopped it failed before starting it
        redis_server.start()
    name = f"techplan_{secrets.token_hex(4)}"
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": cluster.create_database(name),
        "REDIS_URL": redis_server.url,
        "TECHPLAN_REDIS_PREFIX": f"faults:{name}",
        "TECHPLAN_ADMIN_TOKEN": "operator-" + secrets.token_hex(8),
        "TECHPLAN_SECRET_KEY": secrets.token_urlsafe(32),
        "TECHPLAN_WEBHOOK_ALLOW_PRIVATE": "true",
        "TECHPLAN_READ_WAIT": "3",
        "TECHPLAN_REQUEST_TIMEOUT": "5",
        "TECHPLAN_RATE_LIMIT": "0",
        "TECHPLAN_TENANT_RATE_LIMIT": "0",
    }
    app = Techplan(env, tmp_path)
    app.run("migrate")
    try:
        yield app
    finally:
        app.stop_all()
        if cluster.is_running():
            with cluster.admin() as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def new_tenant(app: Techplan) -> str:
    """A tenant's admin API key, from the operator API."""
    r = httpx.post(
        f"{app.base_url}/admin/v1/tenants",
        json={"name": "faults " + secrets.token_hex(3)},
        headers={"Authorization": f"Bearer {app.env['TECHPLAN_ADMIN_TOKEN']}"},
        timeout=30,
    )
    assert r.status_code == 201, r.text
    key: str = r.json()["api_key"]["key"]
    return key


def bearer(key: str, **more: str) -> dict[str, Any]:
    return {"Authorization": f"Bearer {key}", **more}
