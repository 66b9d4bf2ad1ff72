"""API tests drive the HTTP API as a portal would, through Litestar's test client, with the
projector running in the app as `techplan dev` runs it."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.api.webhook_receiver import WorkerThread
from tests.conftest import OPERATOR_TOKEN


@pytest.fixture(scope="session")
def http(container: Any) -> Iterator[TestClient[Any]]:
    from services.app import create_app
    from services.redis import RedisHook
    from workers.projector import Projector

    app = create_app(container, lifespan_hooks=[RedisHook(), Projector(poll=0.5)])
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@dataclass
class Api:
    """A portal's view of the API with one key."""

    http: TestClient[Any]
    key: str
    tenant_id: str = ""
    extra_headers: dict[str, str] = field(default_factory=dict)

    def headers(self, **more: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}", **self.extra_headers, **more}

    def get(self, path: str, **kw: Any) -> Any:
        return self.http.get(path, headers=self.headers(**kw.pop("headers", {})), **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> Any:
        return self.http.post(path, json=json, headers=self.headers(**kw.pop("headers", {})), **kw)

    def patch(self, path: str, json: Any = None, **kw: Any) -> Any:
        return self.http.patch(path, json=json, headers=self.headers(**kw.pop("headers", {})), **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.http.delete(path, headers=self.headers(**kw.pop("headers", {})), **kw)

    def key_for(self, role: str, client_ids: list[str] | None = None) -> Api:
        body: dict[str, Any] = {"name": f"{role} {secrets.token_hex(2)}", "role": role}
        if client_ids is not None:
            body["client_ids"] = client_ids
        r = self.post("/v1/api-keys", body)
        assert r.status_code == 201, r.text
        return Api(self.http, r.json()["key"], self.tenant_id)

    # domain shortcuts, each asserting its own success
    def client(self, name: str = "Contoso", **fields: Any) -> dict[str, Any]:
        r = self.post("/v1/clients", {"name": name, **fields})
        assert r.status_code == 201, r.text
        return dict(r.json())

    def strategy(self, client_id: str, title: str = "IT strategy 2027") -> dict[str, Any]:
        r = self.post(f"/v1/clients/{client_id}/strategies", {"title": title})
        assert r.status_code == 201, r.text
        return dict(r.json())

    def goal(self, strategy_id: str, title: str = "Resilience", priority: str = "high") -> str:
        r = self.post(f"/v1/strategies/{strategy_id}/goals", {"title": title, "priority": priority})
        assert r.status_code == 201, r.text
        return str(r.json()["created_id"])


def new_tenant(http: TestClient[Any], name: str | None = None) -> Api:
    r = http.post(
        "/admin/v1/tenants",
        json={"name": name or f"MSP {secrets.token_hex(3)}"},
        headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"},
    )
    assert r.status_code == 201, r.text
    body = r.json()
    return Api(http, body["api_key"]["key"], body["id"])


@pytest.fixture
def api(http: TestClient[Any]) -> Api:
    """A fresh tenant's admin: tests never see each other's data."""
    return new_tenant(http)


@pytest.fixture
def other(http: TestClient[Any]) -> Api:
    """A second tenant, for isolation checks."""
    return new_tenant(http)


StartWorker = Callable[..., WorkerThread]


@pytest.fixture
def start_worker(settings: Any) -> Iterator[StartWorker]:
    workers: list[WorkerThread] = []

    def start(**overrides: Any) -> WorkerThread:
        worker = WorkerThread(settings.with_(**overrides)).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def hooks(api: Api) -> Iterator[list[str]]:
    """Subscriptions a test made; deleted after it so no later worker keeps sending them."""
    made: list[str] = []
    yield made
    for webhook_id in made:
        api.delete(f"/v1/webhooks/{webhook_id}")
