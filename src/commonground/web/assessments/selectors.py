"""Permission-scoped reads for assessment snapshots: always inside a ``PartnershipAccess``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from commonground.reports.labels import possessive
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import MemberState, PartnershipMember
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
