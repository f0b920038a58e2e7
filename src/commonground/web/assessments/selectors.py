"""Permission-scoped reads for assessment snapshots: always inside a ``PartnershipAccess``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from commonground.reports.labels import possessive
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import MemberState, Partnership, PartnershipMember
from commonground.web.partnerships.selectors import PartnershipAccess


def snapshot_list(*, access: PartnershipAccess) -> QuerySet[AssessmentSnapshot]:
    """The partnership's snapshots, newest first, without their (large) result documents (one query)."""
    return (
        AssessmentSnapshot.objects.filter(partnership=access.partnership)
        .select_related("created_by")
        .defer("result", "initiatives")
        .order_by("-created_at", "-pk")
    )


def snapshot_get(*, access: PartnershipAccess, snapshot_id: int) -> AssessmentSnapshot:
    """One snapshot of the caller's partnership; 404 for another partnership's."""
    snapshot = (
        AssessmentSnapshot.objects.select_related("created_by")
        .filter(pk=snapshot_id, partnership=access.partnership)
        .first()
    )
    if snapshot is None:
        raise Http404
    return snapshot


def snapshot_page_get(*, access: PartnershipAccess, snapshot_id: int) -> AssessmentSnapshot:
    """Like ``snapshot_get`` for the snapshot page: without the result, which its stored body replaces.

    Reading a deferred ``result`` (a snapshot stored without a current body) costs one more query.
    """
    snapshot = (
        AssessmentSnapshot.objects.select_related("created_by")
        .defer("result", "initiatives")
        .filter(pk=snapshot_id, partnership=access.partnership)
        .first()
    )
    if snapshot is None:
        raise Http404
    return snapshot


def snapshot_latest(*, access: PartnershipAccess) -> AssessmentSnapshot | None:
    """The most recent snapshot of the caller's partnership, if any (without its result)."""
    return snapshot_list(access=access).first()


PORTFOLIO_PAGE_SIZE = 25  # a screen or two: people read a portfolio a page at a time


@dataclass(frozen=True)
class PortfolioRow:
    """One partnership of an organisation with the figures of its latest assessment.

    The ``*_text`` cells and ``url`` are formatted once here: the table prints them as they are,
    which keeps a page of rows cheap to render.
    """

    partnership_id: int
    name: str
    partners: list[str]
    score: float | None
    verdict: str | None
    open_conflicts: int | None
    assessed_at: datetime | None
    url: str = ""
    partners_text: str = ""
    score_text: str = "—"
    verdict_text: str = "not assessed"
    conflicts_text: str = "—"
    assessed_text: str = "—"


def _whole_number(score: float) -> str:
    """``score`` rounded half up to a whole number, as ``|floatformat:0`` prints it (20.5 -> "21")."""
    rounded = Decimal(repr(score)).quantize(Decimal(1), rounding=ROUND_HALF_UP) + 0  # + 0: no "-0"
    return str(rounded)


def _portfolio_row(row: Sequence[Any], partners: list[str], url_pattern: str) -> PortfolioRow:
    partnership_id, name, score, verdict, conflicts, at = row
    return PortfolioRow(
        partnership_id=partnership_id,
        name=name,
        partners=partners,
        score=score,
        verdict=verdict,
        open_conflicts=conflicts,
        assessed_at=at,
        url=url_pattern.replace(_URL_PLACEHOLDER, str(partnership_id)),
        partners_text=", ".join(partners),
        score_text="—" if score is None else _whole_number(score),
        verdict_text=verdict or "not assessed",
        conflicts_text="—" if conflicts is None else str(conflicts),
        assessed_text="—" if at is None else timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
    )


# A partnership id no URL has: the detail URL is reversed once per page and each row's id put in its place.
_URL_PLACEHOLDER = "2147483647"


class _PortfolioRows:
    """The organisation's active partnerships with their latest snapshot's figures, for a ``Paginator``.

    Plain SQL (portable: SQLite and PostgreSQL) because this is the busiest list in the workspace and
    the ORM spent four times as long composing the four "latest snapshot" subqueries as the database
    spent running them. ``count()`` is one query and a slice is one query, as with a queryset.
    """

    def __init__(self, organisation: Organisation) -> None:
        self.organisation_id = organisation.pk

    def _tables(self) -> dict[str, str]:
        quote = connection.ops.quote_name
        return {
            "partnership": quote(Partnership._meta.db_table),
            "member": quote(PartnershipMember._meta.db_table),
            "snapshot": quote(AssessmentSnapshot._meta.db_table),
            "organisation": quote(Organisation._meta.db_table),
        }

    def count(self) -> int:
        """How many active partnerships the organisation has."""
        sql = "SELECT COUNT(*) FROM {member} m WHERE m.organisation_id = %s AND m.state = %s"
        with connection.cursor() as cursor:
            cursor.execute(sql.format(**self._tables()), [self.organisation_id, MemberState.ACTIVE.value])
            return int(cursor.fetchone()[0])

    def __getitem__(self, window: slice) -> list[tuple[Any, ...]]:
        """Rows ``(pk, name, score, verdict, open_conflicts, created_at)`` by name, pk; figures None when
        the partnership has no snapshot. The latest snapshot is found as ``snapshot_latest`` finds it."""
        start, stop = window.start or 0, window.stop
        sql = (
            "SELECT p.id, p.name, s.score, s.verdict, s.open_conflicts, s.created_at"
            " FROM {partnership} p INNER JOIN {member} m ON m.partnership_id = p.id"
            " LEFT OUTER JOIN {snapshot} s ON s.id = ("
            "SELECT l.id FROM {snapshot} l WHERE l.partnership_id = p.id"
            " ORDER BY l.created_at DESC, l.id DESC LIMIT 1)"
            " WHERE m.organisation_id = %s AND m.state = %s"
            " ORDER BY p.name ASC, p.id ASC LIMIT %s OFFSET %s"
        )
        params = [self.organisation_id, MemberState.ACTIVE.value, stop - start, start]
        with connection.cursor() as cursor:
            cursor.execute(sql.format(**self._tables()), params)
            rows = cursor.fetchall()
        # What the ORM would do to the timestamp column (SQLite returns text, PostgreSQL datetimes).
        field = AssessmentSnapshot._meta.get_field("created_at")
        column = field.get_col(AssessmentSnapshot._meta.db_table)
        converters = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        converted = []
        for row in rows:
            at = row[5]
            for convert in converters:
                at = convert(at, column, connection)
            converted.append((*row[:5], at))
        return converted

    def partner_names(self, partnership_ids: list[int]) -> list[tuple[int, str]]:
        """``(partnership id, organisation name)`` of the active partners of ``partnership_ids``, by name
        (plain SQL for the same reason as the rows: composing it cost the ORM more than running it)."""
        marks = ", ".join(["%s"] * len(partnership_ids))
        sql = (
            "SELECT m.partnership_id, o.name FROM {member} m"
            " INNER JOIN {organisation} o ON o.id = m.organisation_id"
            " WHERE m.partnership_id IN ({marks}) AND m.state = %s ORDER BY o.name ASC"
        )
        with connection.cursor() as cursor:
            params: list[int | str] = [*partnership_ids, MemberState.ACTIVE.value]
            cursor.execute(sql.format(marks=marks, **self._tables()), params)
            return [(int(pk), str(name)) for pk, name in cursor.fetchall()]


@dataclass(frozen=True)
class PortfolioPage:
    """One page of an organisation's portfolio: its rows and the paginator's page (numbers, links)."""

    rows: list[PortfolioRow]
    page: Page[Any]


def portfolio_page(*, organisation: Organisation, page_number: Any = 1) -> PortfolioPage:
    """One page of the organisation's active partnerships, by name, with their latest snapshot's figures.

    Three queries whatever the page size: the count, the page's rows (latest figures through one
    subquery on the ``snapshot_latest`` index) and the page's partner names. An invalid or out-of-range
    page number gives the first or last page.
    """
    # Paginator needs only count() and slicing, which _PortfolioRows has (the stubs ask for a Sequence).
    rows_source: Any = _PortfolioRows(organisation)
    page: Page[Any] = Paginator(rows_source, PORTFOLIO_PAGE_SIZE).get_page(page_number)
    rows = list(page.object_list)
    names: dict[int, list[str]] = {row[0]: [] for row in rows}
    if names:
        for partnership_id, name in rows_source.partner_names(list(names)):
            names[partnership_id].append(name)
    url_pattern = reverse("partnerships:detail", kwargs={"pk": int(_URL_PLACEHOLDER)})
    return PortfolioPage(rows=[_portfolio_row(row, names[row[0]], url_pattern) for row in rows], page=page)


@dataclass(frozen=True)
class ProfileChanged:
    """A partner whose profile changed after a snapshot used it: the version used and the current one."""

    organisation_id: int
    name: str
    used_version: int
    current_version: int


@dataclass(frozen=True)
class Staleness:
    """How a snapshot's inputs differ from the partnership today: profiles changed, partners in or out."""

    changed: tuple[ProfileChanged, ...] = ()
    joined: tuple[str, ...] = ()
    left: tuple[str, ...] = ()

    @property
    def stale(self) -> bool:
        """Whether a new assessment would start from other inputs."""
        return bool(self.changed or self.joined or self.left)

    @property
    def reasons(self) -> list[str]:
        """What changed, one clause each: "Meadowgate Supermarkets' profile changed (version 2, now 3)"."""
        clauses = [
            f"{possessive(c.name)} profile changed (version {c.used_version}, now {c.current_version})"
            for c in self.changed
        ]
        clauses += [f"{name} joined the partnership" for name in self.joined]
        clauses += [f"{name} is no longer a partner" for name in self.left]
        return clauses


def _current_partners(partnership_ids: list[int]) -> dict[int, list[Organisation]]:
    """The active partner organisations of each partnership (one query)."""
    partners: dict[int, list[Organisation]] = {pk: [] for pk in partnership_ids}
    members = PartnershipMember.objects.filter(
        partnership_id__in=partnership_ids, state=MemberState.ACTIVE
    ).select_related("organisation")
    for member in members:
        partners[member.partnership_id].append(member.organisation)
    return partners


def _staleness(snapshot: AssessmentSnapshot, partners: list[Organisation]) -> Staleness:
    used = {entry["organisation_id"]: entry for entry in snapshot.profile_versions}
    now = {organisation.pk: organisation for organisation in partners}
    changed = []
    for organisation_id, organisation in sorted(now.items(), key=lambda item: item[1].name):
        entry = used.get(organisation_id)
        if entry is None or entry["version"] == organisation.version:
            continue
        # A version can move without the profile's content changing (a restore of the same text):
        # only a different profile makes the assessment out of date.
        if entry.get("fingerprint") != organisation.get_profile().fingerprint():
            changed.append(
                ProfileChanged(organisation_id, organisation.name, entry["version"], organisation.version)
            )
    # Snapshots stored before profile versions were recorded have none: nothing to compare them with.
    if not used:
        return Staleness(changed=tuple(changed))
    return Staleness(
        changed=tuple(changed),
        joined=tuple(sorted(o.name for pk, o in now.items() if pk not in used)),
        left=tuple(sorted(str(entry["name"]) for pk, entry in used.items() if pk not in now)),
    )


def snapshot_staleness(*, access: PartnershipAccess, snapshot: AssessmentSnapshot) -> Staleness:
    """Whether a snapshot of the caller's partnership is out of date, and why (one query)."""
    if snapshot.partnership_id != access.partnership.pk:
        raise Http404
    return _staleness(snapshot, _current_partners([snapshot.partnership_id])[snapshot.partnership_id])


def stale_snapshot_ids(*, snapshot_ids: Sequence[int]) -> set[int]:
    """Of ``snapshot_ids``, the snapshots made from older profiles or other partners than today's.

    For lists of many partnerships (the portfolio's latest snapshot per row): two queries whatever
    the number of ids. It reads no finding, only versions, so the caller passes ids of snapshots it
    has already been allowed to see (e.g. the rows of ``portfolio_page``).
    """
    snapshots = list(
        AssessmentSnapshot.objects.filter(pk__in=snapshot_ids).only(
            "pk", "partnership_id", "profile_versions"
        )
    )
    partners = _current_partners(sorted({snapshot.partnership_id for snapshot in snapshots}))
    return {s.pk for s in snapshots if _staleness(s, partners[s.partnership_id]).stale}
