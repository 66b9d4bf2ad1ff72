"""/v1/clients/{cid}/assessments and /v1/assessments: answers, completion, findings, roles,
tenancy, limits and bad input."""

from __future__ import annotations

from tests.api.assessment_helpers import answer, assessment, standard
from tests.api.conftest import Api
from tests.api.readside_helpers import fresh
from tests.api.tactical import setup


def test_an_assessment_copies_every_active_standard_and_scores(api: Api) -> None:
    backup = standard(api)
    mfa = standard(api, title="MFA on remote access", category="security", weight=10)
    old = standard(api, title="Tape rotation", weight=1)
    api.post(f"/v1/standards/{old['id']}/retire", {"rationale": "no tapes"})
    client = api.client(currency="EUR")
    a = assessment(api, client["id"])
    assert a["status"] == "open" and a["client_id"] == client["id"]
    assert [i["standard_id"] for i in a["items"]] == [backup["id"], mfa["id"]]
    item = a["items"][0]
    assert set(item) >= {
        "standard_id",
        "title",
        "category",
        "weight",
        "severity",
        "result",
        "note",
        "initiative_id",
    }
    assert a["score"] == {"overall": None, "by_category": {"security": None, "backup_dr": None}}
    path = f"/v1/assessments/{a['id']}"
    answer(api, a["id"], backup["id"], "misaligned", note="NAS in the same room")
    done = answer(api, a["id"], mfa["id"], "aligned")
    assert done["score"] == {"overall": 56, "by_category": {"security": 100, "backup_dr": 0}}
    # a later edit of the library changes nothing here
    api.patch(f"/v1/standards/{backup['id']}", {"weight": 1, "rationale": "reweigh"})
    assert api.get(path).json()["items"][0]["weight"] == 8
    assert api.post(f"{path}/complete", {}).status_code == 422  # rationale required
    r = api.post(f"{path}/complete", {"rationale": "walked through"}, headers={"If-Match": '"3"'})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "completed" and r.json()["score"]["overall"] == 56
    again = api.post(f"{path}/answers", {"standard_id": mfa["id"], "result": "misaligned"})
    assert again.status_code == 409
    assert api.post(f"{path}/complete", {"rationale": "twice"}).status_code == 409
    listed = fresh(api, f"/v1/clients/{client['id']}/assessments", r.json()["position"])
    assert [(x["id"], x["status"], x["score"]["overall"]) for x in listed["items"]] == [
        (a["id"], "completed", 56)
    ]
    history = api.get(f"{path}/history").json()["items"]
    assert [h["type"] for h in history][-1] == "assessment.completed"
    assert api.get(path, params={"version": 2}).json()["items"][0]["result"] == "misaligned"


def test_bad_answers_and_bad_bodies(api: Api) -> None:
    s = standard(api)
    client = api.client(currency="EUR")
    a = assessment(api, client["id"])
    path = f"/v1/assessments/{a['id']}/answers"
    assert api.post(path, {"standard_id": s["id"], "result": "maybe"}).status_code == 422
    assert api.post(path, {"standard_id": s["id"], "result": "aligned", "x": 1}).status_code == 422
    missing = api.post(path, {"standard_id": client["id"], "result": "aligned"})
    assert missing.status_code == 404
    r = api.post(
        f"/v1/clients/{client['id']}/assessments", {"title": "t", "standard_ids": [client["id"]]}
    )
    assert r.status_code == 422 and "standard_ids" in r.text
    r = api.post(
        f"/v1/clients/{client['id']}/assessments", {"title": "t", "standard_ids": ["nope"]}
    )
    assert r.status_code in (400, 422)
    too_many = [s["id"]] * 501
    r = api.post(
        f"/v1/clients/{client['id']}/assessments", {"title": "t", "standard_ids": too_many}
    )
    assert r.status_code == 422


def test_an_empty_library_is_a_clear_422(api: Api) -> None:
    client = api.client()
    r = api.post(f"/v1/clients/{client['id']}/assessments", {"title": "t"})
    assert r.status_code == 422 and "at least one" in r.json()["detail"]


def test_finding_to_initiative_once(api: Api) -> None:
    s = setup(api)
    backup = standard(api)
    mfa = standard(api, title="MFA", category="security", initiative_template=None)
    a = assessment(api, s.client_id)
    answer(api, a["id"], backup["id"], "misaligned")
    answer(api, a["id"], mfa["id"], "misaligned")
    base = f"/v1/assessments/{a['id']}/findings"
    body = {"plan_id": s.plan, "goal_ids": [s.goal], "target_quarter": "FY2027-Q3"}
    r = api.post(f"{base}/{backup['id']}/propose", body)
    assert r.status_code == 201, r.text
    plan = r.json()
    [initiative] = plan["initiatives"]
    assert initiative["id"] == plan["created_id"]
    assert initiative["source"] == {"assessment_id": a["id"], "standard_id": backup["id"]}
    assert initiative["title"] == "Immutable offsite backups"
    assert initiative["description"].startswith("Object-locked copies")
    assert initiative["one_time_cost"] == {"amount_minor": 180_000, "currency": "EUR"}
    assert initiative["target_quarter"] == "FY2027-Q3"
    item = api.get(f"/v1/assessments/{a['id']}").json()["items"][0]
    assert item["initiative_id"] == initiative["id"]
    assert api.post(f"{base}/{backup['id']}/propose", body).status_code == 409
    assert api.post(f"{base}/{mfa['id']}/propose", body).status_code == 422  # no template
    aligned = standard(api, title="Patching")
    b = assessment(api, s.client_id, standard_ids=[aligned["id"]])
    answer(api, b["id"], aligned["id"], "aligned")
    r = api.post(f"/v1/assessments/{b['id']}/findings/{aligned['id']}/propose", body)
    assert r.status_code == 422  # not misaligned
    other_client = setup(api)
    r = api.post(
        f"/v1/assessments/{b['id']}/findings/{aligned['id']}/propose",
        {**body, "plan_id": other_client.plan},
    )
    assert r.status_code == 422
    r = api.post(
        f"{base}/{backup['id']}/propose", {"plan_id": s.plan, "goal_ids": [s.goal], "zzz": 1}
    )
    assert r.status_code == 422


def test_a_template_in_another_currency_is_refused(api: Api) -> None:
    s = setup(api, currency="USD")
    backup = standard(api)  # costs in EUR
    a = assessment(api, s.client_id)
    answer(api, a["id"], backup["id"], "misaligned")
    r = api.post(
        f"/v1/assessments/{a['id']}/findings/{backup['id']}/propose",
        {"plan_id": s.plan, "goal_ids": [s.goal]},
    )
    assert r.status_code == 422 and "currency" in r.text


def test_roles_and_the_client_contact(api: Api) -> None:
    s = standard(api)
    client, elsewhere = api.client(), api.client(name="Fabrikam")
    a = assessment(api, client["id"])
    contact = api.key_for("client", [client["id"]])
    viewer = api.key_for("viewer")
    r = contact.get(f"/v1/assessments/{a['id']}")
    assert r.status_code == 200 and r.json()["items"][0]["title"] == s["title"]
    assert contact.get(f"/v1/clients/{client['id']}/assessments").status_code == 200
    assert (
        contact.post(f"/v1/clients/{client['id']}/assessments", {"title": "t"}).status_code == 403
    )
    body = {"standard_id": s["id"], "result": "aligned"}
    assert contact.post(f"/v1/assessments/{a['id']}/answers", body).status_code == 403
    assert viewer.post(f"/v1/assessments/{a['id']}/answers", body).status_code == 403
    assert viewer.get(f"/v1/assessments/{a['id']}").status_code == 200
    theirs = assessment(api, elsewhere["id"])
    assert contact.get(f"/v1/assessments/{theirs['id']}").status_code == 404


def test_another_tenants_assessment_is_404_like_a_random_id(api: Api, other: Api) -> None:
    standard(api)
    client = api.client()
    a = assessment(api, client["id"])
    theirs = other.get(f"/v1/assessments/{a['id']}")
    random = other.get("/v1/assessments/0f0e4c1d-7a51-4f7e-9a67-2b6b8f9e3c21")
    assert theirs.status_code == random.status_code == 404
    assert theirs.json()["title"] == random.json()["title"]
    assert other.post(f"/v1/assessments/{a['id']}/complete", {"rationale": "r"}).status_code == 404
    assert other.get(f"/v1/clients/{client['id']}/assessments").status_code == 404
    assert other.get(f"/v1/assessments/{a['id']}/history").status_code == 404
    # the other tenant's library is not used for our client either
    assert other.post(f"/v1/clients/{client['id']}/assessments", {"title": "t"}).status_code == 404
