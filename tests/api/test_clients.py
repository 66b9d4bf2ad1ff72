"""Clients: create, list (from the projection, paged), get, patch with a rationale."""

from __future__ import annotations

from tests.api.conftest import Api


def test_create_and_get_client(api: Api) -> None:
    r = api.post(
        "/v1/clients", {"name": "Contoso Dental", "fiscal_year_start_month": 7, "currency": "EUR"}
    )
    assert r.status_code == 201
    body = r.json()
    assert body["name"] == "Contoso Dental"
    assert body["fiscal_year_start_month"] == 7 and body["currency"] == "EUR"
    assert body["version"] == 1 and body["position"] > 0
    got = api.get(f"/v1/clients/{body['id']}")
    assert got.status_code == 200
    assert got.headers["etag"] == '"1"'
    assert {
        k: got.json()[k] for k in ("id", "name", "fiscal_year_start_month", "currency", "version")
    } == {
        "id": body["id"],
        "name": "Contoso Dental",
        "fiscal_year_start_month": 7,
        "currency": "EUR",
        "version": 1,
    }


def test_client_defaults(api: Api) -> None:
    body = api.client("Fabrikam")
    assert body["fiscal_year_start_month"] == 1 and body["currency"] == "USD"


def test_client_validation(api: Api) -> None:
    cases = [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "bad\x07name"}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "ok", "fiscal_year_start_month": 13}, "fiscal_year_start_month"),
        ({"name": "ok", "fiscal_year_start_month": 0}, "fiscal_year_start_month"),
        ({"name": "ok", "currency": "euro"}, "currency"),
        ({"name": "ok", "unknown": 1}, "unknown"),
        ({}, "name"),
        ({"name": 5}, "name"),
    ]
    for body, field in cases:
        r = api.post("/v1/clients", body)
        assert r.status_code == 422, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        problem = r.json()
        assert problem["status"] == 422 and problem["title"]
        assert field in [e["field"] for e in problem["errors"]], (body, problem)


def test_patch_needs_rationale_and_records_it(api: Api) -> None:
    client = api.client("Old Name")
    assert api.patch(f"/v1/clients/{client['id']}", {"name": "New"}).status_code == 422
    r = api.patch(f"/v1/clients/{client['id']}", {"name": "New Name", "rationale": "rebranded"})
    assert r.status_code == 200
    assert r.json()["name"] == "New Name" and r.json()["version"] == 2
    assert r.json()["position"] > client["position"]
    history = api.get(f"/v1/clients/{client['id']}/history").json()["items"]
    assert history[-1]["type"] == "client.renamed"
    assert history[-1]["rationale"] == "rebranded"
    assert history[-1]["changes"] == [{"path": "/name", "before": "Old Name", "after": "New Name"}]


def test_if_match(api: Api) -> None:
    client = api.client()
    path = f"/v1/clients/{client['id']}"
    stale = api.patch(path, {"name": "A", "rationale": "r"}, headers={"If-Match": '"7"'})
    assert stale.status_code == 412
    ok = api.patch(path, {"name": "A", "rationale": "r"}, headers={"If-Match": '"1"'})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    assert (
        api.patch(path, {"name": "B", "rationale": "r"}, headers={"If-Match": '"1"'}).status_code
        == 412
    )
    assert api.get(path).json()["name"] == "A"


def test_list_is_paged_and_honours_min_position(api: Api) -> None:
    created = [api.client(f"Client {i}") for i in range(5)]
    last = created[-1]["position"]
    first = api.get("/v1/clients", params={"limit": 2, "min_position": last})
    assert first.status_code == 200
    page = first.json()
    assert [c["name"] for c in page["items"]] == ["Client 0", "Client 1"]
    names = [c["name"] for c in page["items"]]
    while page["next_cursor"]:
        page = api.get("/v1/clients", params={"limit": 2, "cursor": page["next_cursor"]}).json()
        names += [c["name"] for c in page["items"]]
    assert names == [f"Client {i}" for i in range(5)]


def test_list_parameters_are_checked(api: Api) -> None:
    assert api.get("/v1/clients", params={"limit": 0}).status_code == 422
    assert api.get("/v1/clients", params={"limit": 501}).status_code == 422
    # a cursor outside the declared pattern is refused by the schema (422); every one inside it
    # is a position to start after (here past the end: an empty page)
    assert api.get("/v1/clients", params={"cursor": "!!!"}).status_code == 422
    assert api.get("/v1/clients", params={"cursor": "AAAA"}).status_code == 422
    beyond = api.get("/v1/clients", params={"cursor": "9" * 18})
    assert beyond.status_code == 200 and beyond.json()["items"] == []
    assert api.get("/v1/clients", params={"limit": "many"}).status_code in (400, 422)


def test_min_position_beyond_the_log_is_422_at_once(api: Api) -> None:
    r = api.get("/v1/clients", params={"min_position": 10**12})
    assert r.status_code == 422
    assert r.json()["status"] == 422
