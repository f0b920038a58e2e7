"""Reads of the network survey, each starting from the caller's partnership scope.

A round's answers are read in two ways only: an organisation's own answers (``answers_of``, for the
people of that organisation while the round is open) and, once the round is closed, every answer
handed to the analysis (``results.round_survey``). No read gives one organisation another's answers
while a round is open.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from commonground.web.access import Action, first_or_404
from commonground.web.networks.models import NetworkAnswer, NetworkRound, RoundState
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import MemberState, PartnershipMember
from commonground.web.partnerships.selectors import PartnershipAccess


def round_list(*, access: PartnershipAccess) -> QuerySet[NetworkRound]:
    """The partnership's rounds, newest first, without their frozen answers (one query)."""
    return (
        NetworkRound.objects.defer("frozen").filter(partnership=access.partnership).order_by("-date", "-pk")
    )


def round_get(*, access: PartnershipAccess, round_id: int) -> NetworkRound:
    """A round of the caller's partnership; 404 for another partnership's (one query). Its frozen
    answers are read only when the analysis is not cached yet (``results.round_results``)."""
    return first_or_404(
        NetworkRound.objects.defer("frozen").filter(pk=round_id, partnership=access.partnership)
    )


def round_previous(*, survey_round: NetworkRound) -> NetworkRound | None:
    """The closed round of the same partnership just before this one by date, if any (one query)."""
    return (
        NetworkRound.objects.defer("frozen")
        .filter(
            partnership_id=survey_round.partnership_id, state=RoundState.CLOSED, date__lte=survey_round.date
        )
        .exclude(pk=survey_round.pk)
        .exclude(date=survey_round.date, pk__gt=survey_round.pk)
        .order_by("-date", "-pk")
        .first()
    )


def active_partner_organisations(*, access: PartnershipAccess) -> list[Organisation]:
    """The partnership's active partner organisations by name (one query): whom a new round asks."""
    rows = (
        PartnershipMember.objects.filter(partnership=access.partnership, state=MemberState.ACTIVE)
        .select_related("organisation")
        .order_by("organisation__name", "organisation_id")
    )
    return [row.organisation for row in rows]


def answering_organisations(*, access: PartnershipAccess, survey_round: NetworkRound) -> list[int]:
    """The organisations of the round whose answers the user may enter: theirs, with a role that edits."""
    asked = set(survey_round.organisation_ids())
    return [org for org in access.organisation_ids if org in asked and access.can_in(org, Action.EDIT)]


def viewing_organisations(*, access: PartnershipAccess, survey_round: NetworkRound) -> list[int]:
    """The organisations of the round whose own answers the user may read: theirs, any role."""
    asked = set(survey_round.organisation_ids())
    return [org for org in access.organisation_ids if org in asked]


@dataclass(frozen=True)
class AnswerRow:
    """One other organisation in an organisation's answer sheet, with the answer given so far."""

    about_id: int
    name: str
    answer: NetworkAnswer | None


def answer_sheet(*, survey_round: NetworkRound, by_id: int) -> list[AnswerRow]:
    """Every other organisation of the round with ``by_id``'s answer about it, if any (one query)."""
    given = {a.about_id: a for a in NetworkAnswer.objects.filter(round=survey_round, by_id=by_id)}
    return [
        AnswerRow(about_id=org, name=name, answer=given.get(org))
        for org, name in survey_round.names().items()
        if org != by_id
    ]


def answer_find(*, survey_round: NetworkRound, by_id: int, about_id: int) -> NetworkAnswer | None:
    """``by_id``'s answer about ``about_id`` in the round, or None (one query)."""
    return NetworkAnswer.objects.filter(round=survey_round, by_id=by_id, about_id=about_id).first()


def answered_counts(*, survey_round: NetworkRound) -> dict[int, int]:
    """How many answers each organisation has given in the round (one query): progress, not content."""
    rows = NetworkAnswer.objects.filter(round=survey_round).values("by_id").annotate(n=Count("pk"))
    return {row["by_id"]: row["n"] for row in rows.order_by()}


def few_answered(*, asked: int, started: int) -> bool:
    """Whether fewer than half the organisations asked have answered: closing then needs a confirmation."""
    return started * 2 < asked


@dataclass(frozen=True)
class RoundProgress:
    """How far an open round is: organisations asked, those that have answered, those that are done."""

    asked: int
    started: int
    complete: int

    @property
    def few_answered(self) -> bool:
        """Whether so few have answered that closing the round asks for a confirmation."""
        return few_answered(asked=self.asked, started=self.started)


def round_progress(*, survey_round: NetworkRound) -> RoundProgress:
    """The round's progress in one query (counts only: nobody's answers)."""
    asked = len(survey_round.organisation_ids())
    counts = answered_counts(survey_round=survey_round)
    return RoundProgress(
        asked=asked, started=len(counts), complete=sum(n >= asked - 1 for n in counts.values())
    )


@dataclass(frozen=True)
class AnswerSheet:
    """One of the user's organisations in an open round: its answers so far, whether the user edits them."""

    organisation_id: int
    name: str
    can_edit: bool
    rows: list[AnswerRow]


@dataclass(frozen=True)
class OpenRoundPage:
    """What an open round shows the user: progress of all, and the answers of the user's own organisations."""

    asked: int  # organisations in the round
    started: int  # organisations with at least one answer
    complete: int  # organisations that answered about every other one
    sheets: list[AnswerSheet]

    @property
    def few_answered(self) -> bool:
        """Whether so few have answered that closing the round asks for a confirmation."""
        return few_answered(asked=self.asked, started=self.started)


def open_round_page(*, access: PartnershipAccess, survey_round: NetworkRound) -> OpenRoundPage:
    """Progress and the user's organisations' answer sheets (one query, plus one per own organisation)."""
    names = survey_round.names()
    editable = set(answering_organisations(access=access, survey_round=survey_round))
    counts = answered_counts(survey_round=survey_round)
    sheets = [
        AnswerSheet(
            organisation_id=org,
            name=names[org],
            can_edit=org in editable,
            rows=answer_sheet(survey_round=survey_round, by_id=org),
        )
        for org in viewing_organisations(access=access, survey_round=survey_round)
    ]
    return OpenRoundPage(
        asked=len(names),
        started=len(counts),
        complete=sum(n >= len(names) - 1 for n in counts.values()),
        sheets=sheets,
    )
