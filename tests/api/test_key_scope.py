"""Scope (issue 9): an admin key sees the whole tenant, no key creates a key that sees more
than it does, and keys and webhooks answer only what the key may see."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
import pytest

from domain.shared import Role
from services import auth
from services.auth import Principal
from services.errors import Forbidden, Invalid, NotFound
from tests.api.conftest import Api

HOOK = {"url": "http://127.0.0.1:9/hook", "event_types": ["*"]}


def test_an_admin_key_never_carries_client_ids(api: Api) -> None:
    client = api.client()
    for client_ids in ([client["id"]], []):
        r = api.post("/v1/api-keys", {"name": "limited", "role": "admin", "client_ids": client_ids})
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in r.json()["errors"]] == ["client_ids"]
    # null is "every client": an ordinary admin key
    r = api.post("/v1/api-keys", {"name": "full", "role": "admin", "client_ids": None})
    assert r.status_code == 201, r.text
    assert r.json()["client_ids"] is None


def test_an_empty_client_list_is_refused_not_read_as_every_client(api: Api) -> None:
    r = api.post("/v1/api-keys", {"name": "nobody", "role": "editor", "client_ids": []})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["client_ids"]


def test_the_database_refuses_a_limited_admin_key(api: Api, container: Any) -> None:
    with pytest.raises(psycopg.errors.CheckViolation), container.db.tx() as cur:
        cur.execute(
            "UPDATE api_keys SET client_ids = ARRAY[gen_random_uuid()] WHERE tenant_id = %s",
            (api.tenant_id,),
        )


@pytest.mark.parametrize("role", ["editor", "viewer", "client"])
def test_limited_keys_manage_no_keys_and_no_webhooks(api: Api, role: str) -> None:
    client = api.client()
    limited = api.key_for(role, [client["id"]])
    admin_key_id = api.get("/v1/api-keys").json()["items"][0]["id"]
    refused = [
        limited.get("/v1/api-keys"),
        limited.post("/v1/api-keys", {"name": "x", "role": "viewer"}),
        limited.post("/v1/api-keys", {"name": "x", "role": "client", "client_ids": [client["id"]]}),
        limited.delete(f"/v1/api-keys/{admin_key_id}"),
        limited.get("/v1/webhooks"),
        limited.post("/v1/webhooks", HOOK),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    # and the admin key still works: nothing was revoked, no webhook made
    assert api.get("/v1/webhooks").json()["items"] == []
    assert admin_key_id in {k["id"] for k in api.get("/v1/api-keys").json()["items"]}


# The rules below guard what the role table already forbids (only unlimited admins manage keys
# and webhooks): they hold for any principal, so a future role or a row from before the check
# cannot widen a key's reach.


def _limited(api: Api, client_ids: list[str], role: Role = Role.ADMIN) -> Principal:
    return Principal(
        key_id=uuid.uuid4(),
        tenant_id=uuid.UUID(api.tenant_id),
        name="limited",
        role=role,
        client_ids=frozenset(uuid.UUID(c) for c in client_ids),
    )


def test_no_key_creates_a_key_that_sees_more_than_it_does(api: Api) -> None:
    a, b = api.client("A")["id"], api.client("B")["id"]
    by = _limited(api, [a])
    ua, ub = uuid.UUID(a), uuid.UUID(b)
    auth.check_grant(Role.CLIENT, [ua], by=by)  # within its clients: fine
    auth.check_grant(Role.EDITOR, [ua], by=by)
    with pytest.raises(Forbidden):
        auth.check_grant(Role.EDITOR, None, by=by)  # every client
    with pytest.raises(Forbidden):
        auth.check_grant(Role.VIEWER, [ua, ub], by=by)  # one client more
    with pytest.raises(Invalid):
        auth.check_grant(Role.ADMIN, [ua], by=by)  # never a limited admin
    unlimited = _limited(api, [])
    unlimited = Principal(unlimited.key_id, unlimited.tenant_id, "all", Role.ADMIN, None)
    auth.check_grant(Role.EDITOR, None, by=unlimited)
    auth.check_grant(Role.VIEWER, [ua, ub], by=unlimited)


def test_key_management_answers_only_keys_within_the_scope(api: Api, container: Any) -> None:
    a, b = api.client("A")["id"], api.client("B")["id"]
    ids = {}
    for name, role, clients in (
        ("a", "client", [a]),
        ("ab", "viewer", [a, b]),
        ("b", "editor", [b]),
        ("all", "viewer", None),
    ):
        body: dict[str, Any] = {"name": name, "role": role}
        if clients is not None:
            body["client_ids"] = clients
        r = api.post("/v1/api-keys", body)
        assert r.status_code == 201, r.text
        ids[name] = uuid.UUID(r.json()["id"])
    limited = _limited(api, [a])
    seen = {k["name"] for k in auth.list_keys(container.db, limited, after=None, limit=100)}
    assert seen == {"a"}
    both = _limited(api, [a, b])
    seen = {k["name"] for k in auth.list_keys(container.db, both, after=None, limit=100)}
    assert seen == {"a", "ab", "b"}
    for outside in ("ab", "b", "all"):
        with pytest.raises(NotFound):
            auth.revoke_key(container.db, limited, ids[outside])
    auth.revoke_key(container.db, limited, ids["a"])
    listed = {k["name"] for k in api.get("/v1/api-keys", params={"limit": 500}).json()["items"]}
    assert {"ab", "b", "all"} <= listed
    assert "a" not in listed


def test_a_webhook_needs_a_key_that_sees_the_whole_tenant(api: Api) -> None:
    client = api.client()
    with pytest.raises(Forbidden):
        _limited(api, [client["id"]]).require_tenant_wide()
    Principal(uuid.uuid4(), uuid.UUID(api.tenant_id), "all", Role.ADMIN, None).require_tenant_wide()
