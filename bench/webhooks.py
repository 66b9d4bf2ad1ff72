"""Webhook delivery throughput: deliveries/s to a local receiver, against raw HTTP POSTs.

    uv run python -m bench.webhooks [--events 2000] [--endpoints 1,4]

It creates a throwaway role and database (connecting as `postgres` only to create and drop
them; TECHPLAN_BENCH_ADMIN_URL, default postgresql://postgres@127.0.0.1:5432/postgres) and
uses Redis at TECHPLAN_BENCH_REDIS_URL (default redis://127.0.0.1:6379/0) under a key prefix
of its own. A receiver (a minimal asyncio HTTP/1.1 server answering 200) runs in a process
of its own. For each number of endpoints E: E subscriptions to `client.created`, `--events`
clients created, the fan-out folded (every event becomes E pending deliveries), then a
`techplan worker` process is started and drains them: each delivery signed, POSTed, its
attempt logged, in position order per endpoint. Throughput is deliveries / (last attempt -
first attempt). The baseline, measured in the same run against the same receiver: the same
bodies POSTed with a bare httpx.AsyncClient (keep-alive, no signing, no database), E
sequential streams at once. The answer is the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import httpx
import psycopg

from domain.client import Client
from domain.shared import Actor, Decision
from services.bootstrap import Container, bootstrap
from services.schema import migrate
from services.settings import Settings
from services.webhooks import subscriptions

ADMIN_URL = os.environ.get(
    "TECHPLAN_BENCH_ADMIN_URL",
    os.environ.get("TECHPLAN_TEST_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
)
REDIS_URL = os.environ.get(
    "TECHPLAN_BENCH_REDIS_URL",
    os.environ.get("TECHPLAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"),
)
BENCH = Actor("bench", "Bench", "admin")


@contextmanager
def throwaway_database() -> Iterator[str]:
    """An ordinary role owning a fresh database, both dropped afterwards."""
    name = f"techplan_bench_{secrets.token_hex(4)}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {name} LOGIN NOSUPERUSER NOCREATEROLE NOBYPASSRLS")
        admin.execute(f"CREATE DATABASE {name} OWNER {name}")
    base = psycopg.conninfo.conninfo_to_dict(ADMIN_URL)
    try:
        yield f"postgresql://{name}@{base.get('host', '127.0.0.1')}:{base.get('port', 5432)}/{name}"
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"DROP ROLE IF EXISTS {name}")


# ---------------------------------------------------------------- the receiver (own process)


async def _serve(sock: socket.socket) -> None:
    posts = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal posts
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                if length:
                    await reader.readexactly(length)
                if head.startswith(b"GET /stats"):
                    answer = str(posts).encode()
                else:
                    posts += 1
                    answer = b"{}"
                writer.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                    b"content-length: " + str(len(answer)).encode() + b"\r\n\r\n" + answer
                )
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    server = await asyncio.start_server(handle, sock=sock)
    async with server:
        await server.serve_forever()


def serve(port: int) -> None:
    sock = socket.create_server(("127.0.0.1", port))
    asyncio.run(_serve(sock))


@contextmanager
def receiver() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "bench.webhooks", "--serve", str(port)])
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 10
        while True:
            try:
                httpx.get(f"{url}/stats")
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(10)


# ---------------------------------------------------------------- the scenario


def produce(c: Container, tenant_id: UUID, events: int) -> None:
    """`events` client.created events, saved 50 at a time."""
    at = datetime.now(UTC)
    pending: list[Client] = []
    for n in range(events):
        pending.append(
            Client.create(
                id=uuid4(),
                tenant_id=tenant_id,
                name=f"Client {n:05}",
                fiscal_year_start_month=1,
                currency="USD",
                by=Decision(BENCH, at, f"bench-{n}"),
            )
        )
        if len(pending) == 50:
            c.store.save(*pending)
            pending = []
    if pending:
        c.store.save(*pending)


def subscribe(c: Container, tenant_id: UUID, urls: list[str]) -> list[UUID]:
    made = []
    with c.db.tenant_tx(tenant_id) as cur:
        for url in urls:
            view = subscriptions.create(
                c, cur, tenant_id, url=url, event_types=["client.created"], description=None
            )
            made.append(UUID(view["id"]))
    return made


def start_worker(settings: Settings, log: Any) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": settings.require_database(),
        "REDIS_URL": settings.require_redis(),
        "TECHPLAN_SECRET_KEY": settings.secret_key or "",
        "TECHPLAN_REDIS_PREFIX": settings.redis_prefix,
        "TECHPLAN_WEBHOOK_ALLOW_PRIVATE": "true",
    }
    code = "import sys; from services.cli import main; sys.exit(main(['worker']))"
    return subprocess.Popen([sys.executable, "-c", code], env=env, stdout=log, stderr=log)


def stop(worker: subprocess.Popen[bytes]) -> None:
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def drained(c: Container, ids: list[UUID], expected: int, timeout: float) -> tuple[int, float]:
    """Wait until every delivery of `ids` succeeded; (count, seconds first to last attempt)."""
    deadline = time.monotonic() + timeout
    while True:
        with c.db.projector_tx() as cur:
            cur.execute(
                "SELECT count(*) AS n FROM webhook_deliveries"
                " WHERE subscription_id = ANY(%s) AND status = 'succeeded'",
                (ids,),
            )
            row = cur.fetchone()
        done = row["n"] if row else 0
        if done >= expected:
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {done} of {expected} deliveries succeeded")
        time.sleep(0.1)
    with c.db.projector_tx() as cur:
        cur.execute(
            "SELECT extract(epoch FROM max(a.at) - min(a.at)) AS span,"
            " count(*) AS attempts, avg(a.duration_ms) AS ms FROM webhook_attempts a"
            " JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.subscription_id = ANY(%s)",
            (ids,),
        )
        row = cur.fetchone()
    assert row is not None
    print(f"  (mean attempt {float(row['ms']):.2f} ms)", flush=True)
    return int(row["attempts"]), float(row["span"])


async def baseline(c: Container, ids: list[UUID], urls: list[str]) -> float:
    """The same bodies, POSTed with a bare client: one sequential stream per endpoint."""
    with c.db.projector_tx() as cur:
        cur.execute(
            "SELECT subscription_id, body FROM webhook_deliveries WHERE subscription_id = ANY(%s)"
            " ORDER BY position",
            (ids,),
        )
        rows = cur.fetchall()
    per_endpoint: dict[Any, list[bytes]] = {i: [] for i in ids}
    for r in rows:
        per_endpoint[r["subscription_id"]].append(r["body"].encode())

    async with httpx.AsyncClient(follow_redirects=False, trust_env=False) as client:

        async def stream(url: str, bodies: list[bytes]) -> None:
            for body in bodies:
                response = await client.post(url, content=body)
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(
            *(stream(url, per_endpoint[i]) for i, url in zip(ids, urls, strict=True))
        )
        return time.perf_counter() - started


def run(c: Container, settings: Settings, url: str, events: int, endpoints: int) -> None:
    tenant_id = uuid4()
    urls = [f"{url}/endpoint-{n}" for n in range(endpoints)]
    ids = subscribe(c, tenant_id, urls)
    started = time.perf_counter()
    produce(c, tenant_id, events)
    produced = time.perf_counter() - started
    c.runner.catch_up([name for name in c.runner.by_name if name != "webhooks"])
    started = time.perf_counter()
    c.runner.catch_up(["webhooks"])
    folded = time.perf_counter() - started
    expected = events * endpoints

    with tempfile.TemporaryFile() as log:
        worker = start_worker(settings, log)
        try:
            attempts, span = drained(c, ids, expected, timeout=300)
        except TimeoutError:
            log.seek(0)
            sys.stderr.write(log.read()[-4000:].decode(errors="replace"))
            raise
        finally:
            stop(worker)
    took = asyncio.run(baseline(c, ids, urls))
    ours = expected / span if span > 0 else float("inf")
    raw = expected / took
    print(
        f"{endpoints:>9} {expected:>10,} {events / produced:>10,.0f} {expected / folded:>10,.0f}"
        f" {ours:>12,.0f} {raw:>12,.0f} {ours / raw:>7.2f}  ({attempts - expected} retries)",
        flush=True,
    )
    with c.db.tenant_tx(tenant_id) as cur:
        cur.execute("DELETE FROM webhook_subscriptions")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--endpoints", default="1,4", help="comma-separated endpoint counts")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve)
        return
    counts = [int(n) for n in args.endpoints.split(",")]
    with throwaway_database() as database_url, receiver() as url:
        settings = Settings(
            database_url=database_url,
            redis_url=REDIS_URL,
            secret_key=secrets.token_urlsafe(32),
            redis_prefix=f"techplan-bench:{secrets.token_hex(4)}",
            webhook_allow_private=True,
        )
        c = bootstrap(settings)
        try:
            migrate(c.db, c.store, c.runner)
            print(
                f"{'endpoints':>9} {'deliveries':>10} {'events/s':>10} {'fan-out/s':>10}"
                f" {'delivered/s':>12} {'raw POST/s':>12} {'ratio':>7}"
            )
            for endpoints in counts:
                run(c, settings, url, args.events, endpoints)
        finally:
            c.close()


if __name__ == "__main__":
    main()
