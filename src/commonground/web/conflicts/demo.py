"""The demo partnership's conflict log: one issue escalated to mediation, with the facilitator's private
note, and one settled between the leads.

Bright Start finds its name on a checkout display beside a multi-buy offer of sweets (the tension the
agreement's communication clause was written for); Meadowgate's answers do not satisfy it twice, so
the issue climbs to senior leaders, then to mediation by the partnership's facilitator. Meanwhile
Meadowgate raised that the voucher figures reach it late, and the charity's fix was accepted.

Written through the services as the two organisations' admins (no email: ``mail_muted``), then the
timeline is spread over the past weeks so that the ages and the medians read like a real log. Called
by ``commonground.web.demo.demo_load``; it adds the demo facilitator's account, which it returns.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from commonground.web.accounts.services import email_mark_verified
from commonground.web.accounts.typing import User
from commonground.web.conflicts import services
from commonground.web.conflicts.models import ConflictEntry, ConflictEvent, EventKind, FacilitatorNote
from commonground.web.mail import mail_muted
from commonground.web.partnerships.models import Facilitator, FacilitatorState, Partnership
from commonground.web.partnerships.selectors import PartnershipAccess, partnership_access_for

NOTE = (
    "Both leads are under pressure from their boards. Meadowgate's store managers earn a bonus on "
    "checkout sales, which nobody has said out loud. Open the mediation with interests, not the clause: "
    "ask each side what it needs the checkouts to do."
)


@dataclass(frozen=True)
class DemoSignIn:
    """The demo facilitator's sign-in, printed with the other demo accounts."""

    username: str
    password: str
    description: str


def _facilitator(partnership: Partnership) -> DemoSignIn:
    """An account that facilitates the demo partnership (made directly: there is no one to invite it)."""
    sign_in = DemoSignIn("demo-facilitator", secrets.token_urlsafe(12), "facilitator of the demo partnership")
    user = get_user_model().objects.create_user(
        username=sign_in.username, email=f"{sign_in.username}@example.org", password=sign_in.password
    )
    email_mark_verified(user=user)
    Facilitator.objects.create(
        partnership=partnership, user=user, state=FacilitatorState.ACTIVE, responded_at=timezone.now()
    )
    return sign_in


def _spread(entry: ConflictEntry, days_ago: list[float]) -> None:
    """Date the entry's timeline ``days_ago`` (one value per event, oldest first) and its fields with it."""
    now = timezone.now()
    events = list(ConflictEvent.objects.filter(entry=entry).order_by("created_at", "pk"))
    when = {
        event.pk: now - datetime.timedelta(days=days) for event, days in zip(events, days_ago, strict=True)
    }
    for event in events:
        ConflictEvent.objects.filter(pk=event.pk).update(created_at=when[event.pk])
    raised = when[events[0].pk]
    fields: dict[str, object] = {
        "created_at": raised,
        "updated_at": when[events[-1].pk],
        # The same number of days to acknowledge, from the earlier day it was raised.
        "acknowledge_by": raised.date() + (entry.acknowledge_by - entry.created_at.date()),
    }
    for event in events:
        if event.kind == EventKind.ACKNOWLEDGED:
            fields["acknowledged_at"] = when[event.pk]
        elif event.kind == EventKind.ACCEPTED:
            fields["resolved_at"] = when[event.pk]
        elif event.kind == EventKind.ESCALATED:
            fields["rung_since"] = when[event.pk]
    ConflictEntry.objects.filter(pk=entry.pk).update(**fields)


def _talk(access: PartnershipAccess, user: User, entry: ConflictEntry, text: str) -> None:
    services.conflict_message(access=access, user=user, entry=entry, text=text)


def _propose(
    access: PartnershipAccess, user: User, entry: ConflictEntry, resolution: str, **prompts: str
) -> None:
    entry.refresh_from_db()
    services.conflict_propose(
        access=access,
        user=user,
        entry=entry,
        expected_version=entry.version,
        resolution=resolution,
        **prompts,
    )


def _answer(
    access: PartnershipAccess, user: User, entry: ConflictEntry, *, accept: bool, reason: str
) -> None:
    entry.refresh_from_db()
    services.conflict_answer(
        access=access, user=user, entry=entry, expected_version=entry.version, accept=accept, reason=reason
    )


def demo_conflicts_load(*, partnership: Partnership, charity_admin: User, shop_admin: User) -> DemoSignIn:
    """Write the demo's two conflicts (see the module's docstring); returns the facilitator's sign-in."""
    sign_in = _facilitator(partnership)
    facilitator = get_user_model().objects.get(username=sign_in.username)
    charity = partnership_access_for(user=charity_admin, partnership_id=partnership.pk)
    shop = partnership_access_for(user=shop_admin, partnership_id=partnership.pk)
    with mail_muted():
        logo = services.conflict_raise(
            access=charity, user=charity_admin, organisation_id=charity.organisation_ids[0],
            title="Our name beside a sweets offer",
            description=(
                "A checkout display in the Northgate store carried our logo next to a three-for-two offer on "
                "chocolate bars. The communication clause rules this out in the pilot stores."
            ),
            category="values", severity="medium", touches_kind="clause",
            touches_ref="Communication and branding",
            approach="collaborating",
        )  # fmt: skip
        services.conflict_acknowledge(
            access=shop, user=shop_admin, entry=logo, expected_version=logo.version, approach="competing"
        )
        _talk(shop, shop_admin, logo, "The display came from head office; the store only put it up.")
        _propose(shop, shop_admin, logo, "We take the display down and brief the store managers.")
        _answer(
            charity,
            charity_admin,
            logo,
            accept=False,
            reason="It happened in two stores; a briefing is not enough.",
        )
        _propose(
            shop, shop_admin, logo, "Head office checks every pilot-store display against the clause.",
            interests="Meadowgate needs checkout sales; Bright Start needs its name kept away from sweets.",
        )  # fmt: skip
        _answer(
            charity, charity_admin, logo, accept=False, reason="We want the offers gone, not only our logo."
        )
        FacilitatorNote.objects.create(
            entry=logo, author=facilitator, author_name=sign_in.username, text=NOTE
        )

        vouchers = services.conflict_raise(
            access=shop, user=shop_admin, organisation_id=shop.organisation_ids[0],
            title="Voucher figures arrive late",
            description=(
                "We get the monthly voucher figures three weeks into the next month, so the stores "
                "restock blind."
            ),
            category="communication", severity="low", approach="compromising",
        )  # fmt: skip
        services.conflict_acknowledge(
            access=charity, user=charity_admin, entry=vouchers, expected_version=vouchers.version,
            approach="collaborating",
        )  # fmt: skip
        _talk(
            charity, charity_admin, vouchers, "The clinics report on paper; we type the figures in by hand."
        )
        _propose(
            charity, charity_admin, vouchers,
            "Clinics enter voucher figures online; we send them by the 5th of each month.",
            options="Weekly paper returns; an online form; estimates from the tills.",
            criteria="The stores can plan the next month's fruit in its first week.",
        )  # fmt: skip
        _answer(shop, shop_admin, vouchers, accept=True, reason="That works for the stores.")
    _spread(logo, [40, 39, 38, 37, 30, 30, 24, 17, 17])
    _spread(vouchers, [75, 73, 72, 70, 68])
    return sign_in
