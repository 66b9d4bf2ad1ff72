"""/v1/standards: the library, its roles, tenancy, bad input, history and time travel."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.assessment_helpers import standard, template
from tests.api.conftest import Api
from tests.api.readside_helpers import fresh


def test_a_standard_is_created_edited_and_retired_with_rationales(api: Api) -> None:
    s = standard(api)
    assert s["status"] == "active" and s["version"] == 1 and s["position"] > 0
    assert s["initiative_template"]["recurring_cost"]["quantity"] == 1
    assert set(s) >= {
        "id",
        "title",
        "category",
        "question",
        "weight",
        "severity",
        "initiative_template",
        "status",
        "version",
    }
    path = f"/v1/standards/{s['id']}"
    assert api.get(path).headers["etag"] == '"1"'
    assert api.patch(path, {"weight": 9}).status_code == 422  # rationale required
    r = api.patch(
        path,
        {"weight": 9, "question": None, "rationale": "ransomware season"},
        headers={"If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    assert (r.json()["weight"], r.json()["question"], r.json()["version"]) == (9, None, 3)
    assert (
        api.patch(path, {"weight": 2, "rationale": "x"}, headers={"If-Match": '"1"'}).status_code
        == 412
    )
    r = api.post(f"{path}/retire", {"rationale": "superseded"})
    assert r.status_code == 200 and r.json()["status"] == "retired"
    assert api.patch(path, {"weight": 2, "rationale": "late"}).status_code == 409
    assert api.post(f"{path}/retire", {"rationale": "again"}).status_code == 409
    # history, diff and time travel
    history = api.get(f"{path}/history").json()["items"]
    assert [h["type"] for h in history] == [
        "standard.created",
        "standard.reworded",
        "standard.reweighted",
        "standard.retired",
    ]
    assert history[2]["changes"] == [{"path": "/weight", "before": 8, "after": 9}]
    assert history[2]["rationale"] == "ransomware season"
    assert api.get(path, params={"version": 1}).json()["weight"] == 8
    then = api.get(path, params={"as_of": history[0]["occurred_at"]}).json()
    assert (then["version"], then["weight"]) == (1, 8) and then["question"]
    # One PATCH, one time: as of then, both of its events are in.
    then = api.get(path, params={"as_of": history[1]["occurred_at"]}).json()
    assert (then["version"], then["question"], then["weight"]) == (3, None, 9)
    assert api.get(path, params={"as_of": "2001-01-01T00:00:00Z"}).status_code == 404
    diff = api.get(f"{path}/diff", params={"from": 1, "to": 4}).json()
    assert {c["path"] for c in diff["changes"]} == {"/question", "/weight", "/status"}


def test_the_list_filters_by_category_and_status(api: Api) -> None:
    a = standard(api)
    b = standard(api, title="MFA on remote access", category="security", weight=10)
    r = api.post(f"/v1/standards/{a['id']}/retire", {"rationale": "gone"})
    position = r.json()["position"]
    everything = fresh(api, "/v1/standards", position)["items"]
    assert [s["id"] for s in everything] == [a["id"], b["id"]]
    assert everything[0]["status"] == "retired"
    active = fresh(api, "/v1/standards", position, status="active")["items"]
    assert [s["id"] for s in active] == [b["id"]]
    backup = fresh(api, "/v1/standards", position, category="backup_dr")["items"]
    assert [s["id"] for s in backup] == [a["id"]]
    page = fresh(api, "/v1/standards", position, limit=1)
    assert len(page["items"]) == 1 and page["next_cursor"]
    assert api.get("/v1/standards", params={"category": "furniture"}).status_code in (400, 422)
    assert api.get("/v1/standards", params={"limit": 0}).status_code == 422


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"weight": 0}, "weight"),
        ({"weight": 11}, "weight"),
        ({"severity": "dire"}, "severity"),
        ({"category": "furniture"}, "category"),
        ({"title": ""}, "title"),
        ({"colour": "red"}, "colour"),
        ({"initiative_template": template(priority="urgent")}, "initiative_template.priority"),
        (
            {
                "initiative_template": template(
                    one_time_cost={"amount_minor": -5, "currency": "EUR"}
                )
            },
            "initiative_template.one_time_cost.amount_minor",
        ),
    ],
)
def test_bad_input_is_422_naming_the_field(api: Api, changes: dict[str, Any], field: str) -> None:
    body = {"title": "t", "category": "security", "weight": 5, "severity": "low", **changes}
    r = api.post("/v1/standards", body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert field in {e["field"] for e in r.json().get("errors", [])} or field in r.text


def test_roles_write_read_and_the_client_key_sees_no_library(api: Api) -> None:
    s = standard(api)
    client = api.client()
    editor, viewer = api.key_for("editor", [client["id"]]), api.key_for("viewer")
    contact = api.key_for("client", [client["id"]])
    body = {"title": "x", "category": "other", "weight": 1, "severity": "low"}
    assert editor.post("/v1/standards", body).status_code == 201
    assert viewer.post("/v1/standards", body).status_code == 403
    assert viewer.get(f"/v1/standards/{s['id']}").status_code == 200
    assert editor.get(f"/v1/standards/{s['id']}").status_code == 200  # limited to clients
    assert (
        viewer.patch(f"/v1/standards/{s['id']}", {"weight": 2, "rationale": "r"}).status_code == 403
    )
    assert contact.get("/v1/standards").status_code == 403
    assert contact.get(f"/v1/standards/{s['id']}").status_code == 403
    assert contact.post("/v1/standards", body).status_code == 403


def test_another_tenants_standard_is_404_like_a_random_id(api: Api, other: Api) -> None:
    s = standard(api)
    theirs = other.get(f"/v1/standards/{s['id']}")
    random = other.get("/v1/standards/9b2f2d7e-5a55-4c1b-8f43-1d7b1f0c0d11")
    assert theirs.status_code == random.status_code == 404
    assert theirs.json()["title"] == random.json()["title"]
    assert other.get("/v1/standards/not-a-uuid").status_code == 404
    assert (
        other.patch(f"/v1/standards/{s['id']}", {"weight": 1, "rationale": "r"}).status_code == 404
    )
    assert other.get(f"/v1/standards/{s['id']}/history").status_code == 404
    r = other.get("/v1/standards", params={"min_position": s["position"]})
    assert r.json()["items"] == []
