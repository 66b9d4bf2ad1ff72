"""Export, import and purge as an operator meets them: the operator API and the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from services.demo import load_demo
from tests.conftest import OPERATOR_TOKEN
from tests.integration.readside import own_container
from tests.integration.test_cli import techplan
from tests.integration.test_tenant_data import NOW, reads

OPERATOR = {"Authorization": f"Bearer {OPERATOR_TOKEN}"}


@pytest.fixture
def source(settings: Any) -> Iterator[Any]:
    with own_container(settings) as c:
        yield c


@pytest.fixture
def target(settings: Any) -> Iterator[Any]:
    with own_container(settings) as c:
        yield c


def client(c: Any) -> TestClient[Any]:
    from services.app import create_app

    return TestClient(create_app(c))


def test_the_operator_api_moves_a_tenant_and_purges_it(source: Any, target: Any) -> None:
    demo = load_demo(source, now=NOW)
    source.runner.catch_up()
    tid = demo["tenant_id"]
    with client(source) as http:
        assert http.get(f"/admin/v1/tenants/{tid}/export").status_code == 401
        r = http.get(f"/admin/v1/tenants/{tid}/export", headers=OPERATOR)
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
        export = r.content
        assert json.loads(export.splitlines()[0])["tenant"]["id"] == tid
        unknown = "00000000-0000-4000-8000-000000000000"
        assert http.get(f"/admin/v1/tenants/{unknown}/export", headers=OPERATOR).status_code == 404
    with client(target) as http:
        ndjson = {**OPERATOR, "Content-Type": "application/x-ndjson"}
        r = http.post("/admin/v1/tenants/import", content=export, headers=ndjson)
        assert r.status_code == 201, r.text
        assert r.json()["id"] == tid and r.json()["events"] > 50
        again = http.post("/admin/v1/tenants/import", content=export, headers=ndjson)
        assert again.status_code == 409
        damaged = http.post("/admin/v1/tenants/import", content=export[:-10], headers=ndjson)
        assert damaged.status_code == 422
    target.runner.catch_up()
    assert reads(target, demo["api_key"]) == reads(source, demo["api_key"])
    with client(source) as http:
        refused = http.delete(f"/admin/v1/tenants/{tid}", headers=OPERATOR)
        assert refused.status_code == 422
        r = http.delete(f"/admin/v1/tenants/{tid}?confirm={tid}", headers=OPERATOR)
        assert r.status_code == 200, r.text
        assert r.json()["id"] == tid and r.json()["purged"]["events"] > 50
        assert set(r.json()["purged"]) == {"events", "read_rows", "keys", "webhooks", "deliveries"}
        keyed = {"Authorization": f"Bearer {demo['api_key']}"}
        assert http.get("/v1/clients", headers=keyed).status_code == 401


def test_the_cli_exports_imports_and_purges(source: Any, target: Any, tmp_path: Any) -> None:
    demo = load_demo(source, now=NOW)
    tid = demo["tenant_id"]
    out = tmp_path / "tenant.jsonl"
    src = {"DATABASE_URL": source.settings.database_url}
    dst = {"DATABASE_URL": target.settings.database_url}
    done = techplan("tenants", "export", tid, "--out", str(out), env=src)
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text().splitlines()[-1])["kind"] == "end"
    done = techplan("tenants", "import", str(out), env=dst)
    assert done.returncode == 0, done.stderr
    assert f"tenant Demo MSP imported: {tid}" in done.stdout
    done = techplan("tenants", "import", str(out), env=dst)
    assert done.returncode == 2 and "already exists" in done.stderr
    done = techplan("tenants", "purge", tid, "--confirm", "nope", env=src)
    assert done.returncode == 2 and "confirm" in done.stderr
    done = techplan("tenants", "purge", tid, "--confirm", tid, env=src)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"tenant {tid} purged: ")
