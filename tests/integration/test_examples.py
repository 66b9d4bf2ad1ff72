"""What an integrator does, run against a live server: generate a client from the served
OpenAPI document with openapi-python-client, type-check examples/quickstart.py against it
with mypy --strict, and run it. A change to the API that breaks the generated client or the
script fails here."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import OPERATOR_TOKEN

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(container: Any) -> Iterator[str]:
    """The API with its projector, served by uvicorn on a port of its own."""
    import uvicorn

    from services.app import create_app
    from services.redis import RedisHook
    from workers.projector import Projector

    attached = dict(vars(container))  # the app attaches its projector and read side
    app = create_app(container, lifespan_hooks=[RedisHook(), Projector(poll=0.2)])
    port = _free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_config=None, access_log=False, lifespan="on"
    )
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, name="examples-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not served.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the API did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    served.should_exit = True
    thread.join(30)
    vars(container).update(attached)


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{args[0]}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_a_client_generated_from_the_live_document_runs_the_quickstart(
    server: str, tmp_path: Path
) -> None:
    _run(
        BIN / "openapi-python-client",
        "generate",
        "--url",
        f"{server}/schema/openapi.json",
        "--output-path",
        tmp_path / "techplan_client",
        "--meta",
        "none",
        cwd=tmp_path,
    )
    shutil.copy(EXAMPLES / "quickstart.py", tmp_path / "quickstart.py")
    # The script, typed end to end against what was just generated (the generated package
    # is read for its types; its own style is the generator's business).
    _run(
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--follow-imports=silent",
        "--no-incremental",
        "quickstart.py",
        cwd=tmp_path,
    )
    r = httpx.post(
        f"{server}/admin/v1/tenants",
        json={"name": "Integrator MSP"},
        headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"},
    )
    assert r.status_code == 201
    out = _run(
        sys.executable,
        "quickstart.py",
        cwd=tmp_path,
        env={"TECHPLAN_URL": server, "TECHPLAN_API_KEY": r.json()["api_key"]["key"]},
    )
    lines = dict(line.split(": ", 1) for line in out.strip().splitlines())
    assert lines["plan history"].split(", ") == [
        "plan.created",
        "plan.initiative_proposed",
    ]
    assert lines["portfolio clients"] == "1"
    assert lines["budget lines"] == "1"
