"""Sign-off: each partner signs the version in force through an admin or owner; a change reopens it."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from commonground.web.agreements import selectors, services
from commonground.web.agreements.models import Agreement, AgreementRevision, Comment, Signature
from commonground.web.agreements.sections import PARTS
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import partnership_access_for
from commonground.web.records import StaleEditError


def _url(name: str, partnership: Partnership) -> str:
    return reverse(f"agreements:{name}", kwargs={"pk": partnership.pk})


def _sign(client: Client, partnership: Partnership, organisation: Organisation, version: int) -> str:
    response = client.post(_url("sign", partnership), {"organisation": organisation.pk, "version": version})
    assert response.status_code == 302
    return client.get(_url("detail", partnership)).content.decode()


def _edit_vision(client: Client, partnership: Partnership, vision: str, version: int) -> None:
    agreement = Agreement.objects.get(partnership=partnership)
    initial = PARTS["why"].initial(agreement.document)
    data = {**initial, "shared_vision": vision, "version": version}
    assert client.post(
        reverse("agreements:part_edit", kwargs={"pk": partnership.pk, "part_key": "why"}), data
    )


@pytest.fixture
def started(org_admin_client: Client, partnership: Partnership) -> Agreement:
    """The agreement, started by Harbor's admin (version 1)."""
    org_admin_client.post(_url("start", partnership))
    return Agreement.objects.get(partnership=partnership)


def test_both_partners_sign_and_the_agreement_is_agreed_then_a_change_reopens_sign_off(
    started: Agreement,
    partnership: Partnership,
    org_admin_client: Client,
    partner_admin_client: Client,
    organisation: Organisation,
    partner_organisation: Organisation,
) -> None:
    page = _sign(org_admin_client, partnership, organisation, 1)
    assert "Signed by adam-admin on" in page
    assert "Sign version 1 for Harbor Health Alliance" not in page
    assert '<span class="verdict verdict-none">Draft</span>' in page
    page = _sign(partner_admin_client, partnership, partner_organisation, 1)
    assert "Every partner has signed version 1: the agreement is agreed." in page
    started.refresh_from_db()
    assert (started.document["state"], started.version) == ("agreed", 1)

    _edit_vision(org_admin_client, partnership, "Healthy food for every child.", 1)
    started.refresh_from_db()
    assert (started.document["state"], started.version) == ("draft", 2)
    page = partner_admin_client.get(_url("detail", partnership)).content.decode()
    assert "Changed since Harbor Health Alliance signed version 1: its sign-off is open again." in page
    assert "Changed since Meadow Grocers signed version 1" in page
    assert "Sign version 2 for Meadow Grocers" in page
    assert "Not yet (signed version 1)" in page


def test_signing_an_outdated_version_is_refused_and_nothing_is_signed(
    started: Agreement,
    partnership: Partnership,
    org_admin_client: Client,
    partner_admin_client: Client,
    partner_organisation: Organisation,
) -> None:
    _edit_vision(org_admin_client, partnership, "Changed after Meadow read it.", 1)
    response = partner_admin_client.post(
        _url("sign", partnership), {"organisation": partner_organisation.pk, "version": 1}, follow=True
    )
    page = response.content.decode()
    assert (
        "You signed version 1, but adam-admin changed the agreement meanwhile: version 2 is now in force."
        in page
    )
    assert not Signature.objects.exists()


def test_no_one_signs_for_an_organisation_that_is_not_theirs_or_twice(
    started: Agreement,
    partnership: Partnership,
    org_admin: Any,
    partner_admin: Any,
    organisation: Organisation,
    partner_organisation: Organisation,
) -> None:
    access = partnership_access_for(user=org_admin, partnership_id=partnership.pk)
    with pytest.raises(services.AgreementError, match="Only an admin or owner of that partner"):
        services.agreement_sign(
            access=access,
            agreement=started,
            organisation_id=partner_organisation.pk,
            version=1,
            user=org_admin,
        )
    services.agreement_sign(
        access=access, agreement=started, organisation_id=organisation.pk, version=1, user=org_admin
    )
    with pytest.raises(services.AgreementError, match="has already signed version 1"):
        services.agreement_sign(
            access=access, agreement=started, organisation_id=organisation.pk, version=1, user=org_admin
        )
    assert Signature.objects.count() == 1


def test_a_facilitator_comments_but_cannot_sign(
    started: Agreement,
    partnership: Partnership,
    facilitator: Any,
    facilitator_client: Client,
    organisation: Organisation,
) -> None:
    page = facilitator_client.get(_url("detail", partnership)).content.decode()
    assert "Sign version" not in page
    assert "As facilitator you can comment on each part; only the partners sign." in page
    response = facilitator_client.post(
        _url("sign", partnership), {"organisation": organisation.pk, "version": 1}
    )
    assert response.status_code == 403
    facilitator_client.post(_url("comment", partnership), {"section": "how", "text": "Add a dispute ladder."})
    assert Comment.objects.get().as_facilitator
    page = facilitator_client.get(_url("detail", partnership)).content.decode()
    assert "fay-facilitator (facilitator), on version 1" in page
    access = partnership_access_for(user=facilitator, partnership_id=partnership.pk)
    with pytest.raises(services.AgreementError):
        services.agreement_sign(
            access=access, agreement=started, organisation_id=organisation.pk, version=1, user=facilitator
        )
    assert not Signature.objects.exists()


def test_each_partner_states_its_own_contribution_and_only_its_own(
    started: Agreement, partnership: Partnership, member_client: Client, member: Any
) -> None:
    harbor, meadow = (
        started.document["who"]["partners"][0]["id"],
        started.document["who"]["partners"][1]["id"],
    )
    page = member_client.get(_url("detail", partnership)).content.decode()
    assert "What Harbor Health Alliance brings, in its own words" in page
    assert "What Meadow Grocers brings" not in page
    member_client.post(
        _url("contribution", partnership),
        {"partner": harbor, "contribution": "Nutritionists, two days a week.", "version": 1},
    )
    response = member_client.post(
        _url("contribution", partnership),
        {"partner": meadow, "contribution": "Written for them.", "version": 2},
        follow=True,
    )
    assert "Only that partner&#x27;s members can state its contribution" in response.content.decode()
    page = member_client.get(_url("detail", partnership)).content.decode()
    assert "In its own words: Nutritionists, two days a week." in page
    assert "Written for them." not in page


def test_the_who_part_cannot_rewrite_another_partners_contribution(
    started: Agreement, partnership: Partnership, member: Any
) -> None:
    access = partnership_access_for(user=member, partnership_id=partnership.pk)
    who = PARTS["who"]
    current = started.document

    def saved_with(contributions: list[str | None]) -> None:
        partners = [
            p | {"contribution": c} for p, c in zip(current["who"]["partners"], contributions, strict=True)
        ]
        merged = who.content(current) | {"partners": partners}
        services.agreement_part_update(
            access=access, agreement=started, part_key="who", merged=merged,
            expected_version=Agreement.objects.get(pk=started.pk).version, user=member,
        )  # fmt: skip

    saved_with(["Nutritionists, two days a week.", None])  # its own partner's: allowed
    with pytest.raises(
        services.AgreementError, match="Only Meadow Grocers's members can change what it brings"
    ):
        saved_with(["Nutritionists, two days a week.", "Written for them."])
    stored = Agreement.objects.get(pk=started.pk).document["who"]["partners"]
    assert [p.get("contribution") for p in stored] == ["Nutritionists, two days a week.", None]


@pytest.mark.django_db(transaction=True)
def test_twenty_people_saving_one_part_from_one_version_one_wins_and_nineteen_are_told(
    make_user: Callable[..., Any], partnership: Partnership, organisation: Organisation, member: Any
) -> None:
    from commonground.web.access import Role
    from commonground.web.organisations.models import Membership

    agreement = services.agreement_start(
        access=partnership_access_for(user=member, partnership_id=partnership.pk), user=member
    )
    writers = [make_user(f"writer-{n:02d}") for n in range(20)]
    for writer in writers:
        Membership.objects.create(user=writer, organisation=organisation, role=Role.MEMBER)
    why = PARTS["why"]
    barrier = threading.Barrier(len(writers))
    outcomes: dict[int, str] = {}

    def write(n: int) -> None:
        try:
            access = partnership_access_for(user=writers[n], partnership_id=partnership.pk)
            merged, problems = why.merged(
                agreement.document, {"status": "partially", "shared_vision": f"V{n}"}
            )
            assert problems == []
            barrier.wait()
            services.agreement_part_update(
                access=access, agreement=agreement, part_key="why", merged=merged, expected_version=1,
                user=writers[n],
            )  # fmt: skip
            outcomes[n] = "won"
        except StaleEditError as exc:
            outcomes[n] = f"stale:{exc.changed_by}"
        except Exception as exc:  # anything else is a failure of the locking
            outcomes[n] = f"error:{exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(len(writers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    winners = [n for n, outcome in outcomes.items() if outcome == "won"]
    assert len(winners) == 1, outcomes
    winner = winners[0]
    assert sorted(outcomes.values()).count(f"stale:writer-{winner:02d}") == 19, outcomes
    agreement.refresh_from_db()
    assert (agreement.version, agreement.document["why"]["shared_vision"]) == (2, f"V{winner}")
    assert sorted(AgreementRevision.objects.values_list("number", flat=True)) == [1, 2]


@pytest.mark.parametrize("check", [selectors.may_sign, selectors.may_comment])
def test_who_may_sign_or_comment_is_asked_by_keyword_as_the_selectors_around_them(check: Any) -> None:
    # House style: selectors take keyword-only arguments (a positional organisation id is easily swapped).
    kinds = {p.name: p.kind for p in inspect.signature(check).parameters.values()}
    assert set(kinds.values()) == {inspect.Parameter.KEYWORD_ONLY}, kinds
