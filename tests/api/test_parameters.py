"""Every path and query parameter is typed and bounded (issue 9): bad ones are 404 or 422 as
API.md says, never a 500, and the OpenAPI document states what each accepts."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.api.conftest import Api

EDGES = [
    "0001-01-01T00:00:00+14:00",  # before the calendar's start once in UTC
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999Z",
    "9999-12-31T23:59:59-14:00",  # past its end once in UTC
]


def test_path_ids_are_uuids_in_the_document(http: TestClient[Any]) -> None:
    doc = http.get("/schema/openapi.json").json()
    ids = [
        (path, p)
        for path, item in doc["paths"].items()
        for op in item.values()
        if isinstance(op, dict)
        for p in op.get("parameters", [])
        if p["in"] == "path"
    ]
    assert len(ids) > 40
    for path, parameter in ids:
        if parameter["name"] == "action":
            continue
        assert parameter["schema"].get("format") == "uuid", (path, parameter)


def test_list_parameters_are_bounded_in_the_document(http: TestClient[Any]) -> None:
    doc = http.get("/schema/openapi.json").json()
    found = 0
    for item in doc["paths"].values():
        for op in item.values():
            for p in op.get("parameters", []) if isinstance(op, dict) else []:
                if p["name"] == "limit":
                    assert (p["schema"]["minimum"], p["schema"]["maximum"]) == (1, 500)
                    found += 1
                if p["name"] == "min_position":
                    assert p["schema"]["minimum"] == 0, p
    assert found > 10


@pytest.mark.parametrize("bad", ["not-a-uuid", "123", "%20", "00000000-0000-0000-0000"])
def test_a_malformed_path_id_is_404_like_a_random_one(api: Api, bad: str) -> None:
    for base in ("/v1/clients", "/v1/strategies", "/v1/webhooks", "/v1/budgets"):
        malformed = api.get(f"{base}/{bad}")
        random = api.get(f"{base}/{uuid.uuid4()}")
        assert malformed.status_code == random.status_code == 404, (base, malformed.text)
        assert malformed.json()["title"] == random.json()["title"]
    assert api.delete(f"/v1/api-keys/{bad}").status_code == 404


def test_query_parameters_out_of_bounds_are_422(api: Api) -> None:
    client = api.client()
    cid = client["id"]
    for path, params in (
        ("/v1/clients", {"min_position": 2**63}),
        ("/v1/clients", {"min_position": -1}),
        ("/v1/audit", {"limit": 10**30}),
        ("/v1/audit", {"aggregate_type": "spaceship"}),
        ("/v1/audit", {"client_id": "nope"}),
        ("/v1/audit", {"until": "0.5"}),  # not a Unix time: RFC 3339 only
        ("/v1/audit", {"since": "2027-01-01T00:00:00"}),  # no offset
        ("/v1/audit", {"q": "x" * 501}),
        (f"/v1/clients/{cid}", {"as_of": "yesterday"}),
        (f"/v1/clients/{cid}", {"version": 2**63}),
        (f"/v1/clients/{cid}/changes", {"since_review": "nope"}),
    ):
        r = api.get(path, params=params)
        assert r.status_code == 422, (path, params, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("moment", EDGES)
def test_times_at_the_calendars_edges_are_answered(api: Api, moment: str) -> None:
    client = api.client()
    cid = client["id"]
    for params in ({"since": moment}, {"until": moment}):
        assert api.get("/v1/audit", params=params).status_code == 200, params
        changes = api.get(f"/v1/clients/{cid}/changes", params={"since": EDGES[0], **params})
        assert changes.status_code == 200, (params, changes.text)
    as_of = api.get(f"/v1/clients/{cid}", params={"as_of": moment})
    assert as_of.status_code == (404 if moment.startswith("0001") else 200), as_of.text
    assert api.get(f"/v1/clients/{cid}", params={"version": 2**63 - 1}).status_code == 404
