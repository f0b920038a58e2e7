"""The stakeholder register: merged partners' stakeholders, additions, re-ratings, policies, htmx rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from commonground.core.profiles import Profile
from commonground.web.access import Role
from commonground.web.organisations import services as org_services
from commonground.web.organisations.models import Membership, Organisation
from commonground.web.organisations.selectors import organisation_access
from commonground.web.partnerships import services as partnership_services
from commonground.web.partnerships.models import (
    Facilitator,
    FacilitatorState,
    MemberState,
    Partnership,
    PartnershipMember,
)
from commonground.web.stakeholders.models import RegisterEntry

BRIGHTSTART = {
    "name": "BrightStart Child Health",
    "kind": "nonprofit",
    "mission": "Give every child a healthy start.",
    "stakeholders": [
        {"name": "Families", "power": 4, "interest": 5, "urgency": True, "stance": "supportive"},
        {"name": "School boards", "power": 5, "interest": 2, "legitimacy": True},
    ],
}


@pytest.fixture
def partner(make_user: Any) -> Organisation:
    """The second partner organisation (its owner is not one of the personas)."""
    return org_services.organisation_create(
        user=make_user("bea-brightstart"), profile=Profile.model_validate(BRIGHTSTART)
    )


@pytest.fixture
def partnership(owner: Any, organisation: Organisation, partner: Organisation) -> Partnership:
    """Harbor Health Alliance and BrightStart, both active."""
    access = organisation_access(user=owner, slug=organisation.slug)
    partnership = partnership_services.partnership_create(
        org_access=access, name="Healthy Harbour Kids", description="", user=owner
    )
    PartnershipMember.objects.create(partnership=partnership, organisation=partner, state=MemberState.ACTIVE)
    return partnership


@pytest.fixture
def facilitator_client(make_user: Any, client_for: Any, partnership: Partnership) -> Client:
    """Signed in as the partnership's active facilitator."""
    user = make_user("fay-facilitator")
    Facilitator.objects.create(partnership=partnership, user=user, state=FacilitatorState.ACTIVE)
    return client_for(user)


def url(name: str, partnership: Partnership, **kwargs: Any) -> str:
    return reverse(f"stakeholders:{name}", kwargs={"pk": partnership.pk, **kwargs})


def entry_data(**overrides: Any) -> dict[str, Any]:
    data = {"name": "Local clinics", "power": "3", "interest": "4", "stance": "supportive", "notes": "",
            "version": "0"}  # fmt: skip
    return data | overrides


def add(client: Client, partnership: Partnership, **overrides: Any) -> Any:
    return client.post(url("entry_new", partnership), entry_data(**overrides))


HX = {"HTTP_HX_REQUEST": "true"}


def test_register_merges_both_partners_stakeholders(member_client: Client, partnership: Partnership) -> None:
    response = member_client.get(url("register", partnership))
    assert response.status_code == 200
    register = response.context["register"]
    by_name = {row.view.name: row for row in register.rows}
    # "Parents" (Harbor) and "Families" (BrightStart) are near-synonyms: one row named by both.
    # Partners are merged in name order, so BrightStart's word comes first.
    merged = by_name["Families / Parents"]
    assert merged.named_by == ("BrightStart Child Health", "Harbor Health Alliance")
    assert merged.view.power == 3.0
    assert merged.view.interest == 5.0
    assert merged.view.quadrant == "keep_informed"
    assert merged.view.salience_class == "dependent"  # legitimacy (Harbor) + urgency (BrightStart)
    assert by_name["School boards"].named_by == ("BrightStart Child Health",)
    assert by_name["School boards"].view.salience_class == "dominant"
    page = response.content.decode()
    assert "<svg" in page
    assert "cg-power-interest" in page
    assert "Keep informed" in page
    assert "Dependent" in page
    assert "Dominant" in page
    assert "BrightStart Child Health, Harbor Health Alliance" in page


def test_member_adds_edits_and_removes_an_entry_recorded_in_history(
    member_client: Client, member: Any, partnership: Partnership
) -> None:
    response = add(member_client, partnership)
    assert response.status_code == 302
    entry = RegisterEntry.objects.get()
    assert (entry.name, entry.power, entry.interest, entry.added_by) == ("Local clinics", 3, 4, member)
    rows = member_client.get(url("register", partnership)).context["register"].rows
    assert any(row.view.name == "Local clinics" and row.view.quadrant == "keep_informed" for row in rows)

    edit = url("entry_edit", partnership, entry_id=entry.pk)
    response = member_client.post(edit, entry_data(power="5", version=str(entry.version)))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.power, entry.version) == (5, 2)

    comments = [
        v.revision.comment for v in Version.objects.get_for_object(partnership).select_related("revision")
    ]
    assert any("added Local clinics" in c for c in comments)
    assert any("changed Local clinics: power 3 → 5" in c for c in comments)
    history = Version.objects.get_for_object(partnership).select_related("revision__user").first()
    assert history is not None
    assert history.revision.user == member

    response = member_client.post(url("entry_delete", partnership, entry_id=entry.pk), {"version": "2"})
    assert response.status_code == 302
    assert not RegisterEntry.objects.exists()
    assert "removed Local clinics" in Version.objects.get_for_object(partnership).first().revision.comment


def test_member_re_rates_a_partners_stakeholder_for_the_partnership_only(
    member_client: Client, partnership: Partnership, partner: Organisation
) -> None:
    edit = url("partner_edit", partnership) + "?name=School+boards"
    response = member_client.post(
        edit, entry_data(name="ignored", power="2", interest="5", version="0"), **HX
    )
    assert response.status_code == 200
    entry = RegisterEntry.objects.get()
    assert (entry.name, entry.merged_name, entry.power) == ("School boards", "School boards", 2)
    row = response.content.decode()
    assert row.lstrip().startswith("<tr")
    assert "Keep informed" in row
    assert "re-rated" in row
    partner.refresh_from_db()
    assert partner.get_profile().stakeholders[1].power == 5  # the partner's profile is untouched
    # A second re-rating from a form that started from no adjustment is stale.
    response = member_client.post(edit, entry_data(power="4", version="0"), **HX)
    assert response.status_code == 409
    assert (
        "School boards was changed by mia-member meanwhile. Your changes were not saved: the current "
        "values are shown, apply your change again if it is still needed."
    ) in response.content.decode()
    # Resetting brings the partners' ratings back.
    response = member_client.post(url("entry_delete", partnership, entry_id=entry.pk), {"version": "1"}, **HX)
    assert response.status_code == 200
    assert "Keep satisfied" in response.content.decode()
    assert not RegisterEntry.objects.exists()


def test_htmx_row_edit_opens_a_form_and_saves_returning_the_row(
    member_client: Client, partnership: Partnership
) -> None:
    add(member_client, partnership)
    entry = RegisterEntry.objects.get()
    edit = url("entry_edit", partnership, entry_id=entry.pk)
    opened = member_client.get(edit, **HX)
    assert opened.status_code == 200
    body = opened.content.decode()
    assert body.lstrip().startswith("<tr")
    assert "<form" in body
    assert f'hx-post="{edit}"' in body
    assert "<html" not in body
    saved = member_client.post(edit, entry_data(interest="1", version="1"), **HX)
    assert saved.status_code == 200
    row = saved.content.decode()
    assert row.lstrip().startswith(f'<tr id="entry-{entry.pk}"')
    assert "<form" not in row
    assert "Monitor" in row
    # Invalid input comes back inline in the same row, nothing saved.
    bad = member_client.post(edit, entry_data(power="9", name="", version="2"), **HX)
    assert bad.status_code == 422
    assert "<tr" in bad.content.decode()
    assert "errorlist" in bad.content.decode()
    entry.refresh_from_db()
    assert (entry.interest, entry.power, entry.version) == (1, 3, 2)


def test_stale_edit_is_refused_and_names_who_changed_it(
    member_client: Client, owner_client: Client, owner: Any, partnership: Partnership
) -> None:
    add(member_client, partnership)
    entry = RegisterEntry.objects.get()
    edit = url("entry_edit", partnership, entry_id=entry.pk)
    assert owner_client.post(edit, entry_data(power="1", version="1")).status_code == 302
    response = member_client.post(edit, entry_data(power="5", version="1"), **HX)
    assert response.status_code == 409
    assert (
        f"{entry.name} was changed by olivia-owner meanwhile. Your changes were not saved: the current "
        "values are shown, apply your change again if it is still needed."
    ) in response.content.decode()
    entry.refresh_from_db()
    assert (entry.power, entry.version, entry.updated_by) == (1, 2, owner)
    # Deleting from a stale form is refused too.
    response = member_client.post(url("entry_delete", partnership, entry_id=entry.pk), {"version": "1"}, **HX)
    assert response.status_code == 409
    assert RegisterEntry.objects.filter(pk=entry.pk).exists()


def test_adding_a_name_already_in_the_register_is_refused_on_the_field(
    member_client: Client, partnership: Partnership
) -> None:
    response = add(member_client, partnership, name="families")
    assert response.status_code == 422
    assert "already in the register" in response.content.decode()
    assert not RegisterEntry.objects.exists()


def test_viewer_may_look_but_not_write(
    viewer_client: Client, member_client: Client, partnership: Partnership
) -> None:
    add(member_client, partnership)
    entry = RegisterEntry.objects.get()
    page = viewer_client.get(url("register", partnership))
    assert page.status_code == 200
    assert "Add a stakeholder" not in page.content.decode()
    assert "hx-get" not in page.content.decode()
    assert add(viewer_client, partnership, name="Nurses").status_code == 403
    edit = url("entry_edit", partnership, entry_id=entry.pk)
    assert viewer_client.get(edit).status_code == 403
    assert viewer_client.post(edit, entry_data(power="1", version="1")).status_code == 403
    assert (
        viewer_client.post(url("entry_delete", partnership, entry_id=entry.pk), {"version": "1"}).status_code
        == 403
    )
    partner_edit = url("partner_edit", partnership) + "?name=School+boards"
    assert viewer_client.post(partner_edit, entry_data(version="0")).status_code == 403
    entry.refresh_from_db()
    assert (RegisterEntry.objects.count(), entry.power, entry.version) == (1, 3, 1)


def test_outsider_gets_404_everywhere_and_changes_nothing(
    outsider_client: Client, member_client: Client, partnership: Partnership
) -> None:
    add(member_client, partnership)
    entry = RegisterEntry.objects.get()
    before = list(RegisterEntry.objects.values())
    versions = Version.objects.count()
    assert outsider_client.get(url("register", partnership)).status_code == 404
    assert add(outsider_client, partnership, name="Nurses").status_code == 404
    edit = url("entry_edit", partnership, entry_id=entry.pk)
    assert outsider_client.post(edit, entry_data(power="1", version="1")).status_code == 404
    assert (
        outsider_client.post(
            url("entry_delete", partnership, entry_id=entry.pk), {"version": "1"}
        ).status_code
        == 404
    )
    assert (
        outsider_client.post(
            url("partner_edit", partnership) + "?name=School+boards", entry_data()
        ).status_code
        == 404
    )
    assert list(RegisterEntry.objects.values()) == before
    assert Version.objects.count() == versions


def test_entry_of_another_partnership_is_404(
    member_client: Client, partnership: Partnership, owner: Any, organisation: Organisation
) -> None:
    other = partnership_services.partnership_create(
        org_access=organisation_access(user=owner, slug=organisation.slug),
        name="Other",
        description="",
        user=owner,
    )
    add(member_client, other, name="Elsewhere")
    entry = RegisterEntry.objects.get()
    edit = url("entry_edit", partnership, entry_id=entry.pk)
    assert member_client.post(edit, entry_data(power="1", version="1")).status_code == 404
    entry.refresh_from_db()
    assert entry.power == 3


def test_facilitator_views_but_cannot_edit(
    facilitator_client: Client, member_client: Client, partnership: Partnership
) -> None:
    add(member_client, partnership)
    entry = RegisterEntry.objects.get()
    page = facilitator_client.get(url("register", partnership))
    assert page.status_code == 200
    assert "Families / Parents" in page.content.decode()
    assert add(facilitator_client, partnership, name="Nurses").status_code == 403
    edit = url("entry_edit", partnership, entry_id=entry.pk)
    assert facilitator_client.post(edit, entry_data(power="1", version="1")).status_code == 403
    assert RegisterEntry.objects.count() == 1


def test_member_of_a_left_partner_loses_access(member_client: Client, partnership: Partnership) -> None:
    PartnershipMember.objects.filter(
        partnership=partnership, organisation__name="Harbor Health Alliance"
    ).update(state=MemberState.LEFT)
    assert member_client.get(url("register", partnership)).status_code == 404


def test_register_page_query_count_is_bounded(
    member_client: Client, partnership: Partnership, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(8):
        add(member_client, partnership, name=f"Group {n}", power=str(1 + n % 5))
    member_client.get(url("register", partnership))  # warm the embedding cache and the session
    with django_assert_max_num_queries(8):
        response = member_client.get(url("register", partnership))
    assert response.status_code == 200
    assert len(response.context["register"].rows) == 10  # 2 merged + 8 added


def test_non_htmx_edit_link_opens_the_row_in_the_page(
    member_client: Client, partnership: Partnership
) -> None:
    response = member_client.get(url("partner_edit", partnership) + "?name=School+boards")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" in page
    assert 'class="editing"' in page
    assert member_client.get(url("partner_edit", partnership) + "?name=Nobody").status_code == 404


def test_join_role_is_best_across_partner_organisations(
    viewer: Any, client_for: Any, partnership: Partnership, partner: Organisation
) -> None:
    Membership.objects.create(user=viewer, organisation=partner, role=Role.MEMBER)
    assert add(client_for(viewer), partnership, name="Nurses").status_code == 302


def test_history_restore_brings_back_a_deleted_entry_with_its_notes_for_managers_only(
    member_client: Client,
    org_admin_client: Client,
    viewer_client: Client,
    outsider_client: Client,
    partnership: Partnership,
) -> None:
    """Security review F9: the Restore the history page offers brings deleted register entries back."""
    add(member_client, partnership, name="Local press", notes="Weekly column, ask Dana")
    entry = RegisterEntry.objects.get()
    assert member_client.post(url("entry_delete", partnership, entry_id=entry.pk), {"version": "1"})
    assert not RegisterEntry.objects.exists()
    history = org_admin_client.get(reverse("partnerships:history", kwargs={"pk": partnership.pk}))
    page = history.content.decode()
    assert "Stakeholder register: removed Local press" in page
    before = next(v for v in history.context["versions"] if "added Local press" in v.revision.comment)
    restore = reverse("partnerships:restore", kwargs={"pk": partnership.pk, "version_id": before.pk})
    assert restore in page  # the page offers it

    assert viewer_client.post(restore).status_code == 403
    assert outsider_client.post(restore).status_code == 404
    assert not RegisterEntry.objects.exists()

    assert org_admin_client.post(restore).status_code == 302
    back = RegisterEntry.objects.get()
    assert (back.name, back.power, back.interest, back.notes) == (
        "Local press", 3, 4, "Weekly column, ask Dana"
    )  # fmt: skip
    register = member_client.get(url("register", partnership)).context["register"]
    assert any(row.view.name == "Local press" for row in register.rows)


def test_restoring_an_entry_whose_author_has_left_still_brings_it_back(
    member_client: Client, org_admin_client: Client, member: Any, partnership: Partnership
) -> None:
    add(member_client, partnership, name="Local press", notes="Weekly column")
    entry = RegisterEntry.objects.get()
    member_client.post(url("entry_delete", partnership, entry_id=entry.pk), {"version": "1"})
    history = org_admin_client.get(reverse("partnerships:history", kwargs={"pk": partnership.pk}))
    before = next(v for v in history.context["versions"] if "added Local press" in v.revision.comment)
    member.delete()  # the person who added it left, account and all
    restore = reverse("partnerships:restore", kwargs={"pk": partnership.pk, "version_id": before.pk})
    assert org_admin_client.post(restore).status_code == 302
    back = RegisterEntry.objects.get()
    assert (back.name, back.added_by) == ("Local press", None)
