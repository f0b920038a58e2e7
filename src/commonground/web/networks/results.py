"""A closed round's answers as a ``core.network`` survey, its analysis, and the change since the round before.

Nothing is measured here. At close the round's answers are written into the round as a round of the
survey format (``round_document``, stored as ``NetworkRound.frozen``); closed rounds become a
:class:`~commonground.core.network.Survey` (checked with ``reference_problems`` like a file), and
``analyse_round`` / ``compare_rounds`` do the rest. Organisations are named by their primary key in
the survey and by their name at opening. An organisation of the round that gave no answer is listed
as not responding; its "we do not work with them" answers go into ``not_working_with``, and a
partner it skipped is not answered, so only an explicit "no" makes a tie one-sided.
Rounds frozen before ``not_working_with`` was stored got it added from their answers by migration
0002, so their one-sided gaps stay.

Closed rounds never change, so an analysis and its pictures are cached under the round's id and
closing time (any cache backend is safe: the key names everything the value depends on). With that,
the pages need no throttle: a round of 200 organisations (39,800 answers) costs about 0.2 s to
analyse and up to 0.9 s to draw (placing the names), once per server process, colouring and round.
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

from django.core.cache import cache

from commonground.core.network import (
    RoundAnalysis,
    RoundChange,
    Survey,
    analyse_round,
    compare_rounds,
    edge_rows,
    reference_problems,
)
from commonground.core.network.analysis import network_deltas
from commonground.reports.charts.network import Colouring, network_chart
from commonground.web.networks.frozen import ANSWER_FIELDS, frozen_document
from commonground.web.networks.models import NetworkAnswer, NetworkRound


def round_document(survey_round: NetworkRound) -> dict[str, Any]:
    """The round's answers as a round of the survey format, organisations by primary key (one query).

    ``round_close`` stores this on the round (``frozen``): a closed round is read only from there, so
    an organisation deleted later takes nothing out of a published round.
    """
    answers = NetworkAnswer.objects.filter(round=survey_round).values(*ANSWER_FIELDS)
    return frozen_document(
        label=survey_round.label,
        date=survey_round.date,
        organisations=survey_round.organisations,
        answers=answers,
    )


def round_survey(partnership_name: str, rounds: list[NetworkRound]) -> Survey:
    """Closed rounds as one survey over every organisation any of them asked, in the order they were
    listed; an organisation a round did not ask counts as not responding in it.

    Raises ValueError when the stored answers break a rule of the survey format (they cannot, since
    the services check each answer; the check is the core's own, kept as a guard).
    """
    organisations: dict[str, str] = {}
    for item in rounds:
        for org in item.organisations:
            organisations.setdefault(str(org["id"]), str(org["name"]))
    documents = []
    for item in rounds:
        document = dict(item.frozen if item.frozen is not None else round_document(item))
        asked = {str(org["id"]) for org in item.organisations}
        document["not_responding"] = [
            *document["not_responding"],
            *(o for o in organisations if o not in asked),
        ]
        documents.append(document)
    survey = Survey.model_validate(
        {
            "coalition": partnership_name[:200],
            "organisations": [{"id": k, "name": v[:200]} for k, v in organisations.items()],
            "rounds": documents,
        }
    )
    problems = reference_problems(survey)
    if problems:
        raise ValueError(f"the stored answers are not a valid survey: {problems[0][1]}")
    return survey


@dataclasses.dataclass(frozen=True)
class RoundResults:
    """A closed round's analysis, and the change since the closed round before it when there is one."""

    analysis: RoundAnalysis
    change: RoundChange | None


def _cache_key(survey_round: NetworkRound, previous: NetworkRound | None, partnership_name: str) -> str:
    # The partnership's name heads the analysis: a renamed partnership gets a new entry.
    named = hashlib.sha256(partnership_name.encode()).hexdigest()[:16]
    closed = survey_round.closed_at.isoformat() if survey_round.closed_at else "open"
    before = "-"
    if previous is not None:
        before = f"{previous.pk}:{previous.closed_at.isoformat() if previous.closed_at else ''}"
    return f"networks:results:v2:{survey_round.pk}:{closed}:{before}:{named}"


def round_results(
    *, partnership_name: str, survey_round: NetworkRound, previous: NetworkRound | None
) -> RoundResults:
    """The round's analysis over its own organisations, and the change from ``previous`` over the
    organisations of both rounds; cached, since a closed round never changes."""
    key = _cache_key(survey_round, previous, partnership_name)
    cached = cache.get(key)
    if isinstance(cached, RoundResults):
        return cached
    analysis = analyse_round(round_survey(partnership_name, [survey_round]), survey_round.label)
    change = None
    if previous is not None:
        both = round_survey(partnership_name, [previous, survey_round])
        change = _whole_network_from_own_rounds(
            compare_rounds(both, previous.label, survey_round.label),
            before=analyse_round(round_survey(partnership_name, [previous]), previous.label),
            after=analysis,
        )
    results = RoundResults(analysis=analysis, change=change)
    cache.set(key, results)
    return results


def _whole_network_from_own_rounds(
    change: RoundChange, *, before: RoundAnalysis, after: RoundAnalysis
) -> RoundChange:
    """The change with its whole-network figures taken from each round over its own organisations.

    Ties gained and lost and each organisation's change need both rounds' organisations; density and
    centralization do not: an organisation that left would count as an isolate of the later round and
    move its density away from the figure its own page shows.
    """
    return dataclasses.replace(change, before=before, after=after, **network_deltas(before, after))


def round_picture(*, survey_round: NetworkRound, analysis: RoundAnalysis, colour: Colouring) -> str:
    """The round's SVG picture coloured by ``colour`` (``reports/charts/network.py``), cached like the
    analysis: for 200 organisations drawing takes up to 0.9 s, reading it back nothing."""
    key = f"{_cache_key(survey_round, None, analysis.coalition)}:picture:{colour}"
    cached = cache.get(key)
    if isinstance(cached, str):
        return cached
    picture = network_chart(analysis, colour)
    cache.set(key, picture)
    return picture


def tie_rows(analysis: RoundAnalysis) -> list[dict[str, str]]:
    """The core's rows of ties (``edge_rows``) with who reported each tie by name: in the workspace an
    organisation's survey id is only its number, which means nothing in a spreadsheet."""
    rows = edge_rows(analysis)
    for row in rows:
        if row["reported_by"] != "both":
            row["reported_by"] = analysis.names[row["reported_by"]]
    return rows
