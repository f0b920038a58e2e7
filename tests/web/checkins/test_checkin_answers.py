"""Answering a check-in: once per person, through the form, never after close, never by a facilitator."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from commonground.core.alignment.items import PULSE
from commonground.web.checkins import services
from commonground.web.checkins.models import Checkin, Response, ResponseScore
from commonground.web.checkins.services import CheckinError
from commonground.web.partnerships.models import Partnership

WRITERS = 20


def _form(score: int = 4, guess: int | None = 3, **extra: str) -> dict[str, str]:
    data = {f"score_{item.id}": str(score) for item in PULSE.items}
    if guess is not None:
        data |= {f"guess_{item.id}": str(guess) for item in PULSE.items}
    return data | extra


def test_a_member_answers_through_the_form_once(member_client: Client, open_checkin: Checkin) -> None:
    url = reverse(
        "checkins:answer", kwargs={"pk": open_checkin.partnership_id, "checkin_id": open_checkin.pk}
    )
    page = member_client.get(url).content.decode()
    assert "Voice in decisions" in page
    assert 'type="radio"' in page
    response = member_client.post(url, _form(comment="More notice of meetings, please."), follow=True)
    assert "your answer is saved" in response.content.decode()
    saved = Response.objects.get()
    assert saved.comment == "More notice of meetings, please."
    # Seven own scores and, with one other partner, seven guesses about it.
    assert ResponseScore.objects.filter(about="").count() == 7
    assert ResponseScore.objects.exclude(about="").count() == 7
    again = member_client.get(url, follow=True).content.decode()
    assert "You have answered" in again
    assert member_client.post(url, _form(score=1)).status_code == 302  # sent back: nothing changes
    assert set(ResponseScore.objects.filter(about="").values_list("score", flat=True)) == {4}


def test_a_missing_score_is_named_and_nothing_is_saved(member_client: Client, open_checkin: Checkin) -> None:
    url = reverse(
        "checkins:answer", kwargs={"pk": open_checkin.partnership_id, "checkin_id": open_checkin.pk}
    )
    data = _form()
    del data["score_voice"]
    response = member_client.post(url, data)
    assert response.status_code == 400
    assert "Choose a score for “Voice in decisions”." in response.content.decode()
    assert not Response.objects.exists()


def test_no_answer_after_close(
    member: Any, org_admin: Any, open_checkin: Checkin, answer_as: Callable[..., Any]
) -> None:
    services.checkin_close(checkin_id=open_checkin.pk)
    open_checkin.refresh_from_db()
    with pytest.raises(CheckinError, match="closed"):
        answer_as(member, open_checkin)
    assert not Response.objects.exists()


def test_an_answer_cannot_be_changed_by_answering_again(
    member: Any, open_checkin: Checkin, answer_as: Callable[..., Any]
) -> None:
    answer_as(member, open_checkin, score=5)
    with pytest.raises(CheckinError, match="answered this check-in already"):
        answer_as(member, open_checkin, score=1)
    assert set(ResponseScore.objects.filter(about="").values_list("score", flat=True)) == {5}


def test_a_facilitator_sees_the_check_in_but_may_not_answer(
    facilitator_client: Client, open_checkin: Checkin
) -> None:
    kwargs = {"pk": open_checkin.partnership_id, "checkin_id": open_checkin.pk}
    assert facilitator_client.get(reverse("checkins:detail", kwargs=kwargs)).status_code == 200
    assert facilitator_client.get(reverse("checkins:answer", kwargs=kwargs)).status_code == 403
    assert facilitator_client.post(reverse("checkins:answer", kwargs=kwargs), _form()).status_code == 403
    assert not Response.objects.exists()


def test_an_outsider_gets_404(outsider_client: Client, open_checkin: Checkin) -> None:
    kwargs = {"pk": open_checkin.partnership_id, "checkin_id": open_checkin.pk}
    assert outsider_client.post(reverse("checkins:answer", kwargs=kwargs), _form()).status_code == 404
    assert not Response.objects.exists()


def test_a_check_in_of_another_partnership_is_404(
    member_client: Client, open_checkin: Checkin, owner: Any
) -> None:
    other = Partnership.objects.create(name="Elsewhere", created_by=owner)
    url = reverse("checkins:answer", kwargs={"pk": other.pk, "checkin_id": open_checkin.pk})
    assert member_client.get(url).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_answers_of_one_person_make_one_response(
    member: Any, open_checkin: Checkin, answer_as: Callable[..., Any]
) -> None:
    barrier = threading.Barrier(WRITERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def submit(n: int) -> None:
        checkin = Checkin.objects.get(pk=open_checkin.pk)
        barrier.wait()
        try:
            answer_as(member, checkin, score=1 + n % 5)
            result = "saved"
        except CheckinError:
            result = "refused"
        except Exception as exc:  # anything else is a failure of the once-only rule
            result = f"error:{exc!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["refused"] * (WRITERS - 1) + ["saved"]
    assert Response.objects.count() == 1
    assert ResponseScore.objects.filter(about="").count() == len(PULSE.items)
