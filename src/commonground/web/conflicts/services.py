"""Writes for the conflict log: one atomic transaction each, keyword-only arguments.

Each write adds a step to the entry's timeline (``ConflictEvent``). Writes that change what a form
showed (acknowledging, proposing, answering) go through ``records.update_if_current`` with the form's
``version``, so of two people proposing at once one wins and the other gets ``StaleEditError``.
Escalations (one rung up the ladder, core/alignment/escalation.py) happen once per reason: the event's
``escalation_key`` is unique per entry, and each one emails the partnership's admins and facilitators.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from commonground.core.agreement.how import DisputeStep, LadderStep
from commonground.core.alignment.escalation import (
    RUNG_WORDS,
    Escalation,
    Severity,
    Trigger,
    acknowledge_by,
    escalation_step,
    first_rung,
    rung_on,
)
from commonground.web.access import Action
from commonground.web.accounts.typing import User
from commonground.web.conflicts.emails import escalation_mail
from commonground.web.conflicts.models import (
    OPEN_STATES,
    ConflictEntry,
    ConflictEvent,
    ConflictState,
    EventKind,
    FacilitatorNote,
)
from commonground.web.conflicts.related import related_earlier
from commonground.web.conflicts.sides import ConflictError, other_side_organisation, sides_of
from commonground.web.conflicts.terms import partnership_terms
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import PartnershipStatus
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.partnerships.services import partnership_touch
from commonground.web.records import update_if_current

__all__ = [
    "ConflictError", "conflict_acknowledge", "conflict_answer", "conflict_message", "conflict_propose",
    "conflict_raise", "conflicts_escalate_overdue", "facilitator_note_add",
]  # fmt: skip

FACILITATOR_SIDE = "Facilitator"


def _text(value: str, what: str, limit: int = 4000) -> str:
    value = value.strip()
    if not value:
        raise ConflictError(f"Write {what}.")
    return value[:limit]


def _event(
    entry: ConflictEntry, kind: EventKind, *, user: User | None, side: str, text: str = "", rung: str = "",
    key: str = "",
) -> ConflictEvent:  # fmt: skip
    return ConflictEvent.objects.create(
        entry=entry, kind=kind, author=user, author_name=user.get_username() if user else "", side=side,
        text=text, rung=rung, escalation_key=key,
    )  # fmt: skip


def _scoped(access: PartnershipAccess, entry: ConflictEntry) -> QuerySet[ConflictEntry]:
    """The entry's row through the caller's scope. The state the write needs was checked on the entry
    as loaded; every write that changes that state moves the version on, so the version check of
    ``update_if_current`` refuses a write from a state that has gone (and names who changed it)."""
    return ConflictEntry.objects.filter(pk=entry.pk, partnership=access.partnership)


def _escalate(
    entry: ConflictEntry, *, ladder: tuple[DisputeStep, ...], triggers: tuple[Trigger, ...], key: str,
    user: User | None, side: str = "",
) -> Escalation | None:  # fmt: skip
    """One rung up for ``key`` (once per entry), from the rung the locked row holds now."""
    locked = ConflictEntry.objects.select_for_update().select_related("partnership").get(pk=entry.pk)
    step = escalation_step(ladder=ladder, rung=LadderStep(locked.rung), triggers=triggers)
    if step is None:
        return None
    to = step.to
    text = f"{RUNG_WORDS[step.from_rung]} → {RUNG_WORDS[to.step]}: {step.reason}."
    if to.who:
        text += f" Handled by {to.who}."
    try:
        with transaction.atomic():
            _event(locked, EventKind.ESCALATED, user=user, side=side, text=text, rung=to.step.value, key=key)
    except IntegrityError:  # escalated for this reason already (the daily job ran twice, or a race)
        return None
    now = timezone.now()
    ConflictEntry.objects.filter(pk=entry.pk).update(
        rung=to.step.value, rung_since=now, version=F("version") + 1, updated_at=now
    )
    entry.rung, entry.rung_since = to.step.value, now
    escalation_mail(locked, step, partnership_name=locked.partnership.name)
    return step


def conflict_raise(
    *, access: PartnershipAccess, user: User, organisation_id: int, title: str, description: str,
    category: str, severity: str, touches_kind: str = "", touches_ref: str = "", approach: str = "",
) -> ConflictEntry:  # fmt: skip
    """Raise an issue for one of the user's partner organisations; high severity or a repeat within 90
    days moves it one rung up at once."""
    if access.facilitator or not access.can_in(organisation_id, Action.EDIT):
        raise ConflictError("You raise an issue for a partner organisation whose member you are.")
    title, description = _text(title, "a title", 200), _text(description, "what the issue is")
    touches_ref = touches_ref.strip()[:300]
    if bool(touches_kind) != bool(touches_ref):
        raise ConflictError("Say both what kind of thing the issue touches and which one, or neither.")
    terms = partnership_terms(access.partnership)
    organisation = Organisation.objects.get(pk=organisation_id)
    with transaction.atomic():
        entry = ConflictEntry.objects.create(
            partnership=access.partnership, raised_by=user, raised_by_name=user.get_username(),
            raising_organisation=organisation, raising_organisation_name=organisation.name, title=title,
            description=description, category=category, severity=severity, touches_kind=touches_kind,
            touches_ref=touches_ref, raiser_approach=approach, rung=first_rung(terms.ladder).value,
            acknowledge_by=acknowledge_by(timezone.localdate(), Severity(severity)), updated_by=user,
        )  # fmt: skip
        _event(entry, EventKind.RAISED, user=user, side=organisation.name, text=description)
        triggers = []
        if severity == Severity.HIGH:
            triggers.append(Trigger.HIGH_SEVERITY)
        if related_earlier(entry).exists():
            triggers.append(Trigger.REPEATED)
        if triggers:
            key = "repeated" if Trigger.REPEATED in triggers else "high_severity"
            _escalate(
                entry,
                ladder=terms.ladder,
                triggers=tuple(triggers),
                key=key,
                user=user,
                side=organisation.name,
            )
        partnership_touch(access.partnership, user=user)
    entry.refresh_from_db()
    return entry


def conflict_acknowledge(
    *, access: PartnershipAccess, user: User, entry: ConflictEntry, expected_version: int, approach: str = ""
) -> None:
    """The other side says it has heard the issue (and, optionally, how it means to handle it)."""
    sides = sides_of(access, entry, user)
    if not sides.may_acknowledge:
        raise ConflictError(
            "Only a member of another partner acknowledges an issue, once."
            if entry.state == ConflictState.RAISED
            else "This issue is already acknowledged."
        )
    # Named for the organisation it answers for (someone in both partners answers for the other one).
    answering = other_side_organisation(access, entry)
    assert answering is not None  # may_acknowledge holds only for a member of another partner
    side = Organisation.objects.get(pk=answering).name
    with transaction.atomic():
        now = timezone.now()
        update_if_current(
            _scoped(access, entry),
            expected_version=expected_version, user=user, state=ConflictState.ACKNOWLEDGED,
            acknowledged_at=now, acknowledged_by=user, other_approach=approach,
        )  # fmt: skip
        words = f" Approach: {approach}." if approach else ""
        _event(entry, EventKind.ACKNOWLEDGED, user=user, side=side, text=f"Acknowledged for {side}.{words}")
        partnership_touch(access.partnership, user=user)


def _side_name(access: PartnershipAccess, entry: ConflictEntry, user: User) -> str:
    sides = sides_of(access, entry, user)
    if sides.facilitator:
        return FACILITATOR_SIDE
    if sides.on_raising_side:
        return entry.raising_organisation_name
    organisation_id = other_side_organisation(access, entry)
    return Organisation.objects.get(pk=organisation_id).name if organisation_id else ""


def conflict_message(
    *, access: PartnershipAccess, user: User, entry: ConflictEntry, text: str, exit_threatened: bool = False
) -> ConflictEvent:
    """Add a message to the dialogue; a message that records a threat to leave marks the entry so."""
    if not sides_of(access, entry, user).may_message:
        raise ConflictError("You cannot write to this issue's dialogue.")
    text = _text(text, "a message")
    with transaction.atomic():
        event = _event(entry, EventKind.MESSAGE, user=user, side=_side_name(access, entry, user), text=text)
        changes: dict[str, object] = {"updated_at": timezone.now()}
        if exit_threatened:
            changes["exit_threatened"] = True
        rows = ConflictEntry.objects.filter(pk=entry.pk, partnership=access.partnership)
        rows.filter(state__in=(ConflictState.ACKNOWLEDGED, ConflictState.ESCALATED)).update(
            state=ConflictState.IN_DIALOGUE
        )
        # No version change: a message never makes someone's open proposal form stale.
        rows.update(**changes)
    return event


def conflict_propose(
    *, access: PartnershipAccess, user: User, entry: ConflictEntry, expected_version: int, resolution: str,
    interests: str = "", options: str = "", criteria: str = "",
) -> None:  # fmt: skip
    """Put a resolution on the table (replacing any earlier one); ``StaleEditError`` when someone else
    proposed or answered since the form was loaded."""
    if not sides_of(access, entry, user).may_propose:
        raise ConflictError("A resolution is proposed by the partners once the issue is acknowledged.")
    resolution = _text(resolution, "the resolution you propose")
    side = _side_name(access, entry, user)
    with transaction.atomic():
        update_if_current(
            _scoped(access, entry),
            expected_version=expected_version, user=user, state=ConflictState.PROPOSED, resolution=resolution,
            resolution_interests=interests.strip()[:2000], resolution_options=options.strip()[:2000],
            resolution_criteria=criteria.strip()[:2000], proposed_by_name=user.get_username(),
        )  # fmt: skip
        parts = [resolution] + [
            f"{label}: {value.strip()}"
            for label, value in (("Interests", interests), ("Options", options), ("Criteria", criteria))
            if value.strip()
        ]
        _event(entry, EventKind.PROPOSED, user=user, side=side, text="\n\n".join(parts))
        partnership_touch(access.partnership, user=user)


def conflict_answer(
    *, access: PartnershipAccess, user: User, entry: ConflictEntry, expected_version: int, accept: bool,
    reason: str = "",
) -> Escalation | None:  # fmt: skip
    """The raiser accepts (resolved) or rejects (one rung up; at the top rung it stays rejected) the
    resolution on the table. Returns the escalation a rejection made, if any."""
    if not sides_of(access, entry, user).may_answer:
        raise ConflictError("Only the person who raised the issue answers a proposed resolution.")
    rows = _scoped(access, entry)
    side = entry.raising_organisation_name
    with transaction.atomic():
        now = timezone.now()
        if accept:
            update_if_current(
                rows,
                expected_version=expected_version,
                user=user,
                state=ConflictState.RESOLVED,
                resolved_at=now,
            )
            _event(entry, EventKind.ACCEPTED, user=user, side=side, text=reason.strip()[:4000])
            partnership_touch(access.partnership, user=user)
            return None
        update_if_current(
            rows, expected_version=expected_version, user=user, state=ConflictState.REJECTED,
            rejected_count=F("rejected_count") + 1, resolution="",  # off the table; the timeline keeps it
        )  # fmt: skip
        _event(entry, EventKind.REJECTED, user=user, side=side, text=reason.strip()[:4000])
        rejected = ConflictEntry.objects.values_list("rejected_count", flat=True).get(pk=entry.pk)
        step = _escalate(
            entry, ladder=partnership_terms(access.partnership).ladder, triggers=(Trigger.REJECTED,),
            key=f"rejected:{rejected}", user=user, side=side,
        )  # fmt: skip
        if step is not None:
            ConflictEntry.objects.filter(pk=entry.pk).update(state=ConflictState.ESCALATED)
        partnership_touch(access.partnership, user=user)
    return step


def facilitator_note_add(
    *, access: PartnershipAccess, user: User, entry: ConflictEntry, text: str
) -> FacilitatorNote:
    """A private note on an entry, read by the partnership's facilitators only."""
    if not access.facilitator or access.closed:
        raise ConflictError("Only the partnership's facilitators keep notes here, while it is open.")
    return FacilitatorNote.objects.create(
        entry=entry, author=user, author_name=user.get_username(), text=_text(text, "a note")
    )


def _due(
    entry: ConflictEntry, ladder: tuple[DisputeStep, ...], today: datetime.date
) -> tuple[str, Trigger] | None:
    """The first escalation the daily job owes this entry, as (key, trigger), if any."""
    keys = {event.escalation_key for event in entry.events.all()}
    late = entry.acknowledged_at is None and entry.acknowledge_by < today
    if late and "overdue:acknowledgement" not in keys:
        return "overdue:acknowledgement", Trigger.OVERDUE
    rung = LadderStep(entry.rung)
    ends = timezone.localdate(entry.rung_since) + datetime.timedelta(days=rung_on(ladder, rung).days)
    if ends < today and f"overdue:{rung.value}" not in keys:
        return f"overdue:{rung.value}", Trigger.OVERDUE
    if "repeated" not in keys and related_earlier(entry).exists():
        return "repeated", Trigger.REPEATED
    return None


def conflicts_escalate_overdue(*, today: datetime.date | None = None) -> int:
    """The daily job: move each open entry one rung for an overdue acknowledgement, a rung whose days
    ran out, or a repeat (at most one rung per entry per run; each reason once). Returns how many moved."""
    today = today or timezone.localdate()
    ladders: dict[int, tuple[DisputeStep, ...]] = {}
    moved = 0
    entries = (
        ConflictEntry.objects.filter(state__in=OPEN_STATES, partnership__status=PartnershipStatus.ACTIVE)
        .select_related("partnership")
        .prefetch_related("events")
        .order_by("pk")
    )
    for entry in entries:
        if entry.partnership_id not in ladders:
            ladders[entry.partnership_id] = partnership_terms(entry.partnership).ladder
        due = _due(entry, ladders[entry.partnership_id], today)
        if due is None:
            continue
        key, trigger = due
        with transaction.atomic():
            if _escalate(
                entry, ladder=ladders[entry.partnership_id], triggers=(trigger,), key=key, user=None
            ):
                moved += 1
    return moved
