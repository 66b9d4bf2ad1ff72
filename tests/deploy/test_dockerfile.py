"""deploy/Dockerfile: multi-stage, uv-based, non-root, and carrying every package the project
ships. No docker engine runs here, so the file is read; `test_the_image_builds` builds it where
an engine exists and TECHPLAN_DOCKER_BUILD=1 asks for it (it pulls base images: minutes)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from tests.deploy.deployfiles import (
    DOCKERFILE,
    IMAGE,
    PYPROJECT,
    ROOT,
    cli_command,
    dockerfile_stages,
    image_cmd,
    image_entrypoint,
)


def test_it_builds_in_one_stage_and_runs_in_another_from_the_same_python() -> None:
    stages = dockerfile_stages()
    assert len(stages) >= 2, "multi-stage: the tools that build stay out of the image that runs"
    build, final = stages[0], stages[-1]
    assert build.name, "the build stage is named, for COPY --from"
    # The environment built in the first stage points at the interpreter of its base image.
    assert build.image == final.image
    assert build.image.startswith("python:3.11")
    assert any(f"--from={build.name}" in a for a in final.args("COPY"))


def test_dependencies_come_from_the_lock_with_uv() -> None:
    build, final = dockerfile_stages()[0], dockerfile_stages()[-1]
    syncs = [r for r in build.args("RUN") if re.search(r"\buv sync\b", r)]
    assert syncs, "uv installs the project"
    for run in syncs:
        assert "--frozen" in run, f"{run!r}: installs exactly uv.lock, never re-resolves"
        assert "--no-dev" in run, f"{run!r}: no test tools in the image"
    # uv itself is a pinned release, not whatever is newest on the day of the build.
    uv_sources = [a for a in build.args("COPY") if "astral-sh/uv" in a]
    assert uv_sources
    assert re.search(r"astral-sh/uv:\d+\.\d+\.\d+ ", uv_sources[0])
    assert not any("pip install" in r for r in final.args("RUN"))


def test_every_package_the_project_ships_is_copied_into_the_build() -> None:
    """A package missing here builds an image whose `techplan` fails at its first import."""
    packages = set(PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"])
    build = dockerfile_stages()[0]
    copied = set()
    for arguments in build.args("COPY"):
        words = [w for w in arguments.split() if not w.startswith("--")]
        copied |= {w.rstrip("/").removeprefix("./") for w in words[:-1]}
    assert packages <= copied, f"not copied: {sorted(packages - copied)}"
    assert {"pyproject.toml", "uv.lock", "README.md"} <= copied


def test_it_runs_as_a_numeric_non_root_user() -> None:
    final = dockerfile_stages()[-1]
    users = final.args("USER")
    assert users, "the final stage names its user"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    # Numeric, so Kubernetes' runAsNonRoot can check it (tests/deploy/test_kubernetes.py
    # checks the manifests run as the same uid).
    assert user.isdigit() and int(user) >= 1000
    # No instruction after USER switches back.
    last_user = max(i for i, (name, _) in enumerate(final.instructions) if name == "USER")
    assert all(name != "USER" for name, _ in final.instructions[last_user + 1 :])


def test_its_default_command_serves_on_the_port_it_exposes() -> None:
    final = dockerfile_stages()[-1]
    assert image_entrypoint() == [], "commands in compose and Kubernetes replace CMD whole"
    command = cli_command(image_cmd())
    assert command.command == "serve"
    assert command.host == "0.0.0.0", "inside a container 127.0.0.1 is unreachable from outside"
    assert final.args("EXPOSE") == [str(command.port)]


def engine() -> str | None:
    docker = shutil.which("docker")
    if docker is None:
        return "no docker client on this machine"
    info = subprocess.run([docker, "info"], capture_output=True, text=True, timeout=30)
    if info.returncode != 0:
        return "a docker client but no docker engine (`docker info` fails)"
    if os.environ.get("TECHPLAN_DOCKER_BUILD") != "1":
        return "building pulls base images and takes minutes: set TECHPLAN_DOCKER_BUILD=1"
    return None


def test_the_image_builds_and_runs_as_non_root() -> None:
    reason = engine()
    if reason is not None:
        pytest.skip(reason)
    tag = f"{IMAGE}-test"
    subprocess.run(
        ["docker", "build", "-f", str(DOCKERFILE), "-t", tag, str(ROOT)], check=True, timeout=1800
    )
    uid = subprocess.run(
        ["docker", "run", "--rm", tag, "id", "-u"], capture_output=True, text=True, check=True
    )
    assert uid.stdout.strip() != "0"
    subprocess.run(["docker", "run", "--rm", tag, "techplan", "--help"], check=True)
