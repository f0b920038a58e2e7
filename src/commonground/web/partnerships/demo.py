"""The demo partnership: a child-health charity and a supermarket chain, with a real tension.

Called by ``commonground.web.demo.demo_load`` after the demo organisations exist. It goes through the
services, so the demo has history, and takes one assessment with the real engine.
"""

from __future__ import annotations

from commonground.web.accounts.typing import User
from commonground.web.assessments.services import snapshot_create
from commonground.web.organisations.models import Organisation
from commonground.web.organisations.selectors import organisation_access
from commonground.web.partnerships import services
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import partnership_access_for

INITIATIVES = (
    # name, description, level, social value, economic value (charity, supermarket)
    ("Healthy checkouts", "Fruit, water and unsweetened snacks instead of sweets at every till.",
     "value_chain", 4, (4, 2)),
    ("Family fruit vouchers", "Vouchers for fresh fruit and vegetables, given out at child-health clinics.",
     "products_and_markets", 5, (5, 4)),
)  # fmt: skip


def demo_partnership_load(*, user: User, charity: Organisation, supermarket: Organisation) -> Partnership:
    """Start the demo partnership as ``user`` (owner of both), add initiatives, take one assessment."""
    partnership = services.partnership_create(
        org_access=organisation_access(user=user, slug=charity.slug),
        name="Healthier food for families",
        description=(
            "Can a child-health charity and a supermarket chain that sells sweets and sugary drinks "
            "work together on what families eat?"
        ),
        user=user,
    )
    # The demo owner runs both organisations, so agrees for both sides: no invitation email needed.
    services.member_join(
        partnership=partnership, org_access=organisation_access(user=user, slug=supermarket.slug), user=user
    )
    access = partnership_access_for(user=user, partnership_id=partnership.pk)
    for name, description, level, social, (charity_value, supermarket_value) in INITIATIVES:
        initiative = services.initiative_create(
            access=access, name=name, description=description, level=level, social_value=social, user=user
        )
        for organisation, value in ((charity, charity_value), (supermarket, supermarket_value)):
            services.initiative_score_set(
                access=access,
                initiative=initiative,
                organisation_id=organisation.pk,
                economic_value=value,
                user=user,
            )
    snapshot_create(access=access, user=user)
    return partnership
