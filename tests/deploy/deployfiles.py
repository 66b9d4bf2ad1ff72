"""What the deployment files say, and what the code says, side by side for tests/deploy."""

from __future__ import annotations

import functools
import shlex
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
DOCKERFILE = DEPLOY / "Dockerfile"
K8S = sorted((DEPLOY / "k8s").glob("*.yaml"))

# The image is named after the project and its version, the same everywhere.
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
IMAGE = f"techplan:{PYPROJECT['project']['version']}"

# What each command cannot do without (services/cli.py refuses to start without the URLs; the
# API needs the operator token for /admin and the secret key for webhooks, the worker the key to
# sign deliveries).
REQUIRED_ENV = {
    "serve": {"DATABASE_URL", "REDIS_URL", "TECHPLAN_SECRET_KEY", "TECHPLAN_ADMIN_TOKEN"},
    "worker": {"DATABASE_URL", "REDIS_URL", "TECHPLAN_SECRET_KEY"},
    "migrate": {"DATABASE_URL"},
}


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return data


def k8s_documents() -> list[dict[str, Any]]:
    return [d for path in K8S for d in yaml.safe_load_all(path.read_text()) if d]


# ---------------------------------------------------------------- the Dockerfile


@dataclass
class Stage:
    image: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def args(self, instruction: str) -> list[str]:
        return [a for i, a in self.instructions if i == instruction]


def dockerfile_instructions(text: str) -> Iterator[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    logical = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not logical and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):  # a comment inside a continued instruction
            continue
        if stripped.endswith("\\"):
            logical += stripped[:-1] + " "
            continue
        logical += stripped
        instruction, _, arguments = logical.partition(" ")
        yield instruction.upper(), arguments.strip()
        logical = ""


def dockerfile_stages(text: str | None = None) -> list[Stage]:
    text = DOCKERFILE.read_text() if text is None else text
    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    for instruction, arguments in dockerfile_instructions(text):
        if instruction == "FROM":
            words = [w for w in arguments.split() if not w.startswith("--")]
            image = words[0]
            for name, value in global_args.items():
                image = image.replace(f"${{{name}}}", value).replace(f"${name}", value)
            as_name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            stages.append(Stage(image, as_name))
        elif stages:
            stages[-1].instructions.append((instruction, arguments))
        elif instruction == "ARG":
            name, _, value = arguments.partition("=")
            global_args[name] = value
    return stages


def exec_form(arguments: str) -> list[str]:
    """CMD/ENTRYPOINT arguments as argv: JSON (exec form) or a shell line split like sh."""
    if arguments.startswith("["):
        parsed: list[str] = yaml.safe_load(arguments)
        return parsed
    return shlex.split(arguments)


def image_cmd() -> list[str]:
    return exec_form(dockerfile_stages()[-1].args("CMD")[-1])


def image_entrypoint() -> list[str]:
    entrypoints = dockerfile_stages()[-1].args("ENTRYPOINT")
    return exec_form(entrypoints[-1]) if entrypoints else []


# ---------------------------------------------------------------- the code


def cli_command(argv: list[str]) -> SimpleNamespace:
    """The parsed `techplan` command line, as services/cli.py would run it; AssertionError when
    it is not one it accepts."""
    from services.cli import parser

    assert argv, "no command"
    assert argv[0] == "techplan", f"{argv}: the image's entry point is `techplan`"
    assert "techplan" in PYPROJECT["project"]["scripts"]
    try:
        parsed = parser().parse_args(argv[1:])
    except SystemExit:
        raise AssertionError(f"{shlex.join(argv)} is not a techplan command") from None
    return SimpleNamespace(**vars(parsed))


@functools.cache
def app_routes() -> dict[str, frozenset[str]]:
    """Every path the API serves, with its methods, from the app `techplan serve` runs."""
    from services.app import create_app
    from services.settings import Settings

    # The app is only built, never started: nothing here connects to anything.
    app = create_app(SimpleNamespace(settings=Settings()))  # type: ignore[arg-type]
    return {route.path: frozenset(getattr(route, "methods", ())) for route in app.routes}


class _Recording(Mapping[str, str]):
    """An empty environment that notes every name it is asked for."""

    def __init__(self) -> None:
        self.asked: set[str] = set()

    def __getitem__(self, key: str) -> str:
        self.asked.add(key)
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def settings_env_names() -> set[str]:
    """The environment variables Settings.from_env reads."""
    from services.settings import Settings

    env = _Recording()
    Settings.from_env(env)
    return env.asked
