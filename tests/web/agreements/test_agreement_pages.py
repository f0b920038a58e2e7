"""The agreement page: starting it, reading each part in words, editing a part, versions, diff, download."""

from __future__ import annotations

from typing import Any

import yaml
from django.test import Client
from django.urls import reverse

from commonground.core.agreement.loading import parse_agreement
from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.web.agreements.models import Agreement, AgreementRevision
from commonground.web.agreements.sections import PARTS
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.partnerships.models import Partnership


def _url(name: str, partnership: Partnership, **kwargs: Any) -> str:
    return reverse(f"agreements:{name}", kwargs={"pk": partnership.pk, **kwargs})


def _start(client: Client, partnership: Partnership) -> Agreement:
    response = client.post(_url("start", partnership))
    assert response.status_code == 302
    return Agreement.objects.get(partnership=partnership)


def _edit_form(client: Client, partnership: Partnership, part: str) -> dict[str, Any]:
    """The part's form as the page fills it in (initial values and the version)."""
    form = client.get(_url("part_edit", partnership, part_key=part)).context["form"]
    return {name: form.initial.get(name, field.initial) for name, field in form.fields.items()} | {
        key: "" for key, value in form.initial.items() if value is None
    }


def test_the_partnership_page_offers_to_start_and_without_assessment_it_is_who_only(
    member_client: Client, partnership: Partnership
) -> None:
    page = member_client.get(reverse("partnerships:detail", kwargs={"pk": partnership.pk})).content.decode()
    assert "Start the agreement" in page
    agreement = _start(member_client, partnership)
    document = AgreementDocument.model_validate(agreement.document)
    assert [p.name for p in document.who.partners] == ["Harbor Health Alliance", "Meadow Grocers"]
    assert document.state == "draft"
    page = member_client.get(_url("detail", partnership)).content.decode()
    assert "Started without an assessment: only WHO is filled in." in page
    assert "Version 1" in page
    # Starting twice gives the one agreement.
    member_client.post(_url("start", partnership))
    assert Agreement.objects.filter(partnership=partnership).count() == 1


def test_an_agreement_started_after_an_assessment_names_it(
    member_client: Client, partnership: Partnership, engine_result: dict[str, Any]
) -> None:
    AssessmentSnapshot.objects.create(
        partnership=partnership, result=engine_result, score=50, verdict="workable", open_conflicts=1
    )
    agreement = _start(member_client, partnership)
    assert agreement.assessment is not None
    page = member_client.get(_url("detail", partnership)).content.decode()
    assert "Started without an assessment" not in page
    # The draft carries every red line as an open item, and the shared values as principles.
    assert "Red line</strong> (Harbor Health Alliance): No funding from the tobacco industry" in page
    assert "Openness" in page


def test_a_viewer_reads_but_sees_no_edit_or_start_controls(
    member_client: Client, viewer_client: Client, partnership: Partnership
) -> None:
    assert "Start the agreement" not in viewer_client.get(_url("detail", partnership)).content.decode()
    _start(member_client, partnership)
    page = viewer_client.get(_url("detail", partnership)).content.decode()
    assert "Harbor Health Alliance" in page
    assert "Edit<span" not in page
    assert "Sign version" not in page
    assert viewer_client.get(_url("part_edit", partnership, part_key="why")).status_code == 403


def test_editing_why_shows_it_in_words_with_its_status_and_makes_version_2(
    member_client: Client, partnership: Partnership, member: Any
) -> None:
    _start(member_client, partnership)
    data = _edit_form(member_client, partnership, "why")
    data |= {
        "status": "partially",
        "shared_vision": "Every child eats a healthy lunch.",
        "box": "shared_objectives:\n- text: Fruit at every till\n  sdgs: [3]\n"
        "principles:\n- text: Openness\n",
    }
    response = member_client.post(_url("part_edit", partnership, part_key="why"), data)
    assert response.status_code == 302, response.context["form"].errors
    agreement = Agreement.objects.get(partnership=partnership)
    assert agreement.version == 2
    page = member_client.get(_url("detail", partnership)).content.decode()
    assert "Every child eats a healthy lunch." in page
    assert "Fruit at every till" in page
    assert '<span class="verdict verdict-workable">Partially in place</span>' in page
    assert "shared_objectives" not in page  # read as words, not as YAML
    versions = member_client.get(_url("versions", partnership)).content.decode()
    assert "Edited the agreement: Why: vision, objectives and principles" in versions
    assert list(AgreementRevision.objects.values_list("number", flat=True)) == [2, 1]
    diff = member_client.get(_url("diff", partnership), {"old": 1, "new": 2}).content.decode()
    assert "<code>+   shared_vision: Every child eats a healthy lunch.</code>" in diff


def test_bad_yaml_in_a_part_is_named_with_its_line_and_nothing_is_saved(
    member_client: Client, partnership: Partnership
) -> None:
    _start(member_client, partnership)
    data = _edit_form(member_client, partnership, "why") | {
        "box": "shared_objectives:\n- text: Fine\n- text: ''\n  sdgs: [42]\n"
    }
    response = member_client.post(_url("part_edit", partnership, part_key="why"), data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["box"])
    assert "line 3: shared_objectives[1].text: must not be empty" in errors
    assert "line 4: shared_objectives[1].sdgs[0]" in errors
    unknown = data | {"box": "partner_objectives:\n- partner: harbour\n  text: Reach parents\n"}
    response = member_client.post(_url("part_edit", partnership, part_key="why"), unknown)
    assert "line 2: partner_objectives[0].partner: unknown partner" in " ".join(
        response.context["form"].errors["box"]
    )
    broken = data | {"box": "shared_objectives: [\n"}
    errors = response = member_client.post(_url("part_edit", partnership, part_key="why"), broken)
    assert "YAML syntax error" in " ".join(response.context["form"].errors["box"])
    assert Agreement.objects.get(partnership=partnership).version == 1
    assert AgreementRevision.objects.count() == 1


def test_a_date_field_that_is_not_a_date_is_named_on_its_field(
    member_client: Client, partnership: Partnership
) -> None:
    _start(member_client, partnership)
    data = _edit_form(member_client, partnership, "how") | {"review_date": "tomorrow"}
    response = member_client.post(_url("part_edit", partnership, part_key="how"), data)
    assert response.status_code == 200
    assert "review.date" in " ".join(response.context["form"].errors["review_date"])
    data |= {"review_date": "2027-06-30", "review_status": "fully", "exit_notice_days": "90"}
    assert member_client.post(_url("part_edit", partnership, part_key="how"), data).status_code == 302
    page = member_client.get(_url("detail", partnership)).content.decode()
    assert "Next review on 2027-06-30" in page
    assert "90 days' notice." in page


def test_partner_ids_stay_as_they_are(member_client: Client, partnership: Partnership) -> None:
    _start(member_client, partnership)
    data = _edit_form(member_client, partnership, "who")
    data["box"] = data["box"].replace("id: meadow-grocers", "id: someone-else")
    response = member_client.post(_url("part_edit", partnership, part_key="who"), data)
    assert response.status_code == 200
    assert "keep each partner" in str(response.context["form"].non_field_errors())


def test_hostile_text_is_shown_as_text(member_client: Client, partnership: Partnership) -> None:
    _start(member_client, partnership)
    hostile = "<script>alert(1)</script>"
    data = _edit_form(member_client, partnership, "why") | {
        "shared_vision": hostile,
        "box": f"principles:\n- text: '{hostile}'\n",
    }
    assert member_client.post(_url("part_edit", partnership, part_key="why"), data).status_code == 302
    member_client.post(_url("comment", partnership), {"section": "why", "text": hostile})
    for page in (
        member_client.get(_url("detail", partnership)),
        member_client.get(_url("diff", partnership), {"old": 1, "new": 2}),
    ):
        text = page.content.decode()
        assert hostile not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_the_download_reads_back_as_the_same_agreement(
    member_client: Client, partnership: Partnership
) -> None:
    _start(member_client, partnership)
    data = _edit_form(member_client, partnership, "how")
    data |= {"review_date": "2027-06-30", "exit_notice_days": "30"}
    member_client.post(_url("part_edit", partnership, part_key="how"), data)
    response = member_client.get(_url("download", partnership))
    assert response["Content-Disposition"] == 'attachment; filename="agreement-healthy-lunches-v2.yaml"'
    text = response.content.decode()
    assert text.startswith("# DRAFT partnership agreement")
    stored = AgreementDocument.model_validate(Agreement.objects.get(partnership=partnership).document)
    assert parse_agreement(text, source="agreement.yaml") == stored
    assert AgreementDocument.model_validate(yaml.safe_load(text)) == stored


def test_every_part_form_saves_unchanged_as_loaded(member_client: Client, partnership: Partnership) -> None:
    _start(member_client, partnership)
    before = Agreement.objects.get(partnership=partnership).document
    for part in PARTS:
        data = _edit_form(member_client, partnership, part)
        response = member_client.post(_url("part_edit", partnership, part_key=part), data)
        assert response.status_code == 302, (part, response.context["form"].errors)
    assert Agreement.objects.get(partnership=partnership).document == before
    # Saved as loaded: nothing changed, so no new version (a signed agreement would stay signed).
    assert Agreement.objects.get(partnership=partnership).version == 1
    assert AgreementRevision.objects.filter(agreement__partnership=partnership).count() == 1
    page = member_client.get(_url("detail", partnership)).content.decode()
    assert "Nothing changed in" in page


def test_the_agreement_page_costs_a_fixed_number_of_queries(
    member_client: Client,
    partner_admin_client: Client,
    partnership: Partnership,
    django_assert_num_queries: Any,
) -> None:
    _start(member_client, partnership)
    partner_admin_client.post(_url("sign", partnership), {"organisation": _meadow(partnership), "version": 1})
    for text in ("First.", "Second.", "Third."):
        member_client.post(_url("comment", partnership), {"section": "why", "text": text})
    # Session and user, the partnership and the user's roles in it, the agreement, its records (readings,
    # deliveries, decisions; their votes only when there are decisions), the active partners, the
    # signatures, the comments, and the site menu's organisations.
    with django_assert_num_queries(12):
        page = member_client.get(_url("detail", partnership)).content.decode()
    assert "Third." in page
    # Read again, the read-only sections come from the cache: the records are not read. Comments are
    # read on every visit (one added changes nothing else), so the newest shows at once.
    member_client.post(_url("comment", partnership), {"section": "why", "text": "Fourth."})
    with django_assert_num_queries(9):
        page = member_client.get(_url("detail", partnership)).content.decode()
    assert "Fourth." in page


def _meadow(partnership: Partnership) -> int:
    return int(partnership.members.get(organisation__name="Meadow Grocers").organisation_id)


def test_a_stale_part_form_says_who_changed_what_and_keeps_the_text_typed(
    member_client: Client, partner_admin_client: Client, partnership: Partnership
) -> None:
    _start(member_client, partnership)
    mine = _edit_form(member_client, partnership, "why") | {"shared_vision": "Mine, typed at length."}
    theirs = _edit_form(partner_admin_client, partnership, "why") | {"shared_vision": "Theirs."}
    assert (
        partner_admin_client.post(_url("part_edit", partnership, part_key="why"), theirs).status_code == 302
    )
    response = member_client.post(_url("part_edit", partnership, part_key="why"), mine)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This agreement was changed by paul-partner-admin meanwhile (it is now at version 2)." in page
    assert "Mine, typed at length." in page  # nothing typed is lost
    assert "<code>+   shared_vision: Theirs.</code>" in page  # what they changed
    agreement = Agreement.objects.get(partnership=partnership)
    assert (agreement.version, agreement.document["why"]["shared_vision"]) == (2, "Theirs.")
    # The form now carries version 2: saving again (after merging) goes through.
    assert response.context["form"]["version"].value() == "2"
