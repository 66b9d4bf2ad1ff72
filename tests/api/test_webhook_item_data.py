"""A delivery of an event on an item carries the item's whole state after the event, so a PSA
connector needs no callback; standards' events have no client."""

from __future__ import annotations

from tests.api.assessment_helpers import answer, assessment, standard
from tests.api.conftest import Api, StartWorker
from tests.api.tactical import act, initiative, setup
from tests.api.webhook_delivery_helpers import quiet, subscribe, verify
from tests.api.webhook_receiver import receiving, wait_until


def test_item_events_carry_the_whole_item(
    api: Api, hooks: list[str], start_worker: StartWorker
) -> None:
    start_worker()
    with receiving() as receiver:
        hook = subscribe(
            api,
            hooks,
            receiver.url,
            ["plan.initiative_proposed", "plan.initiative_approved", "assessment.*", "standard.*"],
        )
        s = setup(api)
        iid = initiative(api, s.plan, [s.goal], description="Firewalls out of support in May")
        approved = act(api, s.plan, iid, "approve")
        assert approved.status_code == 200
        backup = standard(api)
        a = assessment(api, s.client_id, standard_ids=[backup["id"]])
        last = answer(api, a["id"], backup["id"], "misaligned", note="NAS only")["position"]

        wait_until(lambda: len(receiver.succeeded()) >= 5, what="five deliveries")
        quiet(api, hook["id"], last)
        bodies = {b["type"]: b for b in (verify(hook["secret"], g) for g in receiver.requests())}
        assert set(bodies) == {
            "plan.initiative_proposed",
            "plan.initiative_approved",
            "standard.created",
            "assessment.created",
            "assessment.answered",
        }
        plan_now = api.get(f"/v1/plans/{s.plan}").json()["initiatives"][0]
        approval = bodies["plan.initiative_approved"]["data"]
        assert approval["initiative_id"] == iid
        assert approval["item"] == plan_now  # the whole initiative, as GET shows it
        proposal = bodies["plan.initiative_proposed"]["data"]["item"]
        assert proposal["status"] == "proposed"
        assert proposal["description"] == "Firewalls out of support in May"
        answered = bodies["assessment.answered"]["data"]
        assert answered["item"]["standard_id"] == backup["id"]
        assert (answered["item"]["result"], answered["item"]["note"]) == ("misaligned", "NAS only")
        assert answered["item"]["title"] == backup["title"]
        assert "item" not in bodies["assessment.created"]["data"]
        assert bodies["standard.created"]["client_id"] is None
        assert bodies["assessment.answered"]["client_id"] == s.client_id
