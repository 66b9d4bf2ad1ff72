"""A scripted session an operator would watch: a tenant's admin makes keys, a webhook, a
client with a strategy and a goal, a few mistakes; the worker delivers the webhooks. The
logs, metrics and traces tests read what it left behind."""

from __future__ import annotations

import io
import logging
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from litestar.testing import TestClient

from infra.logs import configure_logging, unconfigure_logging
from tests.api.conftest import Api, StartWorker, new_tenant
from tests.api.webhook_delivery_helpers import quiet, subscribe
from tests.api.webhook_receiver import receiving, wait_until


@dataclass
class Session:
    api: Api
    secrets: list[str] = field(default_factory=list)  # what must never be logged
    request_ids: dict[str, str] = field(default_factory=dict)  # what -> X-Request-ID
    correlation_id: str = ""  # the one given with the goal's creation
    goal_position: int = 0


def run_session(http: TestClient[Any], start_worker: StartWorker) -> Session:
    api = new_tenant(http)
    session = Session(api, secrets=[api.key])
    viewer = api.key_for("viewer")
    session.secrets.append(viewer.key)
    start_worker()
    with receiving() as receiver:
        hooks: list[str] = []
        hook = subscribe(api, hooks, receiver.url, ["strategy.*"])
        session.secrets.append(hook["secret"])

        def step(what: str, method: str, path: str, body: Any = None, **headers: str) -> Any:
            request_id = f"{what}-{secrets.token_hex(4)}"
            session.request_ids[what] = request_id
            r = getattr(api, method)(
                path,
                **({"json": body} if body is not None else {}),
                headers={"X-Request-ID": request_id, **headers},
            )
            assert r.headers["x-request-id"] == request_id
            return r

        client = step("client", "post", "/v1/clients", {"name": "Contoso"}).json()
        strategy = step(
            "strategy", "post", f"/v1/clients/{client['id']}/strategies", {"title": "IT 2027"}
        ).json()
        session.correlation_id = f"corr-{secrets.token_hex(4)}"
        goal = step(
            "goal",
            "post",
            f"/v1/strategies/{strategy['id']}/goals",
            {"title": "Resilience", "priority": "high"},
            **{"X-Correlation-ID": session.correlation_id},
        )
        assert goal.status_code == 201, goal.text
        session.goal_position = goal.json()["position"]
        assert step("missing", "get", f"/v1/clients/{strategy['id']}").status_code == 404
        assert step("invalid", "post", "/v1/clients", {"name": ""}).status_code == 422
        assert step("viewer", "get", "/v1/clients").status_code == 200
        bad_key = "tpk_" + secrets.token_urlsafe(30)
        session.secrets.append(bad_key)
        r = http.get("/v1/clients", headers={"Authorization": f"Bearer {bad_key}"})
        assert r.status_code == 401 and r.headers["x-request-id"]
        wait_until(lambda: len(receiver.succeeded()) >= 2, what="two webhook deliveries")
        quiet(api, hook["id"], session.goal_position)
        for webhook_id in hooks:
            api.delete(f"/v1/webhooks/{webhook_id}")
    return session


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Everything logged while the test runs, as the JSON lines a process would write."""
    stream = io.StringIO()
    level = logging.getLogger().level
    configure_logging(logging.INFO, stream=stream)
    yield stream
    unconfigure_logging()
    logging.getLogger().setLevel(level)
