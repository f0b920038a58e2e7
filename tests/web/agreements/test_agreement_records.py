"""Records beside the terms: KPI readings and deliveries entered on their pages never make a new version
or reopen sign-off; the agreement in force merges them; the part editor keeps them out of its box."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from agreement_terms import days, put_terms
from django.test import Client
from django.urls import reverse

from commonground.core.agreement.check import check_agreement
from commonground.web.agreements import services
from commonground.web.agreements.models import Agreement, AgreementRevision, Delivery, Measurement
from commonground.web.agreements.selectors import agreement_in_force
from commonground.web.organisations.models import Membership
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import partnership_access_for


def _url(name: str, partnership: Partnership, **kwargs: Any) -> str:
    return reverse(f"agreements:{name}", kwargs={"pk": partnership.pk, **kwargs})


@pytest.fixture
def agreement(partnership: Partnership, member: Any) -> Agreement:
    """The partnership's agreement with the default test terms (see ``agreement_terms``)."""
    started = services.agreement_start(
        access=partnership_access_for(user=member, partnership_id=partnership.pk), user=member
    )
    return put_terms(started)


def _sign_both(agreement: Agreement, *admins: Any) -> None:
    for admin in admins:
        # Each admin signs for the partner organisation it belongs to (jsonb keeps no key order).
        organisation_id = Membership.objects.get(
            user=admin, organisation_id__in=agreement.partner_organisations.values()
        ).organisation_id
        access = partnership_access_for(user=admin, partnership_id=agreement.partnership_id)
        services.agreement_sign(
            access=access, agreement=agreement, organisation_id=organisation_id, version=1, user=admin
        )


def test_a_reading_changes_the_kpi_status_but_not_the_version_or_the_signatures(
    member_client: Client, org_admin: Any, partner_admin: Any, agreement: Agreement, partnership: Partnership
) -> None:
    _sign_both(agreement, org_admin, partner_admin)
    assert (
        "Every partner has signed version 1"
        in member_client.get(_url("detail", partnership)).content.decode()
    )
    page = member_client.get(_url("kpi", partnership, kpi_id="meals")).content.decode()
    assert "No data" in page
    # Halfway along the line (day 100 of 200) 500 meals are expected; 200 is off track.
    response = member_client.post(
        _url("measurement_add", partnership, kpi_id="meals"),
        {"date": days(0), "value": "200", "note": "Term one", "evidence": "https://example.org/count"},
    )
    assert response.status_code == 302
    page = member_client.get(_url("kpi", partnership, kpi_id="meals")).content.decode()
    assert '<span class="verdict verdict-blocked">Off track</span>' in page
    assert '<a href="https://example.org/count" rel="nofollow noopener noreferrer">' in page
    member_client.post(
        _url("measurement_add", partnership, kpi_id="meals"), {"date": days(0), "value": "480"}
    )
    page = member_client.get(_url("kpis", partnership)).content.decode()
    assert '<span class="verdict verdict-aligned">On track</span>' in page
    agreement.refresh_from_db()
    assert agreement.version == 1
    # Signing and the readings made no new version.
    assert set(AgreementRevision.objects.filter(agreement=agreement).values_list("number", flat=True)) == {1}
    assert (
        "Every partner has signed version 1"
        in member_client.get(_url("detail", partnership)).content.decode()
    )
    # The check reads the agreement in force: the readings are in it.
    document = agreement_in_force(agreement)
    assert [m.value for m in document.what.kpis[0].measurements] == [200.0, 480.0]
    kpis = next(p for p in check_agreement(document, today=document.what.kpis[0].baseline.date).parts
                if p.name == "kpis")  # fmt: skip
    assert kpis.figures["counts"]["on_track"] == 1


def test_only_the_reporting_partner_enters_a_kpi_and_any_partner_a_joint_one(
    partner_admin_client: Client, agreement: Agreement, partnership: Partnership
) -> None:
    page = partner_admin_client.get(_url("kpi", partnership, kpi_id="meals")).content.decode()
    assert "Enter a reading" not in page
    assert "Readings of this KPI are entered by the members of Harbor Health Alliance." in page
    response = partner_admin_client.post(
        _url("measurement_add", partnership, kpi_id="meals"), {"date": days(0), "value": "5"}
    )
    assert response.status_code == 200
    assert "Only the members of Harbor Health Alliance enter readings" in response.content.decode()
    assert Measurement.objects.count() == 0
    # "trust" names no reporter: a joint KPI any partner's members enter.
    response = partner_admin_client.post(
        _url("measurement_add", partnership, kpi_id="trust"), {"date": days(0), "value": "3.5"}
    )
    assert response.status_code == 302
    assert Measurement.objects.get().entered_by_name == "paul-partner-admin"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"date": "", "value": "3"}, "date", "This field is required."),
        ({"date": "yesterday", "value": "3"}, "date", "Enter a valid date."),
        ({"date": days(0), "value": "lots"}, "value", "Enter a number."),
        ({"date": days(0), "value": "1e16"}, "value", "less than or equal to"),
        ({"date": days(3), "value": "3"}, "date", "cannot be dated in the future"),
        ({"date": days(-200), "value": "3"}, "date", "before the KPI's baseline"),
    ],
)
def test_a_bad_reading_is_named_on_its_field_and_nothing_is_saved(
    member_client: Client, agreement: Agreement, partnership: Partnership, data: dict[str, str], field: str,
    message: str,
) -> None:  # fmt: skip
    response = member_client.post(_url("measurement_add", partnership, kpi_id="meals"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Measurement.objects.count() == 0


def test_a_delivery_in_full_meets_an_overdue_commitment_and_the_page_lists_overdue_first(
    member_client: Client, partner_admin_client: Client, agreement: Agreement, partnership: Partnership
) -> None:
    page = member_client.get(_url("commitments", partnership)).content.decode()
    assert '<span class="verdict verdict-blocked">Overdue</span>' in page
    assert page.index("Harbor Health Alliance") < page.index("A cook two days a week") < page.index("Meadow")
    # "cook" is owed to the partnership: Meadow, which receives it too, may record it.
    response = partner_admin_client.post(
        _url("delivery_add", partnership, commitment_id="cook"),
        {"date": days(-1), "value": "5000", "note": "Cook hired", "met_in_full": "on"},
    )
    assert response.status_code == 302
    page = member_client.get(_url("commitments", partnership)).content.decode()
    assert '<span class="verdict verdict-blocked">Overdue</span>' not in page
    assert '<span class="verdict verdict-aligned">Met</span>' in page
    assert "Cook hired" in page
    agreement.refresh_from_db()
    assert agreement.version == 1
    document = agreement_in_force(agreement)
    assert document.what.commitments[0].met is True


def test_a_bad_delivery_is_named_on_its_field_and_nothing_is_saved(
    member_client: Client, agreement: Agreement, partnership: Partnership
) -> None:
    url = _url("delivery_add", partnership, commitment_id="cook")
    for data, field, message in (
        ({"date": days(0), "value": "-5"}, "value", "greater than or equal to 0"),
        ({"date": days(0)}, "value", "Say what was delivered"),
        ({"date": "31/02/2026", "value": "5"}, "date", "Enter a valid date."),
    ):
        response = member_client.post(url, data)
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors[field]), (
            data,
            response.context["form"].errors,
        )
    assert Delivery.objects.count() == 0
    assert member_client.get(_url("delivery_add", partnership, commitment_id="nope")).status_code == 404


def test_the_what_box_holds_no_records_and_refuses_them_naming_the_page(
    member_client: Client, agreement: Agreement, partnership: Partnership
) -> None:
    form = member_client.get(_url("part_edit", partnership, part_key="what")).context["form"]
    box = form.initial["box"]
    assert "measurements" not in box
    assert "fulfilment" not in box
    assert "met:" not in box
    typed = box.replace("  unit: meals\n", "  unit: meals\n  measurements:\n  - date: '2026-01-01'\n"
                        "    value: 3\n", 1)  # fmt: skip
    assert typed != box
    data = {"version": 1, "status": "not_in_place", "box": typed}
    response = member_client.post(_url("part_edit", partnership, part_key="what"), data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["box"])
    assert "kpis[0].measurements: not here: readings are entered on the KPIs page" in errors
    assert "line " in errors
    agreement.refresh_from_db()
    assert agreement.version == 1
    # The box as loaded saves: a change of terms, a new version.
    data["box"] = box
    assert member_client.post(_url("part_edit", partnership, part_key="what"), data).status_code == 302


def test_records_a_document_already_holds_stay_in_force_read_only_through_a_save(
    member_client: Client, agreement: Agreement, partnership: Partnership
) -> None:
    document = dict(agreement.document)
    kpi = {**document["what"]["kpis"][0], "measurements": [{"date": days(-50), "value": 100.0}]}
    document["what"] = {**document["what"], "kpis": [kpi, *document["what"]["kpis"][1:]]}
    Agreement.objects.filter(pk=agreement.pk).update(document=document)
    form = member_client.get(_url("part_edit", partnership, part_key="what")).context["form"]
    response = member_client.post(
        _url("part_edit", partnership, part_key="what"),
        {"version": 1, "status": "partially", "box": form.initial["box"]},
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.document["what"]["kpis"][0]["measurements"] == [
        {"date": days(-50), "value": 100.0, "note": None, "evidence": None}
    ]
    page = member_client.get(_url("kpi", partnership, kpi_id="meals")).content.decode()
    assert "in the agreement&#x27;s text" in page or "in the agreement's text" in page


def test_starting_from_a_draft_that_holds_records_moves_them_into_rows() -> None:
    from commonground.web.agreements.in_force import merged_document, split_records

    document = {
        "what": {"kpis": [{"id": "k", "measurements": [{"date": "2026-01-02", "value": 1}]}],
                 "commitments": [{"id": "c", "met": True, "fulfilment": []}]},
        "how": {"decisions": {"log": [{"id": "d", "title": "D"}]}},
    }  # fmt: skip
    terms, records = split_records(document, today=datetime.date(2026, 3, 1))
    assert terms["what"]["kpis"] == [{"id": "k", "measurements": []}]
    assert terms["what"]["commitments"] == [{"id": "c", "met": False, "fulfilment": []}]
    assert terms["how"]["decisions"]["log"] == []
    assert records.measurements == [("k", {"date": "2026-01-02", "value": 1})]
    assert records.deliveries[0][1]["met_in_full"] is True
    assert records.deliveries[0][1]["date"] == "2026-03-01"
    merged = merged_document(terms, records)
    assert merged["what"]["commitments"][0]["met"] is True
    assert merged["how"]["decisions"]["log"] == [{"id": "d", "title": "D"}]


@pytest.mark.parametrize("name", ["roles", "commitments", "kpis", "equity", "decisions"])
def test_each_tab_costs_a_fixed_number_of_queries_however_many_records(
    name: str, member_client: Client, agreement: Agreement, partnership: Partnership, member: Any,
    django_assert_num_queries: Any,
) -> None:  # fmt: skip
    from commonground.web.agreements.models import Decision, Vote

    def add(n: int) -> None:
        for i in range(n):
            Measurement.objects.create(agreement=agreement, kpi_id="meals", date=days(-i), value=i,
                                       entered_by_name="m")  # fmt: skip
            Delivery.objects.create(agreement=agreement, commitment_id="cook", date=days(-i), value=1,
                                    entered_by_name="m")  # fmt: skip
            decision = Decision.objects.create(
                agreement=agreement, slug=f"d{Decision.objects.count()}", title="T", proposed_by="x",
                proposer_name="m", opened=days(0), closes=days(3),
            )  # fmt: skip
            Vote.objects.create(decision=decision, partner_id=agreement.document["who"]["partners"][0]["id"],
                                position="yes", voter_name="m")  # fmt: skip

    # Session, user, the partnership, the user's roles in it, the agreement, its records (readings,
    # deliveries, decisions, votes) and the site menu's organisations.
    add(1)
    with django_assert_num_queries(10):
        assert member_client.get(_url(name, partnership)).status_code == 200
    add(4)
    with django_assert_num_queries(10):
        assert member_client.get(_url(name, partnership)).status_code == 200


HOSTILE = '<script>alert("x")</script>&amp;'


def test_hostile_strings_are_escaped_on_every_tab_and_in_the_chart(
    member_client: Client, agreement: Agreement, partnership: Partnership
) -> None:
    harbor = agreement.document["who"]["partners"][0]["id"]
    put_terms(
        agreement,
        kpis=[{"id": "meals", "name": HOSTILE, "category": "social", "unit": HOSTILE, "owner": harbor,
               "baseline": {"value": 0, "date": days(-100)}, "targets": [{"value": 10, "date": days(100)}]}],
    )  # fmt: skip
    member_client.post(
        _url("measurement_add", partnership, kpi_id="meals"),
        {"date": days(0), "value": "1", "note": HOSTILE, "evidence": "javascript:alert(1)"},
    )
    member_client.post(
        _url("delivery_add", partnership, commitment_id="cook"),
        {"date": days(0), "value": "1", "note": HOSTILE},
    )
    for name, kwargs in (("kpis", {}), ("kpi", {"kpi_id": "meals"}), ("commitments", {}), ("roles", {}),
                         ("equity", {}), ("decisions", {})):  # fmt: skip
        page = member_client.get(_url(name, partnership, **kwargs)).content.decode()
        assert "<script>alert" not in page, name
    page = member_client.get(_url("kpi", partnership, kpi_id="meals")).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;amp;" in page
    assert 'href="javascript:' not in page
