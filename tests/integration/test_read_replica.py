"""The read replica seam (OPERATIONS.md, "Scale path"): with `TECHPLAN_READ_DATABASE_URL`
set, read-model queries and `min_position` waits go to a second database fed by logical
replication, while commands and the projector stay on the primary.

A throwaway PostgreSQL cluster of the test's own (wal_level = logical needs a restart, and the
shared server is never restarted) holds both databases, owned by an ordinary role."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from litestar.testing import TestClient

from services.bootstrap import Container, bootstrap
from services.replica import PUBLICATION, published_tables, setup_sql
from services.schema import migrate
from services.settings import Settings
from tests.conftest import REDIS_URL

BIN = Path("/usr/lib/postgresql/15/bin")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(*args: str) -> list[str]:
    return list(args) if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--", *args]


@pytest.fixture(scope="module")
def cluster() -> Iterator[int]:
    if not (BIN / "initdb").exists():
        pytest.skip(f"no PostgreSQL server binaries at {BIN} to start a cluster of our own")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: initdb refuses root")
    home = Path(tempfile.mkdtemp(prefix="techplan-replica-"))
    if os.geteuid() == 0:
        shutil.chown(home, "postgres")
    port = _free_port()
    data = home / "data"
    subprocess.run(
        _as_postgres(str(BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-N"),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = (
        f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={home}"
        " -c wal_level=logical -c fsync=off -c max_connections=60"
    )
    log = str(home / "log")
    subprocess.run(
        _as_postgres(str(BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", log, "-w", "start"),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        yield port
    finally:
        subprocess.run(
            _as_postgres(str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"),
            stdout=subprocess.DEVNULL,
        )
        shutil.rmtree(home, ignore_errors=True)


def superuser(port: int, db: str) -> psycopg.Connection[Any]:
    return psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/{db}", autocommit=True)


@pytest.fixture(scope="module")
def replicated(cluster: int) -> Iterator[Container]:
    """A primary and a replica database; the container reads from the replica."""
    role = f"techplan_{secrets.token_hex(3)}"
    with superuser(cluster, "postgres") as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEROLE NOBYPASSRLS")
        admin.execute(f"CREATE DATABASE {role}_primary OWNER {role}")
        admin.execute(f"CREATE DATABASE {role}_replica OWNER {role}")
    primary = f"postgresql://{role}@127.0.0.1:{cluster}/{role}_primary"
    replica = f"postgresql://{role}@127.0.0.1:{cluster}/{role}_replica"
    base = Settings(
        redis_url=REDIS_URL,
        admin_token="operator-" + secrets.token_hex(8),
        secret_key=secrets.token_urlsafe(32),
        read_wait=2.0,
        redis_prefix=f"techplan-test:{secrets.token_hex(4)}",
        db_pool_size=2,
        db_pool_max_overflow=2,
    )
    # `techplan migrate` on both, as an operator would: the replica gets the same tables.
    replica_side = bootstrap(Settings(database_url=replica, redis_url=REDIS_URL))
    migrate(replica_side.db, replica_side.store, replica_side.runner)
    replica_side.close()
    c = bootstrap(
        Settings(**{**base.__dict__, "database_url": primary, "read_database_url": replica})
    )
    migrate(c.db, c.store, c.runner)
    on_primary, on_replica = setup_sql(
        published_tables(c.runner), f"host=127.0.0.1 port={cluster} dbname={role}_primary"
    )
    with superuser(cluster, f"{role}_primary") as conn:
        for statement in on_primary:
            conn.execute(statement)
    with superuser(cluster, f"{role}_replica") as conn:
        for statement in on_replica:
            conn.execute(statement)
    try:
        yield c
    finally:
        c.close()
        with superuser(cluster, f"{role}_replica") as conn:
            conn.execute(f"DROP SUBSCRIPTION IF EXISTS {PUBLICATION}")


@pytest.fixture(scope="module")
def http(replicated: Container) -> Iterator[TestClient[Any]]:
    from services.app import create_app
    from services.redis import RedisHook

    # No projector in the app: the test folds on the primary itself, so it knows when.
    app = create_app(replicated, lifespan_hooks=[RedisHook()])
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def subscription(c: Container, enabled: bool) -> None:
    url = psycopg.conninfo.conninfo_to_dict(c.settings.read_database_url or "")
    with superuser(int(url["port"]), str(url["dbname"])) as conn:
        conn.execute(f"ALTER SUBSCRIPTION {PUBLICATION} {'ENABLE' if enabled else 'DISABLE'}")


def test_reads_and_waits_go_to_the_replica(replicated: Container, http: TestClient[Any]) -> None:
    from services.auth import create_tenant

    key = create_tenant(replicated.db, "Replica MSP")["api_key"]["key"]
    auth = {"Authorization": f"Bearer {key}"}

    made = http.post("/v1/clients", json={"name": "Northwind"}, headers=auth)
    assert made.status_code == 201, made.text
    replicated.runner.catch_up()  # folded on the primary
    seen = http.get(f"/v1/clients?min_position={made.json()['position']}", headers=auth)
    assert seen.status_code == 200, seen.text
    assert [c["name"] for c in seen.json()["items"]] == ["Northwind"]

    # Replication paused: the primary folds a second client, the replica never hears of it.
    subscription(replicated, enabled=False)
    try:
        second = http.post("/v1/clients", json={"name": "Contoso"}, headers=auth)
        assert second.status_code == 201, second.text
        replicated.runner.catch_up()
        position = second.json()["position"]
        with replicated.db.tx() as cur:
            cur.execute("SELECT min(position) AS p FROM projection_tracking")
            assert cur.fetchone()["p"] >= position  # type: ignore[index]  # the primary has it
        stale = http.get(f"/v1/clients?min_position={position}", headers=auth)
        assert stale.status_code == 503, stale.text  # the replica has not: reads go there
        assert "retry-after" in stale.headers
        listed = http.get("/v1/clients", headers=auth).json()["items"]
        assert [c["name"] for c in listed] == ["Northwind"]
    finally:
        subscription(replicated, enabled=True)

    # Replication resumes: the replica's own commit wakes the waiting read.
    deadline = time.monotonic() + 30
    while True:
        fresh = http.get(f"/v1/clients?min_position={position}", headers=auth)
        if fresh.status_code == 200 or time.monotonic() > deadline:
            break
    assert fresh.status_code == 200, fresh.text
    assert sorted(c["name"] for c in fresh.json()["items"]) == ["Contoso", "Northwind"]


def test_publication_covers_every_read_model(replicated: Container) -> None:
    tables = published_tables(replicated.runner)
    for projection in replicated.runner.projections:
        assert set(projection.tables) <= set(tables), projection.name
    assert {"projection_tracking", "projection_parked"} <= set(tables)
