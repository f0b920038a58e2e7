"""Writes for assessments: run the engine on the partners' current profiles and store the snapshot."""

from __future__ import annotations

import json

from django.conf import settings
from django.db import transaction

from commonground.core.assessment import assess_profiles
from commonground.core.profiles import Initiative as EngineInitiative
from commonground.web.accounts.typing import User
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.assessments.presentation import (
    BODY_FORMAT,
    body_fields,
    result_body_html,
    stored_result,
)
from commonground.web.partnerships.models import Initiative
from commonground.web.partnerships.selectors import PartnershipAccess, active_organisations
from commonground.web.throttles import assessment_run_take


class AssessmentError(Exception):
    """An assessment that cannot run; the message is shown to the user."""


class AssessmentThrottled(AssessmentError):
    """Too many assessments this hour; ``retry_after`` is in seconds."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def _in_minutes(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return "a minute" if minutes == 1 else f"{minutes} minutes"


def _take_a_run(*, access: PartnershipAccess, user: User) -> None:
    """Count one run for the account and for each of its partner organisations here, or refuse it."""
    refused = assessment_run_take(user_id=user.pk, organisation_ids=(o for o, _ in access.org_roles))
    if refused is None:
        return
    who = "you" if refused.by_account else "your organisation's members"
    raise AssessmentThrottled(
        f"Too many assessments: {who} may run at most {refused.count} an hour, here and through the API "
        f"together. Try again in {_in_minutes(refused.wait)}.",
        retry_after=refused.wait,
    )


def _refuse_oversized(fields: dict[str, object]) -> None:
    limit = int(settings.ASSESSMENT_MAX_BYTES)
    size = sum(
        len(value.encode()) if isinstance(value, str) else len(json.dumps(value, separators=(",", ":")))
        for value in fields.values()
    )
    if size > limit:
        raise AssessmentError(
            f"This assessment would take {size / 1024 / 1024:.1f} MB to keep; at most "
            f"{limit / 1024 / 1024:.0f} MB is kept. Nothing was stored: shorten the longest lists in the "
            "partners' profiles (goals, activities, stakeholders) and run it again."
        )


def snapshot_create(*, access: PartnershipAccess, user: User) -> AssessmentSnapshot:
    """Assess the active partners' current profiles and initiatives; store everything used, whole."""
    organisations = active_organisations(partnership=access.partnership)
    if len(organisations) < 2:
        raise AssessmentError("An assessment needs at least two active partner organisations.")
    profiles = [organisation.get_profile() for organisation in organisations]
    names = {
        organisation.pk: profile.name for organisation, profile in zip(organisations, profiles, strict=True)
    }
    initiatives = [
        EngineInitiative(
            name=initiative.name,
            description=initiative.description or None,
            level=initiative.level or None,
            social_value=initiative.social_value,
            economic_value={
                names[score.organisation_id]: score.economic_value
                for score in initiative.scores.all()
                if score.organisation_id in names
            },
        )
        for initiative in Initiative.objects.filter(partnership=access.partnership).prefetch_related("scores")
    ]
    _take_a_run(access=access, user=user)
    try:
        result = assess_profiles(profiles, initiatives=initiatives, name=access.partnership.name)
    except ValueError as exc:
        raise AssessmentError(f"The assessment could not run: {exc}") from exc
    versions = [
        {
            "organisation_id": organisation.pk,
            "name": profile.name,
            "version": organisation.version,
            "fingerprint": profile.fingerprint(),
        }
        for organisation, profile in zip(organisations, profiles, strict=True)
    ]
    stored = {"result": result.model_dump(mode="json"), **body_fields(result)}
    _refuse_oversized(stored)
    with transaction.atomic():
        return AssessmentSnapshot.objects.create(
            partnership=access.partnership,
            created_by=user,
            score=result.score,
            verdict=str(result.verdict),
            open_conflicts=len(result.conflicts),
            profile_versions=versions,
            initiatives=[initiative.model_dump(mode="json", exclude_none=True) for initiative in initiatives],
            **stored,
        )


def snapshot_bodies_refresh(*, batch_size: int = 50) -> int:
    """Store the page body afresh for snapshots rendered in an older format; return how many.

    A snapshot's page is drawn from its stored body; one of an older ``BODY_FORMAT`` is drawn from
    its result on every view until this rewrites it. Each row is written only if it still has the
    format it was read with, so two runs at once, or a run beside a new snapshot, never clash.
    """
    refreshed = 0
    while True:
        stale = list(
            AssessmentSnapshot.objects.exclude(body_format=BODY_FORMAT)
            .order_by("pk")
            .only("pk", "result", "body_format")[:batch_size]
        )
        if not stale:
            return refreshed
        for snapshot in stale:
            body = result_body_html(stored_result(snapshot))
            refreshed += AssessmentSnapshot.objects.filter(
                pk=snapshot.pk, body_format=snapshot.body_format
            ).update(body_html=body, body_format=BODY_FORMAT)
