"""Permission-scoped reads of the conflict log: always inside a ``PartnershipAccess``.

``conflict_open_summary`` is the part other pages reuse (the health view): counts of open entries by
severity and rung, overdue acknowledgements, and the partnership's median days to acknowledge and to
resolve, from one query.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.utils import timezone

from commonground.core.agreement.how import DisputeStep, LadderStep
from commonground.core.alignment.escalation import (
    APPROACH_WORDS,
    LEVEL_WORDS,
    RUNG_WORDS,
    Approach,
    ConflictFacts,
    Severity,
    StageEstimate,
    estimate_stage,
    rung_on,
)
from commonground.web.access import first_or_404
from commonground.web.accounts.typing import User
from commonground.web.conflicts.models import OPEN_STATES, ConflictEntry, ConflictEvent, FacilitatorNote
from commonground.web.conflicts.related import related_earlier
from commonground.web.conflicts.sides import Sides, sides_of
from commonground.web.conflicts.terms import Terms, partnership_terms
from commonground.web.partnerships.selectors import PartnershipAccess


@dataclass(frozen=True)
class ConflictSummary:
    """The partnership's conflict log in figures (its parts, never one opaque number)."""

    total: int
    open: int
    by_severity: dict[str, int]  # open entries, every severity present (0 when none)
    by_rung: dict[str, int]  # open entries, every rung present
    overdue: int  # open entries whose acknowledgement is past its deadline
    median_acknowledge_days: float | None  # None: nothing acknowledged yet
    median_resolve_days: float | None  # None: nothing resolved yet


def _days(start: datetime.datetime, end: datetime.datetime) -> float:
    return (end - start).total_seconds() / 86400


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def summarise(entries: Iterable[ConflictEntry], *, today: datetime.date) -> ConflictSummary:
    """Figures from entries already fetched (no query)."""
    rows = list(entries)
    open_rows = [e for e in rows if e.state in OPEN_STATES]
    severities = Counter(e.severity for e in open_rows)
    rungs = Counter(e.rung for e in open_rows)
    return ConflictSummary(
        total=len(rows),
        open=len(open_rows),
        by_severity={s.value: severities[s.value] for s in Severity},
        by_rung={r.value: rungs[r.value] for r in LadderStep},
        overdue=sum(1 for e in open_rows if e.acknowledged_at is None and e.acknowledge_by < today),
        median_acknowledge_days=_median(
            [_days(e.created_at, e.acknowledged_at) for e in rows if e.acknowledged_at is not None]
        ),
        median_resolve_days=_median(
            [_days(e.created_at, e.resolved_at) for e in rows if e.resolved_at is not None]
        ),
    )


def conflict_list(*, access: PartnershipAccess) -> list[ConflictEntry]:
    """The partnership's entries, open first, newest first within each (one query)."""
    entries = list(
        ConflictEntry.objects.filter(partnership=access.partnership).order_by("-created_at", "-pk")
    )
    return sorted(entries, key=lambda e: e.state not in OPEN_STATES)


def conflict_open_summary(*, access: PartnershipAccess) -> ConflictSummary:
    """The log's figures for one partnership (one query)."""
    fields = ("state", "severity", "rung", "created_at", "acknowledged_at", "resolved_at", "acknowledge_by")
    entries = ConflictEntry.objects.filter(partnership=access.partnership).only(*fields)
    return summarise(entries, today=timezone.localdate())


def conflict_get(*, access: PartnershipAccess, conflict_id: int) -> ConflictEntry:
    """An entry of the caller's partnership with its timeline; 404 for any other (two queries)."""
    return first_or_404(
        ConflictEntry.objects.filter(pk=conflict_id, partnership=access.partnership).prefetch_related(
            Prefetch("events", queryset=ConflictEvent.objects.order_by("created_at", "pk"))
        )
    )


@dataclass(frozen=True)
class ConflictPage:
    """An entry as its page shows it to one person."""

    entry: ConflictEntry
    events: list[ConflictEvent]
    notes: list[FacilitatorNote] | None  # None: not a facilitator, so not even that there are notes
    sides: Sides
    estimate: StageEstimate
    level_words: str
    step: DisputeStep  # the current rung on the partnership's ladder (its days and who handles it)
    rung_words: str
    next_due: datetime.date  # when this rung's time runs out
    days_overdue: int
    repeats: int
    approaches: list[tuple[str, str, str]]  # (side, approach word, its description)
    terms: Terms


@dataclass(frozen=True)
class _EntryFacts:
    facts: ConflictFacts
    chosen: list[tuple[str, Approach]]  # (side, approach) as each side chose it


def _facts(entry: ConflictEntry, today: datetime.date) -> _EntryFacts:
    """What the stage estimate reads from an entry (one query: its related earlier entries)."""
    overdue = (today - entry.acknowledge_by).days if entry.acknowledged_at is None and entry.is_open else 0
    chosen = [
        (side, Approach(word))
        for side, word in (("Raised by", entry.raiser_approach), ("Other side", entry.other_approach))
        if word
    ]
    facts = ConflictFacts(
        severity=Severity(entry.severity), days_overdue=max(overdue, 0),
        rejected_resolutions=entry.rejected_count,
        related_repeats=related_earlier(entry).aggregate(n=Count("pk"))["n"], rung=LadderStep(entry.rung),
        approaches=tuple(a for _, a in chosen), exit_threatened=entry.exit_threatened,
    )  # fmt: skip
    return _EntryFacts(facts=facts, chosen=chosen)


def conflict_highest_level(*, access: PartnershipAccess) -> int | None:
    """The highest Glasl level (1-3) among the open entries, None when none is open (one query, and
    one more per open entry)."""
    today = timezone.localdate()
    entries = ConflictEntry.objects.filter(partnership=access.partnership, state__in=OPEN_STATES)
    levels = [estimate_stage(_facts(entry, today).facts).level for entry in entries]
    return max(levels, default=None)


def conflict_page(*, access: PartnershipAccess, entry: ConflictEntry, user: User) -> ConflictPage:
    """Everything the entry's page shows this person (two to eight queries: notes for facilitators,
    the repeats, the agreement in force)."""
    today = timezone.localdate()
    terms = partnership_terms(access.partnership)
    facts = _facts(entry, today)
    estimate = estimate_stage(facts.facts)
    overdue, repeats, chosen = facts.facts.days_overdue, facts.facts.related_repeats, facts.chosen
    rung = LadderStep(entry.rung)
    step = rung_on(terms.ladder, rung)
    notes = (
        list(FacilitatorNote.objects.filter(entry=entry).order_by("created_at", "pk"))
        if access.facilitator
        else None
    )
    return ConflictPage(
        entry=entry, events=list(entry.events.all()), notes=notes, sides=sides_of(access, entry, user),
        estimate=estimate, level_words=LEVEL_WORDS[estimate.level], step=step, rung_words=RUNG_WORDS[rung],
        next_due=timezone.localdate(entry.rung_since) + datetime.timedelta(days=step.days),
        days_overdue=max(overdue, 0), repeats=repeats,
        approaches=[(side, a.value, APPROACH_WORDS[a]) for side, a in chosen], terms=terms,
    )  # fmt: skip
