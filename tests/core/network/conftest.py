"""Surveys built from a list of ties, for the network tests."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pytest

from commonground.core.network import Survey

SurveyFactory = Callable[..., Survey]


def rating(
    by: str, about: str, *, level: int = 3, trust: int = 3, value: int = 3, **extra: Any
) -> dict[str, Any]:
    """One rating with every value dimension ``value`` and every trust dimension ``trust``."""
    return {
        "by": by,
        "about": about,
        "level": level,
        "value": {"power": value, "involvement": value, "resources": value},
        "trust": {"reliable": trust, "mission": trust, "open": trust},
        **extra,
    }


def build_survey(
    nodes: Sequence[str],
    rounds: Iterable[tuple[str, Iterable[dict[str, Any]]]],
    *,
    not_responding: dict[str, list[str]] | None = None,
    not_working_with: dict[str, dict[str, list[str]]] | None = None,
) -> Survey:
    """A survey of ``nodes`` with the given rounds (label, ratings), a month apart."""
    start = datetime.date(2025, 1, 1)
    return Survey.model_validate(
        {
            "coalition": "Test coalition",
            "organisations": [{"id": n, "name": n.upper()} for n in nodes],
            "rounds": [
                {
                    "label": label,
                    "date": start + datetime.timedelta(days=31 * i),
                    "not_responding": (not_responding or {}).get(label, []),
                    "ratings": list(ratings),
                    "not_working_with": (not_working_with or {}).get(label, {}),
                }
                for i, (label, ratings) in enumerate(rounds)
            ],
        }
    )


def both_ways(edges: Iterable[tuple[str, str]], **scores: Any) -> list[dict[str, Any]]:
    """Each tie reported by both sides with the same scores."""
    return [rating(x, y, **scores) for a, b in edges for x, y in ((a, b), (b, a))]


@pytest.fixture
def rate() -> Callable[..., dict[str, Any]]:
    """:func:`rating`, for tests (conftest modules cannot be imported reliably)."""
    return rating


@pytest.fixture
def survey_of() -> Callable[..., Survey]:
    """:func:`build_survey`, for tests."""
    return build_survey


@pytest.fixture
def graph_survey() -> Callable[[Sequence[str], Iterable[tuple[str, str]]], Survey]:
    """A one-round survey whose ties are exactly ``edges``, each reported by both sides."""

    def make(nodes: Sequence[str], edges: Iterable[tuple[str, str]]) -> Survey:
        return build_survey(nodes, [("r1", both_ways(edges))])

    return make
