"""Tenants, API keys, roles, and isolation: another tenant's ids answer like missing ones."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import TestClient

from tests.api.conftest import Api
from tests.conftest import OPERATOR_TOKEN


def test_operator_api_needs_the_operator_token(http: TestClient[Any]) -> None:
    assert http.post("/admin/v1/tenants", json={"name": "X"}).status_code == 401
    wrong = {"Authorization": "Bearer not-the-token"}
    assert http.post("/admin/v1/tenants", json={"name": "X"}, headers=wrong).status_code == 401
    assert http.get("/admin/v1/tenants", headers=wrong).status_code == 401


def test_operator_creates_and_lists_tenants(http: TestClient[Any]) -> None:
    op = {"Authorization": f"Bearer {OPERATOR_TOKEN}"}
    r = http.post("/admin/v1/tenants", json={"name": "Northwind IT"}, headers=op)
    assert r.status_code == 201
    body = r.json()
    assert body["name"] == "Northwind IT"
    assert body["api_key"]["role"] == "admin"
    assert body["api_key"]["key"].startswith("tpk_")
    listed = http.get("/admin/v1/tenants?limit=500", headers=op).json()
    assert body["id"] in {t["id"] for t in listed["items"]}
    assert http.post("/admin/v1/tenants", json={"name": ""}, headers=op).status_code == 422


def test_no_key_or_bad_key_is_401(http: TestClient[Any]) -> None:
    assert http.get("/v1/clients").status_code == 401
    r = http.get("/v1/clients", headers={"Authorization": "Bearer tpk_nope"})
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")


def test_keys_are_shown_once_and_stored_hashed(api: Api, container: Any) -> None:
    r = api.post("/v1/api-keys", {"name": "portal", "role": "viewer"})
    assert r.status_code == 201
    created = r.json()
    assert created["key"].startswith("tpk_") and created["role"] == "viewer"
    listed = api.get("/v1/api-keys").json()["items"]
    assert created["id"] in {k["id"] for k in listed}
    assert all("key" not in k for k in listed)
    with container.db.tx() as cur:
        cur.execute("SELECT key_hash FROM api_keys WHERE id = %s", (created["id"],))
        stored = cur.fetchone()["key_hash"]
    assert created["key"] not in stored and len(stored) == 64


def test_revoked_key_stops_working_at_once(api: Api) -> None:
    viewer = api.key_for("viewer")
    assert viewer.get("/v1/clients").status_code == 200
    key_id = next(k["id"] for k in api.get("/v1/api-keys").json()["items"] if k["role"] == "viewer")
    assert api.delete(f"/v1/api-keys/{key_id}").status_code == 204
    assert viewer.get("/v1/clients").status_code == 401
    assert api.delete(f"/v1/api-keys/{key_id}").status_code == 404


def test_roles(api: Api) -> None:
    client = api.client()
    viewer = api.key_for("viewer")
    editor = api.key_for("editor")
    assert viewer.get(f"/v1/clients/{client['id']}").status_code == 200
    assert viewer.post("/v1/clients", {"name": "Nope"}).status_code == 403
    assert viewer.get("/v1/api-keys").status_code == 403
    assert editor.post("/v1/clients", {"name": "Yes"}).status_code == 201
    assert editor.post("/v1/api-keys", {"name": "x", "role": "admin"}).status_code == 403
    assert editor.get("/v1/api-keys").status_code == 403


def test_client_key_sees_only_its_clients(api: Api) -> None:
    mine = api.client("Mine")
    theirs = api.client("Theirs")
    strategy = api.strategy(theirs["id"])
    contact = api.key_for("client", [mine["id"]])
    assert contact.get(f"/v1/clients/{mine['id']}").status_code == 200
    hidden = contact.get(f"/v1/clients/{theirs['id']}")
    random = contact.get(f"/v1/clients/{uuid.uuid4()}")
    assert hidden.status_code == random.status_code == 404
    assert hidden.json()["title"] == random.json()["title"]
    assert contact.get(f"/v1/strategies/{strategy['id']}").status_code == 404
    assert contact.get(f"/v1/strategies/{strategy['id']}/history").status_code == 404
    listed = contact.get("/v1/clients", params={"min_position": mine["position"]}).json()
    assert [c["id"] for c in listed["items"]] == [mine["id"]]
    assert contact.post(f"/v1/clients/{mine['id']}/strategies", {"title": "x"}).status_code == 403


def test_client_role_needs_client_ids(api: Api) -> None:
    r = api.post("/v1/api-keys", {"name": "contact", "role": "client"})
    assert r.status_code == 422
    r = api.post(
        "/v1/api-keys", {"name": "contact", "role": "client", "client_ids": [str(uuid.uuid4())]}
    )
    assert r.status_code == 422


def test_a_key_cannot_name_another_tenants_client(api: Api, other: Api) -> None:
    foreign = other.client()
    r = api.post("/v1/api-keys", {"name": "c", "role": "client", "client_ids": [foreign["id"]]})
    assert r.status_code == 422


def test_another_tenants_ids_are_indistinguishable_from_missing(
    api: Api, other: Api, http: TestClient[Any]
) -> None:
    client = api.client()
    strategy = api.strategy(client["id"])
    goal = api.goal(strategy["id"])
    key_id = api.get("/v1/api-keys").json()["items"][0]["id"]
    s, c, g = strategy["id"], client["id"], goal
    decision = {"rationale": "because"}
    probes = [
        ("get", f"/v1/clients/{c}", None),
        ("patch", f"/v1/clients/{c}", {"name": "Stolen", "rationale": "x"}),
        ("get", f"/v1/clients/{c}/history", None),
        ("get", f"/v1/clients/{c}/diff?from=1&to=1", None),
        ("get", f"/v1/clients/{c}/strategies", None),
        ("post", f"/v1/clients/{c}/strategies", {"title": "x"}),
        ("get", f"/v1/strategies/{s}", None),
        ("get", f"/v1/strategies/{s}?version=1", None),
        ("get", f"/v1/strategies/{s}/history", None),
        ("get", f"/v1/strategies/{s}/diff?from=1&to=2", None),
        ("post", f"/v1/strategies/{s}/goals", {"title": "x", "priority": "low"}),
        ("patch", f"/v1/strategies/{s}/goals/{g}", {"priority": "low", "rationale": "x"}),
        ("post", f"/v1/strategies/{s}/goals/{g}/retire", decision),
        ("post", f"/v1/strategies/{s}/principles", {"statement": "x"}),
        ("post", f"/v1/strategies/{s}/adopt", decision),
        ("post", f"/v1/strategies/{s}/archive", decision),
        ("delete", f"/v1/api-keys/{key_id}", None),
    ]
    for method, path, body in probes:
        kwargs: dict[str, Any] = {} if body is None else {"json": body}
        theirs = getattr(other, method)(path, **kwargs)
        random_path = path.replace(c, str(uuid.uuid4())).replace(s, str(uuid.uuid4()))
        random_path = random_path.replace(key_id, str(uuid.uuid4()))
        missing = getattr(other, method)(random_path, **kwargs)
        assert theirs.status_code == 404, (method, path, theirs.text)
        assert missing.status_code == 404, (method, random_path, missing.text)
        assert theirs.json()["title"] == missing.json()["title"]
    # and nothing changed for the owner
    assert api.get(f"/v1/clients/{c}").json()["name"] == client["name"]
    assert api.get(f"/v1/strategies/{s}").json()["version"] == 2
    listed = other.get("/v1/clients", params={"min_position": strategy["position"]}).json()
    assert listed["items"] == []
