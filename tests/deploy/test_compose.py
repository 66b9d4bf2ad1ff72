"""deploy/compose.yaml: valid by the compose specification, accepted by `docker compose config`
where a compose client exists, and in agreement with the code it runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from tests.deploy.deployfiles import (
    COMPOSE,
    IMAGE,
    REQUIRED_ENV,
    app_routes,
    cli_command,
    compose,
    image_cmd,
    settings_env_names,
)

# The compose specification's schema as check-jsonschema ships it (vendor/compose-spec.json,
# Apache-2.0, from the compose-spec project): no network is needed to check against it.
SCHEMA = ["--builtin-schema", "vendor.compose-spec"]
SECRETS = {"TECHPLAN_ADMIN_TOKEN": "operator-token", "TECHPLAN_SECRET_KEY": "secret-key"}


def check_jsonschema(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", *SCHEMA, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_compose_file_matches_the_compose_specification() -> None:
    result = check_jsonschema(COMPOSE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_compose_file(tmp_path: Path) -> None:
    """Guards the check above against passing whatever it is given."""
    broken = compose()
    broken["services"]["api"]["ports"] = {"8000": 8000}
    broken["services"]["worker"]["restart_policy"] = "always"
    path = tmp_path / "compose.yaml"
    path.write_text(yaml.safe_dump(broken))
    result = check_jsonschema(path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "ports" in result.stdout
    assert "restart_policy" in result.stdout


def compose_client() -> tuple[list[str] | None, str]:
    """The command that runs compose here, or None and why there is none."""
    docker = shutil.which("docker")
    if docker is not None:
        plugin = subprocess.run(
            [docker, "compose", "version"], capture_output=True, text=True, timeout=30
        )
        if plugin.returncode == 0:
            return [docker, "compose"], ""
    standalone = shutil.which("docker-compose")
    if standalone is not None:
        return [standalone], ""
    if docker is None:
        return None, "no docker client on this machine"
    return None, "the docker client here has no compose plugin, and there is no docker-compose"


def test_docker_compose_accepts_the_file() -> None:
    client, reason = compose_client()
    if client is None:
        pytest.skip(reason)
    env = {**os.environ, **SECRETS}
    ok = subprocess.run(
        [*client, "-f", str(COMPOSE), "config", "-q"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # Without the secrets it refuses to start rather than run with empty ones.
    missing = {k: v for k, v in env.items() if k not in SECRETS}
    refused = subprocess.run(
        [*client, "-f", str(COMPOSE), "config", "-q"],
        capture_output=True,
        text=True,
        env=missing,
        timeout=120,
    )
    assert refused.returncode != 0
    assert "operator token" in refused.stderr


def techplan_services() -> dict[str, dict[str, Any]]:
    return {
        name: service
        for name, service in compose()["services"].items()
        if service.get("image", "").startswith("techplan:") or "build" in service
    }


def argv(service: dict[str, Any]) -> list[str]:
    command = service.get("command")
    if command is None:
        return image_cmd()
    return command if isinstance(command, list) else command.split()


def test_every_service_runs_the_project_image_with_a_real_command() -> None:
    services = techplan_services()
    commands = {name: cli_command(argv(s)).command for name, s in services.items()}
    assert sorted(commands.values()) == ["migrate", "serve", "worker"], commands
    for name, service in services.items():
        assert service["image"] == IMAGE, name
        assert service["build"]["dockerfile"] == "deploy/Dockerfile", name


def test_environment_names_are_read_by_settings_and_cover_what_each_command_needs() -> None:
    known = settings_env_names()
    for name, service in techplan_services().items():
        environment = set(service.get("environment", {}))
        assert environment <= known, f"{name}: Settings.from_env never reads {environment - known}"
        needed = REQUIRED_ENV[cli_command(argv(service)).command]
        assert needed <= environment, f"{name}: missing {needed - environment}"


def test_api_port_and_health_check_match_the_server() -> None:
    api = next(s for s in techplan_services().values() if cli_command(argv(s)).command == "serve")
    port = cli_command(argv(api)).port
    targets = {int(str(p).rsplit(":", 1)[-1]) for p in api["ports"]}
    assert targets == {port}
    routes = app_routes()
    (url,) = [w for w in api["healthcheck"]["test"][-1].split("'") if w.startswith("http")]
    parts = urlsplit(url)
    assert parts.port == port
    assert "GET" in routes.get(parts.path, frozenset()), f"{parts.path} is not served"
