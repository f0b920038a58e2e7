"""The survey item sets a check-in can ask, behind a small registry.

Two sets ship: the short ``pulse`` (seven items asked at every check-in, each with a second question
about how the respondent thinks the other partners would answer, for coorientation) and the longer
``factors`` set (one statement per collaboration factor, grouped in six categories after Wilder's
collaboration factors; see docs/methods.md). Every statement is our own wording.

How to add a set: build an :class:`ItemSet` with stable item ids (they are stored with every answer,
so never rename one that has been used) and call :func:`register_item_set` at import time of this
module. Ids are lowercase with underscores; statements are agreed or disagreed with on 1–5.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

SCALE_MIN = 1
SCALE_MAX = 5
SCALE_LABELS: Mapping[int, str] = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neither agree nor disagree",
    4: "Agree",
    5: "Strongly agree",
}


@dataclasses.dataclass(frozen=True)
class Item:
    """One statement a respondent rates from 1 (strongly disagree) to 5 (strongly agree)."""

    id: str
    label: str  # a short name for tables and charts: "Trust"
    statement: str  # what the respondent rates about their own view
    # How the respondent thinks the other partner(s) would rate the same statement; None when the
    # set does not ask it (coorientation is asked for the pulse only, to keep the long set short).
    about_others: str | None = None
    category: str | None = None  # the factors set groups items in six categories


@dataclasses.dataclass(frozen=True)
class ItemSet:
    """A named, ordered set of items with the categories they fall in."""

    name: str
    title: str
    items: tuple[Item, ...]
    categories: tuple[str, ...] = ()

    def item(self, item_id: str) -> Item:
        """The item with this id (KeyError if the set has none)."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def ids(self) -> tuple[str, ...]:
        """The item ids in the order they are asked."""
        return tuple(item.id for item in self.items)


_ITEM_SETS: dict[str, ItemSet] = {}


def register_item_set(item_set: ItemSet) -> None:
    """Make an item set available by its name."""
    if item_set.name in _ITEM_SETS:
        raise ValueError(f"item set {item_set.name!r} is already registered")
    if len(set(item_set.ids)) != len(item_set.ids):
        raise ValueError(f"item set {item_set.name!r} repeats an item id")
    _ITEM_SETS[item_set.name] = item_set


def item_set(name: str) -> ItemSet:
    """The registered item set of this name (KeyError if unknown)."""
    return _ITEM_SETS[name]


def item_set_names() -> tuple[str, ...]:
    """Names of every registered item set."""
    return tuple(_ITEM_SETS)


def _pulse(item_id: str, label: str, statement: str, about_others: str) -> Item:
    return Item(id=item_id, label=label, statement=statement, about_others=about_others)


PULSE = ItemSet(
    name="pulse",
    title="Pulse check-in",
    items=(
        _pulse(
            "trust",
            "Trust",
            "I can rely on our partners to do what they said they would.",
            "How would people in the other partner organisations rate relying on us?",
        ),
        _pulse(
            "commitment",
            "Commitment",
            "My organisation is as committed to this partnership as when we started.",
            "How would the other partners rate their own organisation's commitment now?",
        ),
        _pulse(
            "progress",
            "Progress",
            "I am satisfied with what the partnership has achieved since the last check-in.",
            "How satisfied with progress would the other partners say they are?",
        ),
        _pulse(
            "voice",
            "Voice in decisions",
            "My organisation has a real say in the decisions that shape the partnership.",
            "How would the other partners rate their own say in decisions?",
        ),
        _pulse(
            "fairness",
            "Fairness of benefits",
            "What my organisation gets from the partnership is fair for what it puts in.",
            "How fair would the other partners say their share of the benefits is?",
        ),
        _pulse(
            "communication",
            "Communication",
            "I hear about what matters in the partnership in time to act on it.",
            "How would the other partners rate how well they are kept informed?",
        ),
        _pulse(
            "shared_goals",
            "Shared goals still right",
            "The goals we agreed together are still the right ones for us.",
            "How would the other partners rate the shared goals today?",
        ),
    ),
)

# The twenty factors and six categories follow Wilder's collaboration factors (Mattessich & Johnson,
# 2018). The factor names are the method's; each statement is ours and rates the factor in one line.
_CATEGORIES = (
    "Environment",
    "Membership",
    "Process and structure",
    "Communication",
    "Purpose",
    "Resources",
)
_FACTOR_ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("Environment", "history", "History of working together",
     "Our organisations, or people in them, have worked well together before."),
    ("Environment", "legitimacy", "Seen as a legitimate leader",
     "Others in our field see this partnership as well placed to lead on its aims."),
    ("Environment", "climate", "Favourable climate",
     "Funders, officials and the public around us support what the partnership is doing."),
    ("Membership", "respect", "Mutual respect, understanding and trust",
     "People across the partner organisations understand and respect how each other work."),
    ("Membership", "cross_section", "The right people involved",
     "Everyone who has a stake in our aims is represented in the partnership."),
    ("Membership", "self_interest", "Worth it for each partner",
     "Each partner gains enough from the partnership to keep putting effort in."),
    ("Membership", "compromise", "Able to compromise",
     "When we disagree, the partners find a way forward that each can accept."),
    ("Process and structure", "shared_stake", "Shared stake in how and what",
     "Every partner feels ownership of both how we work and what we achieve."),
    ("Process and structure", "layers", "People involved at several levels",
     "People at several levels of each organisation take part, not only the leaders."),
    ("Process and structure", "flexibility", "Flexibility",
     "We are willing to change how we organise the work when it is not working."),
    ("Process and structure", "clear_roles", "Clear roles and rules",
     "Everyone knows who is responsible for what and how decisions are made."),
    ("Process and structure", "adaptability", "Adapting to change",
     "The partnership can keep going when people, funding or circumstances change."),
    ("Process and structure", "pace", "A sensible pace",
     "We take on new work at a pace the partners can keep up with."),
    ("Communication", "open_communication", "Open and frequent communication",
     "Partners share news, problems and plans with each other often and openly."),
    ("Communication", "informal_links", "Informal links",
     "People across the organisations talk to each other informally, not only in meetings."),
    ("Purpose", "attainable_goals", "Concrete, attainable goals",
     "Our goals are specific enough that we will know when we have reached them."),
    ("Purpose", "shared_vision", "A shared vision",
     "The partners picture the same result when they describe what we are working towards."),
    ("Purpose", "unique_purpose", "A purpose no partner could meet alone",
     "What we do together could not be done by any one of the partners on its own."),
    ("Resources", "resources", "Enough money, people and time",
     "The partnership has the money, staff, materials and time its plans need."),
    ("Resources", "leadership", "Skilled leadership",
     "The people convening the partnership keep it organised, fair and moving."),
)  # fmt: skip

FACTORS = ItemSet(
    name="factors",
    title="Collaboration factors",
    items=tuple(
        Item(id=item_id, label=label, statement=statement, category=category)
        for category, item_id, label, statement in _FACTOR_ROWS
    ),
    categories=_CATEGORIES,
)

register_item_set(PULSE)
register_item_set(FACTORS)
