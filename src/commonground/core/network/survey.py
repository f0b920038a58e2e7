"""A coalition's network survey: its organisations and, per round, each one's ratings of the others.

The measures follow the PARTNER tool's established relationship measures (Varda and colleagues,
University of Colorado Denver; see ``docs/methods.md``): how two organisations work together (four
levels), the value of a partner on three dimensions and the trust in it on three dimensions, each
rated 1–4. The item wording and the level names here are our own; the published items are not
reproduced.

Ratings are given by an organisation about another organisation (one answer per organisation,
agreed inside it); they are not individual people's answers, so no anonymity threshold applies.

What an organisation says about another in a round is one of three things: a rating (we work with
them), a place in ``not_working_with`` (we do not), or nothing (not answered: it skipped them, or
did not answer the round at all). Only the explicit "we do not" makes a tie the other side reports
one-sided; a skipped partner is "not answered". Files written before ``not_working_with`` existed
load unchanged and read every pair without a rating as not answered, so they show no one-sided gaps.

Organisations are referred to by their ``id`` everywhere in the file. Cross-references (a rating
naming an organisation that is not listed, a rating of oneself, two ratings of the same pair in one
round, two rounds with one label) are checked by :func:`reference_problems`, which names the field
path of each, so that the loader can report every one of them at once with its line.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterator
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from commonground.core.loading.messages import did_you_mean
from commonground.core.loading.problems import Loc, format_path

FORMAT_VERSION = 1

Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Score = Annotated[int, Field(ge=1, le=4)]


@dataclasses.dataclass(frozen=True)
class Level:
    """One answer on a 1–4 scale: its number, short name and the wording a respondent reads."""

    score: int
    name: str
    wording: str


# How two organisations work together, from least to most joined-up (PARTNER's aware, cooperative,
# coordinated and integrated levels, in our own words).
WORKING_LEVELS: tuple[Level, ...] = (
    Level(1, "acquainted", "We know what they do and keep each other informed now and then."),
    Level(2, "helping", "We pass on information, referrals or help when one of us asks."),
    Level(3, "coordinating", "We plan some of our activities together and adjust ours to fit theirs."),
    Level(4, "joint", "We run shared work with them: pooled resources, joint decisions, one plan."),
)

# How often (optional): the edge's second reading besides the level.
FREQUENCY_LEVELS: tuple[Level, ...] = (
    Level(1, "yearly", "Once or twice a year."),
    Level(2, "quarterly", "Every few months."),
    Level(3, "monthly", "About every month."),
    Level(4, "weekly", "Every week or more often."),
)

# The three value and three trust dimensions: field name → the question in our words.
VALUE_DIMENSIONS: dict[str, str] = {
    "power": "How much can they move decisions, people or money that matter to the coalition's aims?",
    "involvement": "How actively do they take part in the coalition's work?",
    "resources": "How much do they bring: money, staff time, data, space, contacts, know-how?",
}
TRUST_DIMENSIONS: dict[str, str] = {
    "reliable": "Do they do what they say they will, when they say they will?",
    "mission": "Do they act for the coalition's shared aims rather than only their own?",
    "open": "Can we raise a problem or disagreement with them and be heard?",
}
SCALE_WORDS = ("1 not at all", "2 a little", "3 fairly", "4 very much")
# The names of Rating.dimensions() in words, for reports.
DIMENSION_LABELS: dict[str, str] = {
    "level": "how they work together",
    "frequency": "how often",
    "value.power": "value: power and influence",
    "value.involvement": "value: level of involvement",
    "value.resources": "value: resources contributed",
    "trust.reliable": "trust: reliable",
    "trust.mission": "trust: in support of the mission",
    "trust.open": "trust: open to discussion",
}


class _Model(BaseModel):
    """Base for every survey part: unknown fields are errors, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Organisation(_Model):
    """A member of the coalition."""

    id: Id
    name: Name
    kind: Annotated[str, Field(min_length=1, max_length=64)] | None = None


class _Dimensions(_Model):
    """A group of 1–4 answers scored together."""

    def mean(self) -> float:
        """The score of this one rating: the mean of its dimensions."""
        # The fields are the model's only attributes; reading them directly is ten times faster
        # than model_dump, which matters for 40,000 ratings.
        values: list[int] = list(self.__dict__.values())
        return sum(values) / len(values)


class Value(_Dimensions):
    """How valuable the rated organisation is to the coalition, by the rater (1–4 each)."""

    power: Score
    involvement: Score
    resources: Score


class Trust(_Dimensions):
    """How far the rater trusts the rated organisation (1–4 each)."""

    reliable: Score
    mission: Score
    open: Score


class Rating(_Model):
    """One organisation's answer about another one it works with."""

    by: Id  # the organisation answering
    about: Id  # the organisation it rates
    level: Score
    frequency: Score | None = None
    value: Value
    trust: Trust

    def dimensions(self) -> dict[str, int]:
        """Every 1–4 answer of this rating by dimension name (``level``, ``value.power`` ...)."""
        out = {"level": self.level}
        if self.frequency is not None:
            out["frequency"] = self.frequency
        out.update({f"value.{k}": v for k, v in self.value.model_dump().items()})
        out.update({f"trust.{k}": v for k, v in self.trust.model_dump().items()})
        return out


class Round(_Model):
    """One survey round: when it ran, who did not answer, and the ratings given."""

    label: Annotated[str, Field(min_length=1, max_length=64)]
    date: datetime.date
    # Organisations that did not answer this round: a tie only they could have reported is then
    # unknown rather than absent, and is not counted as a one-sided perception gap.
    not_responding: list[Id] = Field(default_factory=list, max_length=500)
    ratings: list[Rating] = Field(default_factory=list, max_length=250_000)
    # Explicit "we do not work with them" answers: organisation id → the ids it does not work with.
    # A pair named neither here nor in a rating is not answered (see the module's docstring).
    not_working_with: dict[Id, Annotated[list[Id], Field(max_length=500)]] = Field(
        default_factory=dict, max_length=500
    )
    # The same answers as sets, so reading every pair of a large survey stays linear.
    _no_ties: dict[str, frozenset[str]] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        """Index the explicit "no tie" answers once."""
        self._no_ties = {by: frozenset(abouts) for by, abouts in self.not_working_with.items()}

    def responded(self, organisation: str) -> bool:
        """Whether ``organisation`` answered this round."""
        return organisation not in self.not_responding

    def says_no_tie(self, by: str, about: str) -> bool:
        """Whether ``by`` answered explicitly that it does not work with ``about``."""
        return about in self._no_ties.get(by, frozenset())


class Survey(_Model):
    """A coalition's network survey: its organisations and one or more rounds."""

    kind: Literal["network-survey"] = "network-survey"
    version: Literal[1] = 1
    coalition: Name
    organisations: list[Organisation] = Field(min_length=1, max_length=500)
    rounds: list[Round] = Field(min_length=1, max_length=50)

    def round(self, label: str) -> Round:
        """The round labelled ``label``; :class:`UnknownRound` naming the labels there are."""
        for item in self.rounds:
            if item.label == label:
                return item
        raise UnknownRound(label, [r.label for r in self.rounds])

    def latest(self) -> Round:
        """The round with the latest date (the last one listed among equal dates)."""
        return max(reversed(self.rounds), key=lambda r: r.date)

    def names(self) -> dict[str, str]:
        """Organisation id → name."""
        return {o.id: o.name for o in self.organisations}


class UnknownRound(LookupError):
    """A round label that the survey does not have."""

    def __init__(self, label: str, labels: list[str]):
        self.label, self.labels = label, labels
        hint = did_you_mean(label, labels) or ""
        super().__init__(f"no round labelled {label!r}{hint}; the rounds are {', '.join(labels)}")


def _rating_problems(survey: Survey, index: int, item: Round) -> Iterator[tuple[Loc, str]]:
    ids = [o.id for o in survey.organisations]
    known = set(ids)

    def unknown(value: str) -> str:
        """The problem with an id not listed under organisations; empty for a listed one."""
        if value in known:
            return ""
        hint = did_you_mean(value, ids) or "; list it under organisations first"
        return f"unknown organisation {value!r}{hint}"

    for position, org in enumerate(item.not_responding):
        if org not in known:
            yield ("rounds", index, "not_responding", position), unknown(org)
    first: dict[tuple[str, str], Loc] = {}
    for position, rating in enumerate(item.ratings):
        loc: Loc = ("rounds", index, "ratings", position)
        if rating.by not in known:
            yield (*loc, "by"), unknown(rating.by)
        if rating.about not in known:
            yield (*loc, "about"), unknown(rating.about)
        if rating.by == rating.about:
            yield (*loc, "about"), f"{rating.by!r} rates itself; rate only the other organisations"
            continue
        pair = (rating.by, rating.about)
        if pair in first:
            yield (
                loc,
                (
                    f"{rating.by!r} already rates {rating.about!r} in this round at "
                    f"{format_path(first[pair])}; give one rating per pair and round"
                ),
            )
        else:
            first[pair] = loc
        if rating.by in item.not_responding:
            yield (*loc, "by"), f"{rating.by!r} is listed as not responding but gives ratings"
    yield from _no_tie_problems(item, index, first, unknown)


def _no_tie_problems(
    item: Round, index: int, rated: dict[tuple[str, str], Loc], unknown: Callable[[str], str]
) -> Iterator[tuple[Loc, str]]:
    """Problems of ``not_working_with``: unknown ids, oneself, repeats, a rated pair, a non-respondent."""
    for by, abouts in item.not_working_with.items():
        where: Loc = ("rounds", index, "not_working_with", by)
        if unknown(by):
            yield where, unknown(by)
        elif by in item.not_responding:
            yield where, f"{by!r} is listed as not responding but answers about others"
        seen: set[str] = set()
        for position, about in enumerate(abouts):
            loc: Loc = (*where, position)
            if unknown(about):
                yield loc, unknown(about)
            elif about == by:
                yield loc, f"{by!r} lists itself; name only the other organisations"
            elif about in seen:
                yield loc, f"{by!r} already lists {about!r}; name each organisation once"
            elif (by, about) in rated:
                yield (
                    loc,
                    f"{by!r} rates {about!r} at {format_path(rated[(by, about)])} and also says it does "
                    "not work with it; keep one of the two",
                )
            seen.add(about)


def _repeats(what: str, field: str, values: list[str], where: str) -> Iterator[tuple[Loc, str]]:
    """A problem for each value already used earlier in the list ``where``."""
    first: dict[str, int] = {}
    for position, value in enumerate(values):
        if value in first:
            yield (
                (where, position, field),
                (f"{what} {value!r} is already used at {where}[{first[value]}]; {field}s must be unique"),
            )
        first.setdefault(value, position)


def reference_problems(survey: Survey) -> list[tuple[Loc, str]]:
    """Every unknown organisation, self-rating, repeated rating, id or round label, with its path."""
    problems = [
        *_repeats("organisation id", "id", [o.id for o in survey.organisations], "organisations"),
        *_repeats("round label", "label", [r.label for r in survey.rounds], "rounds"),
    ]
    for index, item in enumerate(survey.rounds):
        problems.extend(_rating_problems(survey, index, item))
    return problems
