"""The commands fail with one clear line when their services are missing, and `migrate` is
idempotent."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

BASE_ENV = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}


def techplan(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "services.cli", *args],
        env={**BASE_ENV, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("command", ["serve", "worker", "migrate"])
def test_missing_database_url_is_one_clear_line(command: str) -> None:
    result = techplan(command)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "techplan: DATABASE_URL is not set (e.g. postgresql://techplan@127.0.0.1:5432/techplan)"
    ]


@pytest.mark.parametrize("command", ["serve", "worker", "migrate"])
def test_unreachable_database_is_one_clear_line(command: str) -> None:
    env = {
        "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
        "REDIS_URL": "redis://127.0.0.1:6379",
    }
    result = techplan(command, env=env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("techplan: cannot reach PostgreSQL at")


def test_migrate_is_idempotent_and_tenants_create_prints_a_key(
    settings: Any, container: Any
) -> None:
    env = {"DATABASE_URL": settings.database_url}
    for _ in range(2):
        result = techplan("migrate", env=env)
        assert result.returncode == 0, result.stderr
    created = techplan("tenants", "create", "Litware MSP", env=env)
    assert created.returncode == 0, created.stderr
    key_line = next(line for line in created.stdout.splitlines() if "API key" in line)
    key = key_line.split()[-1]
    assert key.startswith("tpk_")
    from services.auth import authenticate

    assert authenticate(container.db, f"Bearer {key}").role.value == "admin"
    status = techplan("projections", "status", env=env)
    assert status.returncode == 0 and "clients" in status.stdout
