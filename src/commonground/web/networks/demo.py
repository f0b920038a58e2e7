"""The demo coalition: Riverside Together, 30 organisations and two closed network survey rounds.

Built from ``demo_survey.yaml``, a copy of ``examples/network-riverside.yaml`` shipped with the package
(``tests/web/networks/test_network_demo.py`` fails when the two differ), so the workspace and
``commonground network`` show the same network. The demo's Riverside Community Food Bank is
the coalition's food bank, so the demo owner reaches the coalition through it; the other 29
organisations are made with a one-line profile, owned by ``demo-coalition`` (an account nobody signs
in to, which keeps the demo owner's menus short), and join as active partners directly (a demo needs
no invitations). Each round's answers
are written with ``bulk_create``: a rating where the file has one, "we do not work with them" where
the file says so (``not_working_with``), nothing for a pair the file leaves unanswered. Same input,
same output.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model

from commonground.core.network import Survey, load_survey
from commonground.core.profiles import Profile
from commonground.web.networks.models import NetworkAnswer, NetworkRound
from commonground.web.networks.services import round_freeze
from commonground.web.organisations import services as organisation_services
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import MemberState, Partnership, PartnershipMember

EXAMPLE = Path(__file__).resolve().parent / "demo_survey.yaml"
# The survey file's kinds of organisation in the profile format's words.
KINDS = {
    "public_body": "public_agency",
    "community_group": "community_group",
    "social_enterprise": "social_enterprise",
    "nonprofit": "nonprofit",
}


def survey_rounds_load(
    *, partnership: Partnership, survey: Survey, organisations: dict[str, Organisation]
) -> list[NetworkRound]:
    """Store every round of ``survey`` as a closed round of ``partnership`` (``organisations``: survey id
    → the organisation standing for it); returns them oldest first."""
    stored = []
    asked = [
        {"id": str(organisations[o.id].pk), "name": organisations[o.id].name} for o in survey.organisations
    ]
    for item in sorted(survey.rounds, key=lambda r: r.date):
        survey_round = NetworkRound.objects.create(
            partnership=partnership, label=item.label, date=item.date, organisations=asked
        )
        given = {(r.by, r.about): r for r in item.ratings}
        answers = []
        for by in survey.organisations:
            if not item.responded(by.id):
                continue
            for about in survey.organisations:
                if about.id == by.id:
                    continue
                rating = given.get((by.id, about.id))
                if rating is None and not item.says_no_tie(by.id, about.id):
                    continue  # not answered
                scores = {}
                if rating is not None:
                    scores = {
                        "level": rating.level,
                        "frequency": rating.frequency,
                        **rating.value.model_dump(),
                        **rating.trust.model_dump(),
                    }
                answers.append(
                    NetworkAnswer(
                        round=survey_round,
                        by=organisations[by.id],
                        about=organisations[about.id],
                        works_with=rating is not None,
                        **scores,
                    )
                )
        NetworkAnswer.objects.bulk_create(answers)
        round_freeze(survey_round=survey_round, user=None)
        survey_round.refresh_from_db()
        stored.append(survey_round)
    return stored


def demo_network_load(*, food_bank: Organisation) -> Partnership:
    """Start the demo coalition with its organisations and its two survey rounds."""
    survey = load_survey(EXAMPLE)
    owner = get_user_model().objects.create_user(
        username="demo-coalition", email="demo-coalition@example.org", password=None
    )
    organisations: dict[str, Organisation] = {}
    for item in survey.organisations:
        if item.name == food_bank.name:
            organisations[item.id] = food_bank
            continue
        profile = Profile.model_validate(
            {
                "name": item.name,
                "kind": KINDS.get(item.kind or "", "other"),
                "mission": f"A member of {survey.coalition}, the demo coalition.",
            }
        )
        organisations[item.id] = organisation_services.organisation_create(user=owner, profile=profile)
    partnership = Partnership.objects.create(
        name=survey.coalition,
        description="A coalition of thirty organisations; see who works with whom on the Network tab.",
        created_by=owner,
        updated_by=owner,
    )
    PartnershipMember.objects.bulk_create(
        PartnershipMember(partnership=partnership, organisation=org, state=MemberState.ACTIVE)
        for org in organisations.values()
    )
    survey_rounds_load(partnership=partnership, survey=survey, organisations=organisations)
    return partnership
