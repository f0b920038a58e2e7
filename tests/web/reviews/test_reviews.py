"""Reviewing the shared goals with the assessment re-run, the stage of the cycle and a planned exit."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.urls import reverse

from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.web.agreements.models import Agreement
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.partnerships.models import Partnership
from commonground.web.reviews.models import ExitPlan, GoalDecision, GoalReview, StageChoice


def _url(name: str, partnership: Partnership, **kwargs: Any) -> str:
    return reverse(f"reviews:{name}", kwargs={"pk": partnership.pk, **kwargs})


def _agreement(client: Client, partnership: Partnership, engine_result: dict[str, Any]) -> Agreement:
    """An agreement drafted from a stored assessment, as the agreement page starts it."""
    AssessmentSnapshot.objects.create(
        partnership=partnership, result=engine_result, score=50, verdict="workable", open_conflicts=1
    )
    assert client.post(reverse("agreements:start", kwargs={"pk": partnership.pk})).status_code == 302
    agreement = Agreement.objects.get(partnership=partnership)
    # A goal the partners wrote themselves, beside the ones drafted from the assessment.
    document = agreement.document
    document["why"]["shared_objectives"].append(
        {"id": "own-1", "text": "Run a cooking club in every partner school"}
    )
    Agreement.objects.filter(pk=agreement.pk).update(document=document)
    return agreement


def _objectives(agreement: Agreement) -> list[str]:
    agreement.refresh_from_db()
    return [o.text for o in AgreementDocument.model_validate(agreement.document).why.shared_objectives]


def _decide(
    client: Client, partnership: Partnership, review: GoalReview, goal: GoalDecision, **data: str
) -> Any:
    prefix = f"goal-{goal.pk}"
    payload = {f"{prefix}-{key}": value for key, value in data.items()}
    payload.setdefault(f"{prefix}-version", str(goal.version))
    return client.post(_url("decide", partnership, review_id=review.pk, goal_id=goal.pk), payload)


def test_a_review_reruns_the_assessment_and_writes_its_decisions_into_the_agreement(
    member_client: Client, partnership: Partnership, engine_result: dict[str, Any], fake_assess: Any
) -> None:
    agreement = _agreement(member_client, partnership, engine_result)
    before = _objectives(agreement)
    assert len(before) == 3, "two objectives drafted from shared SDGs and one of the partners' own"
    version = agreement.version

    response = member_client.post(_url("new", partnership))
    review = GoalReview.objects.get(partnership=partnership)
    assert response.status_code == 302
    assert fake_assess.calls == 1  # the assessment was re-run on the profiles as they are now
    assert review.snapshot is not None
    assert review.previous_snapshot is not None
    goals = list(review.goals.all())
    assert [goal.text for goal in goals] == before
    # The same profiles draft the same goals, so the engine still finds each drafted goal shared; of
    # the partners' own goal it cannot say.
    assert [goal.still_shared for goal in goals] == [True, True, None]
    page = member_client.get(_url("detail", partnership, review_id=review.pk)).content.decode()
    assert "The assessment re-run today still finds this goal shared." in page
    assert "Worded by the partners, so the assessment cannot say" in page
    assert f"{len(goals)} of {len(goals)} goals still to decide." in page

    first, second, *rest = goals
    assert (
        _decide(
            member_client, partnership, review, first, decision="keep", note="Still our core aim"
        ).status_code
        == 302
    )
    adapted = "Halve sugary-drink sales near the ten schools we work with by 2028"
    assert (
        _decide(member_client, partnership, review, second, decision="adapt", new_text=adapted).status_code
        == 302
    )
    for goal in rest:
        assert _decide(member_client, partnership, review, goal, decision="drop").status_code == 302

    response = member_client.post(_url("close", partnership, review_id=review.pk), follow=True)
    assert "Review closed." in response.content.decode()
    review.refresh_from_db()
    assert review.state == "closed"
    assert _objectives(agreement) == [before[0], adapted]
    agreement.refresh_from_db()
    assert agreement.version == version + 1
    assert review.agreement_version == agreement.version
    assert AgreementDocument.model_validate(agreement.document).state == "draft"  # partners sign again
    # A closed review is a record: no more decisions.
    response = _decide(
        member_client, partnership, review, first, decision="drop", version=str(first.version + 1)
    )
    assert response.status_code == 302
    assert "That review is closed" in member_client.get(response["Location"]).content.decode()
    assert GoalDecision.objects.get(pk=first.pk).decision == "keep"


def test_closing_needs_every_goal_decided_and_one_review_is_open_at_a_time(
    member_client: Client, partnership: Partnership, engine_result: dict[str, Any], fake_assess: Any
) -> None:
    _agreement(member_client, partnership, engine_result)
    member_client.post(_url("new", partnership))
    review = GoalReview.objects.get(partnership=partnership)
    goal = review.goals.first()
    assert goal is not None
    _decide(member_client, partnership, review, goal, decision="keep")
    response = member_client.post(_url("close", partnership, review_id=review.pk), follow=True)
    assert (
        "Decide every goal before closing the review: goal 2, 3 are not decided yet."
        in response.content.decode()
    )
    assert GoalReview.objects.get(pk=review.pk).state == "open"
    response = member_client.post(_url("new", partnership), follow=True)
    assert "A review is already open" in response.content.decode()
    assert GoalReview.objects.filter(partnership=partnership).count() == 1


def test_an_adapted_goal_needs_its_new_wording_and_a_stale_decision_is_refused(
    member_client: Client, owner_client: Client, partnership: Partnership, engine_result: dict[str, Any],
    fake_assess: Any,
) -> None:  # fmt: skip
    _agreement(member_client, partnership, engine_result)
    member_client.post(_url("new", partnership))
    review = GoalReview.objects.get(partnership=partnership)
    goal = review.goals.first()
    assert goal is not None
    response = _decide(member_client, partnership, review, goal, decision="adapt", new_text="  ")
    assert response.status_code == 400
    assert "Write the goal&#x27;s new wording" in response.content.decode()
    assert _decide(owner_client, partnership, review, goal, decision="keep").status_code == 302
    # The member's form was read at the old version: their save would overwrite the owner's decision.
    response = _decide(member_client, partnership, review, goal, decision="drop")
    assert response.status_code == 400
    assert "changed" in response.content.decode()
    assert GoalDecision.objects.get(pk=goal.pk).decision == "keep"


def test_without_an_agreement_the_review_lists_the_goals_the_assessment_drafts(
    member_client: Client, partnership: Partnership, fake_assess: Any
) -> None:
    member_client.post(_url("new", partnership))
    review = GoalReview.objects.get(partnership=partnership)
    assert review.goals.count() >= 1
    for goal in review.goals.all():
        _decide(member_client, partnership, review, goal, decision="keep")
    member_client.post(_url("close", partnership, review_id=review.pk))
    review.refresh_from_db()
    assert review.state == "closed"
    assert review.agreement_version is None
    assert not Agreement.objects.filter(partnership=partnership).exists()


def test_the_partners_plan_an_exit_change_it_and_call_it_off(
    member_client: Client, partnership: Partnership
) -> None:
    on = datetime.date.today() + datetime.timedelta(days=90)
    data = {
        "kind": "transition",
        "planned_for": on.isoformat(),
        "shared_work": "The school programme moves to the council.",
    }
    response = member_client.post(_url("exit", partnership), data, follow=True)
    assert "Exit plan saved." in response.content.decode()
    plan = ExitPlan.objects.get(partnership=partnership)
    page = member_client.get(_url("list", partnership)).content.decode()
    assert "The school programme moves to the council." in page
    assert "Hand over the shared work and continue in another form" in page
    # A second "new plan" form read before the first save is stale, not a second plan.
    response = member_client.post(_url("exit", partnership), {**data, "kind": "close"})
    assert response.status_code == 400
    response = member_client.post(
        _url("exit", partnership), {**data, "kind": "close", "version": plan.version}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.kind == "close"
    member_client.post(_url("exit_cancel", partnership), {"version": plan.version})
    plan.refresh_from_db()
    assert plan.active is False
    response = member_client.post(
        _url("exit", partnership), {**data, "shared_work": "", "version": plan.version}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_the_partners_set_the_stage_or_follow_the_facts(
    member_client: Client, partnership: Partnership
) -> None:
    member_client.post(_url("stage", partnership), {"stage": "reviewing"})
    assert StageChoice.objects.get(partnership=partnership).stage == "reviewing"
    page = member_client.get(_url("list", partnership)).content.decode()
    assert "Set by the partners: <strong>Reviewing: looking back at the goals" in page
    response = member_client.post(_url("stage", partnership), {"stage": "nonsense"}, follow=True)
    assert "Choose one of the stages" in response.content.decode()
    member_client.post(_url("stage", partnership), {"stage": ""})
    assert not StageChoice.objects.filter(partnership=partnership).exists()


def test_readers_see_reviews_but_change_nothing(
    member_client: Client, viewer_client: Client, facilitator_client: Client, outsider_client: Client,
    partnership: Partnership, fake_assess: Any,
) -> None:  # fmt: skip
    member_client.post(_url("new", partnership))
    review = GoalReview.objects.get(partnership=partnership)
    goal = review.goals.first()
    assert goal is not None
    for reader in (viewer_client, facilitator_client):
        page = reader.get(_url("detail", partnership, review_id=review.pk)).content.decode()
        assert goal.text in page
        assert "Close the review" not in page
        assert reader.post(_url("close", partnership, review_id=review.pk)).status_code == 403
        assert _decide(reader, partnership, review, goal, decision="drop").status_code == 403
        assert reader.post(_url("stage", partnership), {"stage": "reviewing"}).status_code == 403
        list_page = reader.get(_url("list", partnership)).content.decode()
        assert "Start a review" not in list_page
        assert "Save the exit plan" not in list_page
    assert outsider_client.get(_url("detail", partnership, review_id=review.pk)).status_code == 404
    assert outsider_client.get(_url("list", partnership)).status_code == 404
    assert GoalDecision.objects.get(pk=goal.pk).decision == ""
    assert not StageChoice.objects.exists()


def test_a_review_that_keeps_every_goal_leaves_the_agreement_as_it_was(
    member_client: Client, partnership: Partnership, engine_result: dict[str, Any], fake_assess: Any
) -> None:
    agreement = _agreement(member_client, partnership, engine_result)
    Agreement.objects.filter(pk=agreement.pk).update(document={**agreement.document, "state": "agreed"})
    agreement.refresh_from_db()
    member_client.post(_url("new", partnership))
    review = GoalReview.objects.get(partnership=partnership)
    for goal in review.goals.all():
        _decide(member_client, partnership, review, goal, decision="keep")
    member_client.post(_url("close", partnership, review_id=review.pk))
    review.refresh_from_db()
    assert review.state == "closed"
    version = agreement.version
    agreement.refresh_from_db()
    # Nothing changed, so no new version and no new round of signatures.
    assert agreement.version == version
    assert agreement.document["state"] == "agreed"
