"""Writes of the network survey: opening a round, an organisation's answer about another, closing.

Each function runs one transaction; a rule a form cannot check raises ``NetworkError``, whose
message is shown to the user. Admins and owners of a partner organisation open and close rounds
(as they do check-ins); an organisation's answers are written only by its own members and admins
(a viewer reads them), one answer per pair and round, and only while the round is open.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from commonground.web.access import Action
from commonground.web.accounts.typing import User
from commonground.web.networks.models import SURVEY_MAX_ORGANISATIONS, NetworkAnswer, NetworkRound, RoundState
from commonground.web.networks.results import round_document
from commonground.web.networks.selectors import active_partner_organisations, round_progress
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.partnerships.services import partnership_touch, shared_material_record
from commonground.web.records import update_if_current


class NetworkError(Exception):
    """A network survey write refused for a reason the user can act on."""


def _require_manager(access: PartnershipAccess) -> None:
    if access.facilitator or not access.can_manage:
        raise NetworkError("Only the partners' admins and owners open and close network survey rounds.")
    if access.closed:
        raise NetworkError("This partnership is closed: its network survey is kept as a record.")


def round_open(*, access: PartnershipAccess, user: User, label: str, date: datetime.date) -> NetworkRound:
    """Open a round asking every active partner organisation about each other one."""
    _require_manager(access)
    with transaction.atomic():
        organisations = active_partner_organisations(access=access)
        if len(organisations) < 2:
            raise NetworkError("A network survey needs at least two partner organisations.")
        if len(organisations) > SURVEY_MAX_ORGANISATIONS:
            raise NetworkError(
                f"This partnership has {len(organisations)} partner organisations; a network survey "
                f"asks at most {SURVEY_MAX_ORGANISATIONS}."
            )
        if NetworkRound.objects.filter(partnership=access.partnership, state=RoundState.OPEN).exists():
            raise NetworkError("A round is already open: close it before opening the next.")
        if NetworkRound.objects.filter(partnership=access.partnership, label=label).exists():
            raise NetworkError(f"There is already a round called {label!r}: choose another name.")
        try:
            with transaction.atomic():
                survey_round = NetworkRound.objects.create(
                    partnership=access.partnership,
                    label=label,
                    date=date,
                    organisations=[{"id": str(org.pk), "name": org.name} for org in organisations],
                    opened_by=user,
                )
        except IntegrityError:  # another admin opened one at the same moment
            raise NetworkError("A round was opened meanwhile: load the page again.") from None
        partnership_touch(access.partnership, user=user)
        shared_material_record(access.partnership, user=user, comment=f"Opened network survey round {label}")
    return survey_round


class FewAnswered(NetworkError):
    """Closing a round fewer than half the organisations answered needs the manager's confirmation.

    ``started`` organisations of the ``asked`` have answered: the page and the API word it each their
    own way (a box to tick, a field to send).
    """

    def __init__(self, message: str, *, started: int, asked: int) -> None:
        super().__init__(message)
        self.started = started
        self.asked = asked


def few_answered_warning(started: int, asked: int) -> str:
    """Why the round was not closed: how many organisations answered, and how to close it anyway."""
    verb = "has" if started == 1 else "have"
    return (
        f"The round is still open: only {started} of {asked} organisations {verb} answered. Closing it "
        "freezes the results on their answers alone; tick the box beside the button to close it anyway."
    )


def round_close(
    *, access: PartnershipAccess, user: User, survey_round: NetworkRound, confirmed: bool = False
) -> NetworkRound:
    """Close an open round: its answers are frozen and its results shown to the partnership.

    A round that fewer than half the organisations answered closes only when ``confirmed``
    (:class:`FewAnswered` otherwise): its results would rest on a few answers alone.
    """
    _require_manager(access)
    with transaction.atomic():
        # The partnership first, then the round: the order the partnership's closing locks them in
        # (rounds_close_with), so the two cannot wait on each other.
        Partnership.objects.select_for_update().filter(pk=access.partnership.pk).first()
        # Locked like answer_save locks it: no answer lands between the close and the freeze.
        current = (
            NetworkRound.objects.select_for_update()
            .filter(pk=survey_round.pk, partnership=access.partnership, state=RoundState.OPEN)
            .first()
        )
        if current is None:
            raise NetworkError("This round is already closed.")
        # Counted under the lock, so no answer lands between the count and the freeze.
        progress = round_progress(survey_round=current)
        if progress.few_answered and not confirmed:
            raise FewAnswered(
                few_answered_warning(progress.started, progress.asked),
                started=progress.started,
                asked=progress.asked,
            )
        round_freeze(survey_round=current, user=user)
        partnership_touch(access.partnership, user=user)
        shared_material_record(
            access.partnership, user=user, comment=f"Closed network survey round {survey_round.label}"
        )
    survey_round.refresh_from_db()
    return survey_round


def rounds_close_with(*, partnership: Partnership, user: User | None, **_signal: object) -> None:
    """Close the partnership's open round as the partnership closes (``partnerships.signals``).

    A closed partnership is read only for every role, so a round left open then could never be closed:
    its answers would never become results. Closed here, in the closing's transaction, it is kept as
    the partnership's record with its results, like a round its admins closed.
    """
    for survey_round in NetworkRound.objects.select_for_update().filter(
        partnership=partnership, state=RoundState.OPEN
    ):
        round_freeze(survey_round=survey_round, user=user)
        shared_material_record(
            partnership,
            user=user,
            comment=f"Closed network survey round {survey_round.label} with the partnership",
        )


def round_freeze(*, survey_round: NetworkRound, user: User | None) -> None:
    """Close the round and store its answers in it as a survey round (inside the caller's transaction)."""
    NetworkRound.objects.filter(pk=survey_round.pk).update(
        state=RoundState.CLOSED, closed_by=user, closed_at=timezone.now(), frozen=round_document(survey_round)
    )


@dataclass(frozen=True)
class Rating:
    """The 1–4 answers about an organisation one works with (``frequency`` optional)."""

    level: int
    frequency: int | None
    power: int
    involvement: int
    resources: int
    reliable: int
    mission: int
    open: int

    def problems(self) -> list[str]:
        """Each answer outside 1–4, by name."""
        values = {k: v for k, v in vars(self).items() if v is not None or k != "frequency"}
        return [name for name, value in values.items() if not isinstance(value, int) or not 1 <= value <= 4]


def answer_save(
    *,
    access: PartnershipAccess,
    user: User,
    survey_round: NetworkRound,
    by_id: int,
    about_id: int,
    rating: Rating | None,
    expected_version: int | None,
) -> NetworkAnswer:
    """Save ``by_id``'s answer about ``about_id``: ``rating`` None says they do not work together.

    A first answer has ``expected_version`` None; a change carries the version the form was loaded at,
    and raises ``records.StaleEditError`` when a colleague saved first.
    """
    if not access.can_in(by_id, Action.EDIT):
        raise NetworkError("Only the members of an organisation answer for it.")
    asked = set(survey_round.organisation_ids())
    if by_id not in asked or about_id not in asked:
        raise NetworkError("That organisation is not part of this round.")
    if by_id == about_id:
        raise NetworkError("An organisation does not rate itself.")
    if rating is not None and rating.problems():
        raise NetworkError(f"Each answer is from 1 to 4: check {', '.join(rating.problems())}.")
    fields: dict[str, object] = {"works_with": rating is not None}
    for name in ("level", "frequency", "power", "involvement", "resources", "reliable", "mission", "open"):
        fields[name] = getattr(rating, name) if rating is not None else None
    with transaction.atomic():
        # Locked so that a close cannot slip in between the check and the write.
        current = NetworkRound.objects.select_for_update().filter(pk=survey_round.pk).first()
        if current is None or not current.is_open:
            raise NetworkError("This round is closed: its answers can no longer change.")
        rows = NetworkAnswer.objects.filter(round=survey_round, by_id=by_id, about_id=about_id)
        if expected_version is None:
            try:
                with transaction.atomic():
                    return NetworkAnswer.objects.create(
                        round=survey_round, by_id=by_id, about_id=about_id, updated_by=user, **fields
                    )
            except IntegrityError:
                raise NetworkError(
                    "A colleague answered about this organisation meanwhile: load the page again."
                ) from None
        update_if_current(rows, expected_version=expected_version, user=user, **fields)
        return rows.get()
