"""The demo partnership's agreement: signed, with a real tension, and half a year of records.

Bright Start (a child-health charity) will not be linked with promoting sugar; Meadowgate (a
supermarket chain) lives partly on multi-buy offers of snacks and soft drinks. The signed agreement
writes the charity's red line into the communication clause (no such offers at the pilot stores'
checkouts, no use of Bright Start's name beside them), and Meadowgate says in a comment that the clause
is tight. The records show where that leaves them: Meadowgate's checkout KPI is off track, its fruit
for the tills is overdue, and the proposal to extend the pilot to every store waits for its vote.

Built through the services, as the two organisations' admins, so the history, the versions, the
signatures and the records are what the pages would have made. Dates are relative to the day the
demo is loaded. No email goes out while it loads (``mail_muted``); the daily job sends what is due.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.web.accounts.typing import User
from commonground.web.agreements import decision_services, record_services, services
from commonground.web.agreements.models import Agreement
from commonground.web.mail import mail_muted
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import partnership_access_for

CHARITY, SHOP = "bright-start-child-health-trust", "meadowgate-supermarkets"
CHECKOUT_CLAUSE = (
    "In the twelve pilot stores, Meadowgate runs no multi-buy or price promotion of confectionery, "
    "sugary drinks or high-sugar, high-fat snacks at the checkouts or on the aisle ends beside them. "
    "Bright Start's name and logo appear only on voucher and healthy-checkout material it has approved "
    "in writing, and never next to a promotion of such products."
)
TIGHT = (
    "This clause is tight for us: checkout offers on snacks and soft drinks bring a good share of our "
    "footfall. We accept it in the twelve pilot stores; before any wider roll-out we want to see what it "
    "did to sales there."
)


PARTNERS = [
    {
        "id": CHARITY,
        "name": "Bright Start Child Health Trust",
        "representatives": [{"name": "demo-bright-start", "role": "Director of programmes"}],
        "contribution": (
            "Our clinics and health visitors, who give the vouchers to the families who need them most, "
            "and the evidence on what children eat."
        ),
    },
    {
        "id": SHOP,
        "name": "Meadowgate Supermarkets",
        "representatives": [{"name": "demo-meadowgate", "role": "Head of community"}],
        "contribution": (
            "The fruit and vegetables behind every voucher, checkout space in twelve stores, and the "
            "sales data to see what changes."
        ),
    },
]
# id, by, to, kind, description, value, due (days from today)
COMMITMENTS = (
    ("voucher-fund", SHOP, "partnership", "money", "Fund fruit and vegetable vouchers for the first year",
     20000, -120),
    ("clinic-staff", CHARITY, "partnership", "staff_time",
     "Health visitors give out vouchers at six clinics, one day a week", 8000, -30),
    ("till-fruit", SHOP, CHARITY, "in_kind", "Fresh fruit at every till of the twelve pilot stores",
     6000, -21),
    ("evaluation", CHARITY, "partnership", "deliverable",
     "A first-year evaluation of the vouchers and the healthy checkouts", None, 150),
)  # fmt: skip
# id, name, category, unit, reporting partner, frequency, baseline, target (a year on, from 180 days ago)
KPIS = (
    ("families", "Families using fruit vouchers", "social", "families", CHARITY, "monthly", 0, 600),
    ("checkout-space", "Checkout space with healthy options", "social", "% of checkout shelf space", SHOP,
     "monthly", 10, 60),
    ("trust", "Trust between the partners", "relationship", "points of 5", None, "quarterly", 3, 4),
)  # fmt: skip


def _day(today: datetime.date, n: int) -> str:
    return (today + datetime.timedelta(days=n)).isoformat()


def _how(draft: dict[str, Any], today: datetime.date) -> dict[str, Any]:
    ladder = [("leads", 14), ("senior_leaders", 30), ("mediation", 60), ("arbitration_or_exit", 90)]
    return {
        **draft,
        "status": "partially",
        "governance": {
            "status": "fully", "body": "Steering group", "members": ["demo-bright-start", "demo-meadowgate"],
            "meets": "monthly",
        },
        "decisions": {"status": "fully", "rule": {"kind": "consensus"}},
        "checkins": {"status": "fully", "frequency": "monthly", "first": _day(today, -150)},
        "communication": {"status": "fully", "text": CHECKOUT_CLAUSE},
        "confidentiality": {
            "status": "partially",
            "text": "Store sales data is shared with Bright Start for the evaluation only.",
        },
        "review": {"status": "fully", "date": _day(today, 185)},
        "dispute_resolution": {"status": "fully", "ladder": [{"step": s, "days": n} for s, n in ladder]},
        "exit": {"status": "partially", "notice_days": 90},
    }  # fmt: skip


def _terms(draft: dict[str, Any], today: datetime.date) -> AgreementDocument:
    """The draft from the assessment, completed as the partners agreed it."""
    commitments = [
        {"id": id_, "by": by, "to": to, "kind": kind, "description": text, "value": value,
         "due": _day(today, due)}
        for id_, by, to, kind, text, value, due in COMMITMENTS
    ]  # fmt: skip
    kpis = [
        {"id": id_, "name": name, "category": category, "unit": unit, "owner": owner, "frequency": frequency,
         "baseline": {"value": baseline, "date": _day(today, -180)},
         "targets": [{"value": target, "date": _day(today, 185)}]}
        for id_, name, category, unit, owner, frequency, baseline, target in KPIS
    ]  # fmt: skip
    why = {
        "status": "fully",
        "shared_vision": "Families in Eastvale find healthy food the easy choice, in the clinic and at the "
        "till.",
        "joint_mission": "Fruit vouchers through child-health clinics, and healthy checkouts in the stores "
        "nearest to them.",
    }
    sugar = "No sponsorship or funding from makers of sugary drinks"
    where = (
        "how.communication: no such offers at the pilot checkouts, and Bright Start's name never beside them"
    )
    document = {
        **draft,
        "who": {**draft["who"], "status": "fully", "partners": PARTNERS},
        "why": {**draft["why"], **why},
        "what": {**draft["what"], "status": "fully", "commitments": commitments, "kpis": kpis},
        "how": _how(draft["how"], today),
        # The charity's red line is settled by the communication clause (which Meadowgate finds tight).
        "open_items": [
            {**item, "resolved": True, "where": where} if item["text"].startswith(sugar) else item
            for item in draft["open_items"]
        ],
    }
    return AgreementDocument.model_validate(document)


def demo_agreement_load(*, partnership: Partnership, charity_admin: User, shop_admin: User) -> Agreement:
    """Write, sign and fill the demo partnership's agreement (see the module's docstring)."""
    today = timezone.localdate()
    charity = partnership_access_for(user=charity_admin, partnership_id=partnership.pk)
    shop = partnership_access_for(user=shop_admin, partnership_id=partnership.pk)
    with mail_muted():
        agreement = services.agreement_start(access=charity, user=charity_admin)
        services.agreement_document_replace(
            access=charity, agreement=agreement, document=_terms(agreement.document, today),
            expected_version=agreement.version, user=charity_admin,
            comment="Wrote the terms agreed at the steering group",
        )  # fmt: skip
        services.agreement_comment_add(
            access=shop, agreement=agreement, part_key="how", text=TIGHT, user=shop_admin
        )
        for admin, access, organisation_id in (
            (charity_admin, charity, agreement.partner_organisations[CHARITY]),
            (shop_admin, shop, agreement.partner_organisations[SHOP]),
        ):
            services.agreement_sign(
                access=access, agreement=agreement, organisation_id=int(organisation_id),
                version=agreement.version, user=admin,
            )  # fmt: skip
        _records(agreement, today, charity=(charity, charity_admin), shop=(shop, shop_admin))
    agreement.refresh_from_db()
    return agreement


def _records(agreement: Agreement, today: datetime.date, *, charity: Any, shop: Any) -> None:
    """Half a year of deliveries, readings and decisions, each entered by the partner who may."""

    def day(n: int) -> datetime.date:
        return today + datetime.timedelta(days=n)

    for (access, user), commitment, n, value, met, note in (
        (shop, "voucher-fund", -125, 20000, True, "Paid into the voucher account."),
        (charity, "clinic-staff", -35, 8000, True, "Six clinics, every week since the start."),
        (shop, "till-fruit", -40, 2500, False, "Fruit at the tills of five of the twelve stores."),
    ):
        record_services.delivery_add(
            access=access, agreement=agreement, commitment_id=commitment, date=day(n), value=value,
            note=note, met_in_full=met, user=user,
        )  # fmt: skip
    readings: dict[tuple[Any, str], tuple[tuple[int, float], ...]] = {
        (charity, "families"): ((-150, 45), (-120, 95), (-90, 160), (-60, 230), (-30, 290)),
        (shop, "checkout-space"): ((-150, 12), (-120, 14), (-90, 15), (-60, 17), (-30, 18)),
        (charity, "trust"): ((-90, 3.4),),
    }
    for ((access, user), kpi_id), points in readings.items():
        for n, reading in points:
            record_services.measurement_add(
                access=access, agreement=agreement, kpi_id=kpi_id, date=day(n), value=reading, note="",
                evidence="", user=user,
            )  # fmt: skip
    _decisions(agreement, today, charity=charity, shop=shop)


def _decisions(agreement: Agreement, today: datetime.date, *, charity: Any, shop: Any) -> None:
    """A proposal both partners agreed, with its outcome in the log, and one still waiting for a vote."""
    (charity_access, charity_admin), (shop_access, shop_admin) = charity, shop
    decided = decision_services.decision_propose(
        access=shop_access, agreement=agreement, partner_id=SHOP, title="Add a water fountain at each "
        "pilot store", proposal="Free drinking water by the tills, paid by Meadowgate, kept by the stores.",
        closes=today + datetime.timedelta(days=7), rule=None, user=shop_admin,
    )  # fmt: skip
    for access, user, partner in ((charity_access, charity_admin, CHARITY), (shop_access, shop_admin, SHOP)):
        decision_services.vote_cast(
            access=access, agreement=agreement, decision=decided, partner_id=partner, position="yes",
            reason="", user=user,
        )  # fmt: skip
    decision_services.decision_outcome_record(
        access=charity_access, agreement=agreement, decision=decided,
        outcome="Meadowgate installs a water fountain by the tills of each pilot store this quarter; "
        "Bright Start's health visitors tell families about them.",
        review_date=today + datetime.timedelta(days=90), user=charity_admin,
    )  # fmt: skip
    extend = decision_services.decision_propose(
        access=charity_access, agreement=agreement, partner_id=CHARITY,
        title="Extend healthy checkouts to all 40 stores",
        proposal="The pilot stores show families use the fruit at the tills: extend the checkout clause "
        "to every Meadowgate store in Eastvale from next quarter.",
        closes=today + datetime.timedelta(days=14), rule=None, user=charity_admin,
    )  # fmt: skip
    decision_services.vote_cast(
        access=charity_access, agreement=agreement, decision=extend, partner_id=CHARITY, position="yes",
        reason="", user=charity_admin,
    )  # fmt: skip
