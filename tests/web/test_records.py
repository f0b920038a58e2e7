"""Optimistic locking: one helper, one error, and every versioned record's writes go through it."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, transaction
from reversion.models import Version

from commonground.core.profiles import Profile
from commonground.web.agreements import services as agreement_services
from commonground.web.agreements.models import Agreement
from commonground.web.agreements.sections import PARTS
from commonground.web.checkins import services as checkin_services
from commonground.web.checkins.models import ActionItem, CheckinSchedule
from commonground.web.conflicts import services as conflict_services
from commonground.web.conflicts.models import ConflictEntry
from commonground.web.networks import services as network_services
from commonground.web.networks.models import NetworkAnswer
from commonground.web.organisations import services as organisation_services
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships import services as partnership_services
from commonground.web.partnerships.models import Initiative, Partnership
from commonground.web.partnerships.selectors import PartnershipAccess, partnership_access_for
from commonground.web.records import StaleEditError, Versioned, delete_if_current, update_if_current
from commonground.web.reviews import services as review_services
from commonground.web.reviews.models import ExitPlan, GoalDecision, GoalReview
from commonground.web.stakeholders import services as register_services
from commonground.web.stakeholders.models import RegisterEntry


@pytest.mark.django_db(transaction=True)
def test_two_writers_from_one_version_one_wins_and_the_other_writes_nothing(
    make_user: Callable[..., Any],
) -> None:
    writers = [make_user(f"wren-writer-{n}") for n in range(2)]
    partnership = Partnership.objects.create(name="Before", description="Before.")
    barrier = threading.Barrier(len(writers))
    outcomes: dict[int, str] = {}

    def write(n: int) -> None:
        barrier.wait()
        try:
            with transaction.atomic():  # shaped like a service: a write before the checked update
                Initiative.objects.create(partnership=partnership, name=f"Note of writer {n}", social_value=1)
                update_if_current(
                    Partnership.objects.filter(pk=partnership.pk),
                    expected_version=1,
                    user=writers[n],
                    name=f"Name of writer {n}",
                    description=f"Description of writer {n}.",
                )
            outcomes[n] = "won"
        except StaleEditError as exc:
            outcomes[n] = f"stale:{exc.changed_by}:{exc.current_version}"
        except Exception as exc:  # anything else is a failure of the locking scheme
            outcomes[n] = f"error:{exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(len(writers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    winners = [n for n, outcome in outcomes.items() if outcome == "won"]
    assert len(winners) == 1, outcomes
    winner, loser = winners[0], 1 - winners[0]
    assert outcomes[loser] == f"stale:wren-writer-{winner}:2"
    partnership.refresh_from_db()
    assert (partnership.name, partnership.description) == (
        f"Name of writer {winner}",
        f"Description of writer {winner}.",
    )
    assert (partnership.version, partnership.updated_by) == (2, writers[winner])
    assert list(Initiative.objects.values_list("name", flat=True)) == [f"Note of writer {winner}"]


@pytest.mark.django_db
def test_a_checked_delete_refuses_a_stale_version_and_removes_a_current_one(owner: Any) -> None:
    partnership = Partnership.objects.create(name="Kept", version=3)
    rows = Partnership.objects.filter(pk=partnership.pk)
    with pytest.raises(StaleEditError) as refused:
        delete_if_current(rows, expected_version=2)
    assert (refused.value.changed_by, refused.value.current_version) == ("someone else", 3)
    assert rows.exists()
    delete_if_current(rows, expected_version=3)
    assert not rows.exists()
    with pytest.raises(StaleEditError) as gone:
        update_if_current(rows, expected_version=3, user=owner, name="Too late")
    assert gone.value.removed
    assert gone.value.changed_meanwhile("partnership", then="start again") == (
        "This partnership was removed by someone else meanwhile. Your changes were not saved: start again."
    )


# --- every versioned record's service saves through the helper ----------------------------------------

# One stale-save test per model that carries a version; a new versioned model fails the first test below
# until its service is shown to use update_if_current / delete_if_current.
STALE_SAVE_TESTS = {
    Organisation: "test_a_stale_profile_save_raises_the_stale_error",
    Partnership: "test_a_stale_partnership_save_raises_the_stale_error",
    Initiative: "test_a_stale_initiative_save_raises_the_stale_error",
    RegisterEntry: "test_a_stale_register_entry_save_or_delete_raises_the_stale_error",
    Agreement: "test_a_stale_agreement_save_raises_the_stale_error",
    ConflictEntry: "test_a_stale_conflict_proposal_raises_the_stale_error",
    CheckinSchedule: "test_a_stale_checkin_schedule_save_raises_the_stale_error",
    ActionItem: "test_a_stale_action_item_save_raises_the_stale_error",
    GoalDecision: "test_a_stale_goal_decision_raises_the_stale_error",
    ExitPlan: "test_a_stale_exit_plan_save_raises_the_stale_error",
    NetworkAnswer: "test_a_stale_network_answer_save_raises_the_stale_error",
}


def test_every_versioned_model_has_a_stale_save_test() -> None:
    versioned = {model for model in apps.get_models() if issubclass(model, Versioned)}
    assert versioned == set(STALE_SAVE_TESTS)
    assert all(name in globals() for name in STALE_SAVE_TESTS.values())


def _access(user: Any, partnership: Partnership) -> PartnershipAccess:
    return partnership_access_for(user=user, partnership_id=partnership.pk)


def _second_save_from_version_1_is_refused(
    save: Callable[[Any, str], object], current: Callable[[], tuple[str, int]], *, first: Any, second: Any
) -> None:
    """``first`` saves from version 1, then ``second`` does: refused, naming ``first``; nothing recorded."""
    save(first, "first")
    revisions = Version.objects.count()
    with pytest.raises(StaleEditError) as stale:
        save(second, "second")
    assert (stale.value.changed_by, stale.value.current_version) == (first.get_username(), 2)
    assert current() == ("first", 2)
    assert Version.objects.count() == revisions


def test_a_stale_profile_save_raises_the_stale_error(
    organisation: Organisation, owner: Any, member: Any, harbor_profile: Profile
) -> None:
    def save(user: Any, mission: str) -> None:
        organisation_services.profile_update(
            organisation=Organisation.objects.get(pk=organisation.pk),
            profile=harbor_profile.model_copy(update={"mission": mission}),
            expected_version=1,
            user=user,
        )

    def current() -> tuple[str, int]:
        organisation.refresh_from_db()
        return organisation.get_profile().mission, organisation.version

    _second_save_from_version_1_is_refused(save, current, first=owner, second=member)


def test_a_stale_partnership_save_raises_the_stale_error(
    partnership: Partnership, org_admin: Any, partner_admin: Any
) -> None:
    def save(user: Any, description: str) -> None:
        partnership_services.partnership_update(
            access=_access(user, partnership), description=description, expected_version=1, user=user
        )

    def current() -> tuple[str, int]:
        partnership.refresh_from_db()
        return partnership.description, partnership.version

    _second_save_from_version_1_is_refused(save, current, first=partner_admin, second=org_admin)


def test_a_stale_initiative_save_raises_the_stale_error(
    partnership: Partnership, initiative: Initiative, member: Any, org_admin: Any
) -> None:
    def save(user: Any, name: str) -> None:
        partnership_services.initiative_update(
            access=_access(user, partnership), initiative=initiative, name=name, description="",
            level="", social_value=3, expected_version=1, user=user,
        )  # fmt: skip

    def current() -> tuple[str, int]:
        initiative.refresh_from_db()
        return initiative.name, initiative.version

    _second_save_from_version_1_is_refused(save, current, first=member, second=org_admin)


def test_a_stale_checkin_schedule_save_raises_the_stale_error(
    partnership: Partnership, org_admin: Any, partner_admin: Any
) -> None:
    schedule = CheckinSchedule.objects.create(partnership=partnership)
    days = {"first": 11, "second": 12}

    def save(user: Any, word: str) -> None:
        checkin_services.schedule_save(
            access=_access(user, partnership), user=user, expected_version=1, frequency="monthly",
            follow_agreement=True, window_days=days[word], factors_every=0, starts_on=schedule.starts_on,
        )  # fmt: skip

    def current() -> tuple[str, int]:
        schedule.refresh_from_db()
        return {v: k for k, v in days.items()}[schedule.window_days], schedule.version

    _second_save_from_version_1_is_refused(save, current, first=org_admin, second=partner_admin)


def test_a_stale_action_item_save_raises_the_stale_error(
    partnership: Partnership, member: Any, org_admin: Any
) -> None:
    action = ActionItem.objects.create(partnership=partnership, text="Share the minutes sooner.")
    statuses = {"first": "done", "second": "open"}

    def save(user: Any, word: str) -> None:
        checkin_services.action_item_set_status(
            access=_access(user, partnership),
            user=user,
            action=action,
            status=statuses[word],
            expected_version=1,
        )

    def current() -> tuple[str, int]:
        action.refresh_from_db()
        return {v: k for k, v in statuses.items()}[action.status], action.version

    _second_save_from_version_1_is_refused(save, current, first=member, second=org_admin)


def test_a_stale_network_answer_save_raises_the_stale_error(
    partnership: Partnership, member: Any, org_admin: Any, organisation: Organisation
) -> None:
    meadow = partnership.members.exclude(organisation=organisation).get().organisation
    survey_round = network_services.round_open(
        access=_access(org_admin, partnership), user=org_admin, label="r1", date=datetime.date(2026, 4, 1)
    )
    levels = {"first": 4, "second": 1}

    def save(user: Any, word: str, version: int | None = 1) -> None:
        network_services.answer_save(
            access=_access(user, partnership),
            user=user,
            survey_round=survey_round,
            by_id=organisation.pk,
            about_id=meadow.pk,
            rating=network_services.Rating(levels[word], None, 3, 3, 3, 3, 3, 3),
            expected_version=version,
        )

    def current() -> tuple[str, int]:
        answer = NetworkAnswer.objects.get()
        return {v: k for k, v in levels.items()}[answer.level], answer.version

    save(member, "second", version=None)
    _second_save_from_version_1_is_refused(save, current, first=member, second=org_admin)


def test_a_stale_register_entry_save_or_delete_raises_the_stale_error(
    partnership: Partnership, member: Any, org_admin: Any
) -> None:
    ratings = register_services.Ratings(
        power=3, interest=3, legitimacy=False, urgency=False, stance="", notes=""
    )
    entry = register_services.entry_add(
        access=_access(member, partnership), name="Local clinics", ratings=ratings, user=member
    )

    def save(user: Any, notes: str) -> None:
        register_services.entry_update(
            access=_access(user, partnership), entry=entry, name=entry.name,
            ratings=replace(ratings, notes=notes), expected_version=1, user=user,
        )  # fmt: skip

    def current() -> tuple[str, int]:
        entry.refresh_from_db()
        return entry.notes, entry.version

    _second_save_from_version_1_is_refused(save, current, first=member, second=org_admin)
    with pytest.raises(StaleEditError):
        register_services.entry_delete(
            access=_access(org_admin, partnership), entry=entry, expected_version=1, user=org_admin
        )
    assert current() == ("first", 2)


def test_a_stale_goal_decision_raises_the_stale_error(
    partnership: Partnership, member: Any, org_admin: Any
) -> None:
    review = GoalReview.objects.create(partnership=partnership, opened_by=member)
    goal = GoalDecision.objects.create(review=review, position=1, text="Cut sugar in school meals")

    def save(user: Any, note: str) -> None:
        review_services.review_goal_decide(
            access=_access(user, partnership), review_id=review.pk, goal_id=goal.pk, decision="keep",
            new_text="", note=note, expected_version=1, user=user,
        )  # fmt: skip

    def current() -> tuple[str, int]:
        goal.refresh_from_db()
        return goal.note, goal.version

    _second_save_from_version_1_is_refused(save, current, first=member, second=org_admin)


def test_a_stale_exit_plan_save_raises_the_stale_error(
    partnership: Partnership, member: Any, org_admin: Any
) -> None:
    on = datetime.date(2027, 6, 30)
    review_services.exit_plan_save(
        access=_access(member, partnership), kind="transition", planned_for=on, shared_work="start",
        expected_version=None, user=member,
    )  # fmt: skip
    plan = ExitPlan.objects.get(partnership=partnership)

    def save(user: Any, text: str) -> None:
        review_services.exit_plan_save(
            access=_access(user, partnership), kind="transition", planned_for=on, shared_work=text,
            expected_version=1, user=user,
        )  # fmt: skip

    def current() -> tuple[str, int]:
        plan.refresh_from_db()
        return plan.shared_work, plan.version

    _second_save_from_version_1_is_refused(save, current, first=member, second=org_admin)


def test_a_stale_agreement_save_raises_the_stale_error(
    partnership: Partnership, member: Any, partner_admin: Any
) -> None:
    agreement = agreement_services.agreement_start(access=_access(member, partnership), user=member)
    why = PARTS["why"]

    def save(user: Any, vision: str) -> None:
        merged, problems = why.merged(agreement.document, {"status": "partially", "shared_vision": vision})
        assert problems == []
        agreement_services.agreement_part_update(
            access=_access(user, partnership), agreement=agreement, part_key="why", merged=merged,
            expected_version=1, user=user,
        )  # fmt: skip

    def current() -> tuple[str, int]:
        agreement.refresh_from_db()
        return agreement.document["why"]["shared_vision"], agreement.version

    _second_save_from_version_1_is_refused(save, current, first=partner_admin, second=member)


def test_a_stale_conflict_proposal_raises_the_stale_error(
    partnership: Partnership, organisation: Organisation, member: Any, partner_admin: Any
) -> None:
    """Two people propose a resolution from the same version: the second is refused, nothing recorded."""
    entry = conflict_services.conflict_raise(
        access=_access(member, partnership), user=member, organisation_id=organisation.pk, title="Fruit",
        description="Missing at the tills.", category="resources", severity="low",
    )  # fmt: skip
    conflict_services.conflict_acknowledge(
        access=_access(partner_admin, partnership), user=partner_admin, entry=entry, expected_version=1
    )
    entry.refresh_from_db()  # both people load the acknowledged issue at version 2

    def propose(user: Any, text: str) -> None:
        conflict_services.conflict_propose(
            access=_access(user, partnership), user=user, entry=entry, expected_version=2, resolution=text
        )

    propose(partner_admin, "first")
    with pytest.raises(StaleEditError) as stale:
        propose(member, "second")
    assert (stale.value.changed_by, stale.value.current_version) == (partner_admin.get_username(), 3)
    entry.refresh_from_db()
    assert (entry.resolution, entry.version) == ("first", 3)
    assert entry.events.filter(kind="proposed").count() == 1
