"""Closing freezes anonymity-safe results; pages and exports read only them, never one person's answer."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from commonground.core.alignment import analysis as core_analysis
from commonground.core.alignment.items import FACTORS
from commonground.core.alignment.models import Alert, PulseAnalysis
from commonground.web.checkins import answer_services, services
from commonground.web.checkins.models import ActionItem, ActionSource, Checkin, CheckinState, ResponseScore
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import partnership_access_for

# Scores no two respondents share on "trust", so any one of them on a page would give a person away.
SCORES = (1, 2, 3, 4, 5, 2)


def _close(checkin: Checkin) -> Checkin:
    services.checkin_close(checkin_id=checkin.pk)
    checkin.refresh_from_db()
    return checkin


def _pages(client: Client, checkin: Checkin) -> dict[str, str]:
    kwargs = {"pk": checkin.partnership_id, "checkin_id": checkin.pk}
    found = {
        "index": client.get(
            reverse("checkins:index", kwargs={"pk": checkin.partnership_id})
        ).content.decode(),
        "detail": client.get(reverse("checkins:detail", kwargs=kwargs)).content.decode(),
        "csv": client.get(reverse("checkins:export", kwargs=kwargs | {"fmt": "csv"})).content.decode(
            "utf-8-sig"
        ),
    }
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("checkins:export", kwargs=kwargs | {"fmt": "xlsx"})).content)
    )
    found["xlsx"] = "\n".join(
        ",".join(str(c) for c in row) for row in workbook.active.iter_rows(values_only=True)
    )
    return found


def test_two_partners_of_three_people_show_only_the_pooled_figure(
    organisation: Organisation, partner_organisation: Organisation, open_checkin: Checkin,
    add_people: Callable[..., list[Any]], answer_as: Callable[..., Any], client_for: Callable[[Any], Client],
) -> None:  # fmt: skip
    people = add_people(organisation, 3, "harbor") + add_people(partner_organisation, 3, "meadow")
    for person, score in zip(people, SCORES, strict=True):
        answer_as(person, open_checkin, scores={"trust": score}, comment=f"A remark by {person.username}")
    checkin = _close(open_checkin)
    cells = checkin.results["cells"]
    released = [cell for cell in cells if not cell["suppressed"]]
    assert released, "six people pooled give a figure"
    assert all(cell["partner"] == "all" and cell["n"] >= 5 for cell in released)
    for page, text in _pages(client_for(people[0]), checkin).items():
        assert "A remark by" not in text, page  # fewer than 10 people: no comment
        for person in people[1:]:  # the page names the signed-in person, never anyone else
            assert person.username not in text, page
        if page in ("csv", "xlsx"):
            rows = list(csv.DictReader(io.StringIO(text)))
            assert {row["partner"] for row in rows} == {"All partners"}, page
            assert all(int(row["n"]) >= 5 for row in rows), page
    detail = _pages(client_for(people[0]), checkin)["detail"]
    assert "Hidden: fewer than 5 answered" in detail
    assert "2.8" in detail  # the pooled trust mean: (1+2+3+4+5+2)/6
    assert "Harbor Health Alliance and Meadow Grocers: fewer than 5 answered" in detail


def test_exports_leave_out_a_partner_with_fewer_than_five(
    organisation: Organisation, partner_organisation: Organisation, open_checkin: Checkin,
    add_people: Callable[..., list[Any]], answer_as: Callable[..., Any], client_for: Callable[[Any], Client],
) -> None:  # fmt: skip
    people = add_people(organisation, 5, "harbor") + add_people(partner_organisation, 2, "meadow")
    for person in people:
        answer_as(person, open_checkin)
    checkin = _close(open_checkin)
    text = _pages(client_for(people[0]), checkin)["csv"]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows
    assert "Meadow Grocers" not in {row["partner"] for row in rows}
    assert all(int(row["n"]) >= 5 for row in rows)


def test_results_are_frozen_at_close(
    organisation: Organisation, open_checkin: Checkin, add_people: Callable[..., list[Any]],
    answer_as: Callable[..., Any], member_client: Client,
) -> None:  # fmt: skip
    for person in add_people(organisation, 5, "harbor"):
        answer_as(person, open_checkin, score=4)
    checkin = _close(open_checkin)
    # Closed: the answers are no longer tied to the people who gave them, in the database or a backup.
    assert checkin.responses.count() == 5
    assert not checkin.responses.exclude(user=None).exists()
    url = reverse("checkins:detail", kwargs={"pk": checkin.partnership_id, "checkin_id": checkin.pk})

    def main() -> str:
        page = member_client.get(url).content.decode()
        return page[page.index("<main") : page.index("</main>")]

    before = main()
    assert "<strong>4.0</strong>" in before
    ResponseScore.objects.update(score=1)  # what no page can do: the page still shows what was frozen
    add_people(organisation, 3, "late")
    assert main() == before


def test_the_analysis_never_sees_a_user_id(
    monkeypatch: pytest.MonkeyPatch, organisation: Organisation, open_checkin: Checkin,
    add_people: Callable[..., list[Any]], answer_as: Callable[..., Any],
) -> None:  # fmt: skip
    people = add_people(organisation, 5, "harbor")
    for person in people:
        answer_as(person, open_checkin)
    seen: list[Any] = []

    def spy(answers: Any) -> PulseAnalysis:
        seen.extend(answers)
        return core_analysis.analyse(answers)

    monkeypatch.setattr(services, "analyse", spy)
    _close(open_checkin)
    respondents = {answer.respondent for answer in seen}
    assert len(respondents) == 5
    identities = {str(p.pk) for p in people} | {p.username for p in people} | {p.email for p in people}
    assert not respondents & identities
    assert all(len(r) == 16 for r in respondents)


def test_a_drift_alert_becomes_one_action_item_reviewed_at_the_next_check_in(
    monkeypatch: pytest.MonkeyPatch, partnership: Partnership, organisation: Organisation,
    open_checkin: Checkin, member_client: Client,
) -> None:  # fmt: skip
    key = str(organisation.pk)
    label = open_checkin.label
    alert = Alert(
        kind="drift", item="voice", partner=key, checkin=label, method="ewma", size=-0.8, since=label
    )

    def with_alert(answers: Any) -> PulseAnalysis:
        return PulseAnalysis(
            checkins=(open_checkin.label,), partners=(key,), items=(), cells=(), alerts=(alert,)
        )

    monkeypatch.setattr(services, "analyse", with_alert)
    _close(open_checkin)
    action = ActionItem.objects.get()
    assert action.source == ActionSource.DRIFT
    assert "Voice in decisions fell by 0.8 points for Harbor Health Alliance" in action.text
    # The same alert again at the next close adds nothing; the next check-in lists the open item.
    import datetime

    later = services.checkin_open(
        partnership=partnership, name="pulse", today=open_checkin.opens_on + datetime.timedelta(days=30),
        window_days=10, scheduled=True,
    )  # fmt: skip
    page = member_client.get(
        reverse("checkins:answer", kwargs={"pk": partnership.pk, "checkin_id": later.pk})
    )
    assert "To review at this check-in" in page.content.decode()
    assert "Voice in decisions fell" in page.content.decode()
    _close(later)
    assert ActionItem.objects.count() == 1


def test_a_factor_rated_a_concern_becomes_an_action_item(
    partnership: Partnership, organisation: Organisation, add_people: Callable[..., list[Any]]
) -> None:
    from django.utils import timezone

    checkin = services.checkin_open(
        partnership=partnership, name="factors", today=timezone.localdate(), window_days=5, scheduled=False
    )
    for person in add_people(organisation, 5, "harbor"):
        access = partnership_access_for(user=person, partnership_id=partnership.pk)
        scores = {item.id: 4 for item in FACTORS.items} | {"resources": 2}
        answer_services.response_submit(
            access=access, user=person, checkin=checkin, organisation_id=organisation.pk, scores=scores,
            predictions={},
        )  # fmt: skip
    _close(checkin)
    action = ActionItem.objects.get()
    assert action.source == ActionSource.FACTOR
    assert action.text.startswith(
        "Rated 2.0 of 5. Enough money, people and time is a concern. What would help?"
    )


def test_results_written_again_are_shown_at_once_not_from_the_cache(partnership: Partnership) -> None:
    from commonground.core.alignment.models import Answer
    from commonground.web.checkins import services as checkin_services
    from commonground.web.checkins.results import checkin_results

    today = datetime.date.today()
    checkin = Checkin.objects.create(
        partnership=partnership, item_set="pulse", opens_on=today, closes_on=today, state=CheckinState.CLOSED
    )

    def pooled_trust() -> float | None:
        results = checkin_results(Checkin.objects.defer("results").get(pk=checkin.pk))
        assert results is not None
        return next(row.cells[0].mean for row in results.rows if row.item.id == "trust")

    label = checkin.label
    checkin_services.checkin_freeze(checkin, [Answer(label, f"r{n}", "1", "trust", 4) for n in range(6)])
    assert pooled_trust() == 4.0
    checkin_services.checkin_freeze(checkin, [Answer(label, f"r{n}", "1", "trust", 2) for n in range(6)])
    assert pooled_trust() == 2.0
