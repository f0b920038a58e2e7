"""Permission-scoped reads for the stakeholder register; every read takes a ``PartnershipAccess``.

The register is computed, not stored: the active partners' current profiles are merged with
``core.stakeholders.merge_stakeholders`` (same name or near-synonym → one stakeholder, mean power
and interest), then the partnership's own entries are applied: an *adjustment* replaces a merged
stakeholder's ratings, an *addition* is a stakeholder no partner names. Quadrant, strategy and
salience class always come from ``core.stakeholders`` (never recomputed here by other rules).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.http import Http404

from commonground.core.results import StakeholderView
from commonground.core.semantics.engines import get_engine
from commonground.core.stakeholders import (
    STRATEGIES,
    merge_stakeholders,
    quadrant,
    salience,
    salience_attributes,
)
from commonground.reports.labels import QUADRANTS, word
from commonground.web.partnerships.selectors import PartnershipAccess, active_organisations
from commonground.web.stakeholders.models import RegisterEntry

ADDED = "Added in the register"  # the chart's legend entry for additions


def name_keys(name: str) -> frozenset[str]:
    """The case-folded parts of a (merged) name: "Parents / Families" → {"parents", "families"}."""
    return frozenset(part.strip().casefold() for part in name.split(" / ") if part.strip())


@dataclass(frozen=True)
class RegisterRow:
    """One stakeholder of the register as the page shows it."""

    view: StakeholderView  # the values shown (adjusted when an adjustment applies)
    named_by: tuple[str, ...]  # partners whose profiles name it (empty for an addition)
    merged: StakeholderView | None  # the partners' merged view, when partners name it
    entry: RegisterEntry | None  # the addition or adjustment, when there is one
    legitimacy: bool
    urgency: bool
    stance: str  # the register's stance, or the partners' stances summarised

    @property
    def key(self) -> str:
        """A stable id for the HTML row."""
        if self.entry is not None:
            return f"entry-{self.entry.pk}"
        digest = hashlib.sha256(self.view.name.casefold().encode()).hexdigest()[:12]
        return f"merged-{digest}"

    @property
    def quadrant_label(self) -> str:
        """Mendelow quadrant in words."""
        return word(QUADRANTS, self.view.quadrant)

    @property
    def salience_label(self) -> str:
        """Mitchell, Agle & Wood class in words."""
        return self.view.salience_class.replace("_", " ").capitalize()

    @property
    def source(self) -> str:
        """Where the row comes from, for people."""
        if self.entry is None:
            return "partners' profiles"
        if self.merged is not None:
            return "partners' profiles, re-rated for this partnership"
        if self.entry.is_adjustment:
            return "re-rated, but no partner names it any more"
        return "added in the register"


@dataclass(frozen=True)
class Register:
    """The whole register: rows, most salient first, and the partners in chart order."""

    rows: list[RegisterRow]
    partners: list[str]

    @property
    def views(self) -> list[StakeholderView]:
        """What the power–interest grid plots (additions under their own legend entry)."""
        return [row.view for row in self.rows]

    @property
    def chart_parties(self) -> list[str]:
        """Partner names, then the additions' legend entry when there are additions."""
        extra = [ADDED] if any(row.view.parties == [ADDED] for row in self.rows) else []
        return [*self.partners, *extra]

    def row_for_entry(self, entry_id: int) -> RegisterRow | None:
        """The row of one register entry."""
        return next((row for row in self.rows if row.entry is not None and row.entry.pk == entry_id), None)

    def row_for_merged(self, name: str) -> RegisterRow | None:
        """The partners' stakeholder called ``name`` as the page shows it, or sharing a name part with it."""
        partners = [row for row in self.rows if row.merged is not None]
        exact = next((row for row in partners if row.view.name == name), None)
        if exact is not None or not name_keys(name):
            return exact
        return next((row for row in partners if name_keys(row.view.name) & name_keys(name)), None)

    def taken_names(self, *, except_entry: int | None = None) -> frozenset[str]:
        """Case-folded name parts already in the register (so an addition does not duplicate a row)."""
        keys: set[str] = set()
        for row in self.rows:
            if row.entry is not None and row.entry.pk == except_entry:
                continue
            keys |= name_keys(row.view.name)
        return frozenset(keys)


def _rated(
    name: str, parties: list[str], power: float, interest: float, legitimacy: bool, urgency: bool,
    stances: dict[str, str],
) -> StakeholderView:  # fmt: skip
    q = quadrant(power, interest)
    cls, count = salience(power, legitimacy, urgency)
    return StakeholderView(
        name=name, parties=parties, power=power, interest=interest, quadrant=q, strategy=STRATEGIES[q],
        salience_class=cls, salience=count, stances=stances,
    )  # fmt: skip


def _partner_flags(view: StakeholderView) -> tuple[bool, bool]:
    """Legitimacy and urgency of a merged view as core decided them (either partner says so)."""
    # core folds them into the salience class, which determines them exactly; read them back from it.
    _, legitimacy, urgency = salience_attributes(view.salience_class)
    return legitimacy, urgency


def _stance_summary(stances: dict[str, str]) -> str:
    values = sorted(set(stances.values()))
    if not values:
        return ""
    if len(values) == 1:
        return values[0]
    return "; ".join(f"{party}: {stance}" for party, stance in sorted(stances.items()))


def _sort_key(row: RegisterRow) -> tuple[float, float, str]:
    v = row.view
    return (-v.salience, -(v.power + v.interest), v.name.casefold())


def register_build(*, access: PartnershipAccess) -> Register:
    """The partnership's register: partners' merged stakeholders with the register's entries applied.

    Queries: the active partner organisations (one) and the entries with their authors (one).
    """
    organisations = active_organisations(partnership=access.partnership)
    profiles = [organisation.get_profile() for organisation in organisations]
    partners = [profile.name for profile in profiles]
    merged = merge_stakeholders(profiles, engine=get_engine()) if profiles else []
    entries = list(
        RegisterEntry.objects.filter(partnership=access.partnership).select_related("added_by", "updated_by")
    )
    adjustments = [entry for entry in entries if entry.is_adjustment]
    used: set[int] = set()
    rows: list[RegisterRow] = []
    for view in merged:
        keys = name_keys(view.name)
        entry = next((e for e in adjustments if e.pk not in used and name_keys(e.merged_name) & keys), None)
        legitimacy, urgency = _partner_flags(view)
        if entry is None:
            rows.append(
                RegisterRow(view, tuple(view.parties), view, None, legitimacy, urgency,
                            _stance_summary(view.stances))
            )  # fmt: skip
            continue
        used.add(entry.pk)
        shown = _rated(
            view.name, view.parties, float(entry.power), float(entry.interest), entry.legitimacy,
            entry.urgency, view.stances,
        )  # fmt: skip
        rows.append(
            RegisterRow(shown, tuple(view.parties), view, entry, entry.legitimacy, entry.urgency,
                        entry.stance or _stance_summary(view.stances))
        )  # fmt: skip
    for entry in entries:
        if entry.pk in used:
            continue
        shown = _rated(
            entry.name,
            [ADDED],
            float(entry.power),
            float(entry.interest),
            entry.legitimacy,
            entry.urgency,
            {},
        )
        rows.append(RegisterRow(shown, (), None, entry, entry.legitimacy, entry.urgency, entry.stance))
    rows.sort(key=_sort_key)
    return Register(rows=rows, partners=partners)


def entry_get(*, access: PartnershipAccess, entry_id: int) -> RegisterEntry:
    """A register entry of the caller's partnership; 404 for another partnership's."""
    entry = (
        RegisterEntry.objects.select_related("updated_by", "added_by")
        .filter(pk=entry_id, partnership=access.partnership)
        .first()
    )
    if entry is None:
        raise Http404
    return entry
