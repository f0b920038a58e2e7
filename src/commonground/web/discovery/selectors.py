"""Reads for "find partners": the loaded directory, and an organisation's ranked matches in it.

The directory is files that ``commonground directory build`` wrote, named by the
``COMMONGROUND_DIRECTORY`` setting; the site never writes it. A ranking runs the assessment engine on
every listed organisation (about a second for 10), so each one is kept in Django's cache under the
organisation's profile version, the filters and the directory's manifest: reloading the page, or the
same filters again, reads the cache; a new ranking counts once against the assessment throttle.
The first stage is the directory's approximate index when it can be used (``first_stage.py``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils.http import urlencode

from commonground.core.directory.discovery import Discovery, Filters, discover, name_key
from commonground.core.directory.storage import Directory, DirectoryError, open_directory
from commonground.core.results import Verdict
from commonground.reports.charts import verdict_heading
from commonground.reports.numbers import score_text
from commonground.reports.summary import score_note
from commonground.web.accounts.typing import User
from commonground.web.discovery.first_stage import open_stage, search_line, stage_token
from commonground.web.organisations.models import Organisation
from commonground.web.organisations.selectors import OrgAccess
from commonground.web.partnerships.models import MemberState, PartnershipMember
from commonground.web.throttles import assessment_run_take

logger = logging.getLogger(__name__)
REASONS_SHOWN = 4
EVIDENCE_SHOWN = 2


class DirectoryUnavailable(Exception):
    """No directory is configured, or the configured one cannot be opened (logged with why)."""


class DiscoveryThrottled(Exception):
    """Too many rankings this hour; ``retry_after`` is in seconds."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Reason:
    """One reason behind a score, with the texts it rests on."""

    kind: str
    summary: str
    evidence: tuple[str, ...]

    @property
    def is_conflict(self) -> bool:
        """Whether this reason is a conflict (shown as a warning)."""
        return self.kind.startswith("conflict")


@dataclass(frozen=True)
class Hit:
    """A ranked organisation of the directory, as the page shows it (plain values: it is cached)."""

    rank: int
    name: str
    key: str
    score: float
    verdict: Verdict
    country: str
    region: str
    kind: str
    shared_sdgs: tuple[int, ...]
    marked: str  # why a strong red line marks it, or ""
    reasons: tuple[Reason, ...]
    score_note: str = ""  # why a low score is still workable, or ""
    # How the user already knows it on this site ("one of your organisations"), or "": set per user by
    # hits_known_here, never cached with the ranking.
    here: str = ""

    @property
    def score_shown(self) -> str:
        """The score as every assessment page shows it: a whole number rounded half up ("69")."""
        return score_text(self.score)

    @property
    def verdict_shown(self) -> str:
        """The verdict beside its score: "Workable, weak fit" under 40, else the verdict ("At risk")."""
        return verdict_heading(self.verdict, self.score)

    @property
    def register_key(self) -> str:
        """The register's number (e.g. GB-CHC-…) when the source had one, else ""."""
        return "" if self.key == self.name.casefold() else self.key

    @property
    def invite_query(self) -> str:
        """The query string that prefills the "start a partnership" form for this organisation."""
        where = f", {self.register_key}" if self.register_key else ""
        invite = (
            "It is already on this site: invite one of its admins by email."
            if self.here
            else "Invite someone from it by email."
        )
        return urlencode(
            {
                "name": f"Partnership with {self.name}"[:200],
                "description": (
                    f"{self.name}{where} was found with Find partners ({self.score_shown}/100, "
                    f"{self.verdict_shown.lower()}). {invite}"
                ),
            }
        )


@dataclass(frozen=True)
class LeftOut:
    """An organisation left out or marked, and why."""

    name: str
    action: str
    why: str


@dataclass(frozen=True)
class Found:
    """A ranking: hits best first, those left out or marked, how many the filters kept."""

    hits: tuple[Hit, ...] = ()
    excluded: tuple[LeftOut, ...] = ()
    considered: int = 0
    directory_count: int = 0
    search_mode: str = "exact"  # or "approximate": which first stage ranked the directory
    search_line: str = ""  # which search ran and why, in one line
    cached: bool = field(default=False, compare=False)


_opened: dict[str, tuple[str, Directory]] = {}
_opened_lock = threading.Lock()


def directory_configured() -> bool:
    """Whether the site's administrators named a directory (``COMMONGROUND_DIRECTORY``)."""
    return bool(settings.DISCOVERY_DIRECTORY)


def manifest_version(directory: Directory) -> str:
    """A short digest of the manifest: it changes with every build, add, remove or compact."""
    text = json.dumps(directory.manifest, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def loaded_directory() -> Directory:
    """The configured directory, opened once per process and again whenever its manifest changes."""
    if not directory_configured():
        raise DirectoryUnavailable("no directory is configured")
    path = Path(settings.DISCOVERY_DIRECTORY)
    try:
        current = open_directory(path)  # reads only the manifest and maps the arrays: cheap
    except DirectoryError as exc:
        logger.error("the directory of organisations cannot be opened: %s", exc)
        raise DirectoryUnavailable(str(exc)) from exc
    version = manifest_version(current)
    with _opened_lock:
        known = _opened.get(str(path))
        if known is not None and known[0] == version:
            return known[1]  # keeps its summaries and records files open, read once
        _opened[str(path)] = (version, current)
    return current


def _cache_key(access: OrgAccess, directory: Directory, filters: Filters, top: int, stage: str) -> str:
    wanted = json.dumps(
        [sorted(filters.countries), sorted(filters.kinds), sorted(filters.sdgs), top, stage],
        separators=(",", ":"),
    )
    organisation = access.organisation
    return (
        f"discovery:{organisation.pk}:{organisation.version}:{manifest_version(directory)}:"
        f"{hashlib.sha256(wanted.encode()).hexdigest()[:16]}"
    )


def _take_a_run(*, access: OrgAccess, user: User) -> None:
    refused = assessment_run_take(user_id=user.pk, organisation_ids=[access.organisation.pk])
    if refused is None:
        return
    who = "you" if refused.by_account else "your organisation's members"
    minutes = max(1, -(-refused.wait // 60))
    raise DiscoveryThrottled(
        f"Too many assessments: {who} may run at most {refused.count} an hour (a new ranking of partners "
        f"counts as one). Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
        retry_after=refused.wait,
    )


def _words(name: str) -> str:
    return name.replace("_", " ")


def _as_found(found: Discovery, *, directory_count: int, search_line: str) -> Found:
    hits = []
    for rank, match in enumerate(found.results, start=1):
        record = match.candidate.record
        marked = match.candidate.mark or ""
        hits.append(
            Hit(
                rank=rank,
                name=record.name,
                key=record.key,
                score=match.assessment.score,
                verdict=match.assessment.verdict,
                country=record.country or "",
                region=record.region or "",
                kind=_words(record.kind),
                shared_sdgs=match.candidate.shared_sdgs,
                marked=marked,
                reasons=tuple(
                    Reason(r["kind"], r["summary"], tuple(r["evidence"][:EVIDENCE_SHOWN]))
                    for r in match.reasons()[:REASONS_SHOWN]
                ),
                score_note=score_note(match.assessment),
            )
        )
    return Found(
        hits=tuple(hits),
        excluded=tuple(LeftOut(e.name, e.action, e.why) for e in found.excluded),
        considered=found.considered,
        directory_count=directory_count,
        search_mode=found.search_mode,
        search_line=search_line,
    )


def hits_known_here(*, access: OrgAccess, user: User, found: Found) -> Found:
    """``found`` with each hit the user already knows on this site said so (two queries; none without hits).

    A hit is matched by its name, case and spacing aside (``discovery.name_key``, as the ranking knows
    the seeker in a register's capitals), against the organisations the user already sees here: their
    own (any role), then the active partners of this organisation's partnerships. Nothing else is looked
    up: like an emailed invitation, which never says whether an address has an account, the page does
    not tell who else has one, so any other hit says nothing about accounts.
    """
    if not found.hits:
        return found
    known: dict[str, str] = {}
    own = Organisation.objects.filter(memberships__user=user).order_by("name", "pk").values_list("name")
    for (name,) in own:
        known.setdefault(name_key(name), "one of your organisations")
    partners = (
        PartnershipMember.objects.filter(
            state=MemberState.ACTIVE,
            partnership__members__organisation=access.organisation,
            partnership__members__state=MemberState.ACTIVE,
        )
        .exclude(organisation=access.organisation)
        .order_by("partnership__name", "partnership_id")
        .values_list("organisation__name", "partnership__name")
    )
    for name, partnership in partners:
        known.setdefault(name_key(name), f"{access.organisation.name}'s partner in {partnership}")
    hits = tuple(replace(hit, here=known.get(name_key(hit.name), "")) for hit in found.hits)
    return replace(found, hits=hits)


def partners_find(*, access: OrgAccess, user: User, filters: Filters, top: int) -> Found:
    """The organisation's best ``top`` matches in the loaded directory: cached, or ranked now.

    Raises ``DirectoryUnavailable`` or ``DiscoveryThrottled`` (a new ranking over the hour's budget).
    """
    from commonground.core.semantics.engines import EngineError, get_engine

    directory = loaded_directory()
    stage = stage_token(directory)
    key = _cache_key(access, directory, filters, top, stage)
    cached: Found | None = cache.get(key)
    if cached is not None:
        return replace(cached, cached=True)
    try:
        engine = get_engine(directory.engine)
    except EngineError as exc:  # built with an engine this server does not have
        logger.error("the directory of organisations cannot be searched: %s", exc)
        raise DirectoryUnavailable(str(exc)) from exc
    _take_a_run(access=access, user=user)
    index, exact_why = open_stage(directory, stage)
    try:
        found = discover(
            access.organisation.get_profile(),
            directory,
            engine=engine,
            top=top,
            filters=filters,
            index=index,
        )
    except OSError as exc:
        # A rebuild or compaction replaced the directory's files while this ranking read them.
        logger.error("the directory of organisations changed while it was read: %s", exc)
        raise DirectoryUnavailable("the directory changed while it was read; try again") from exc
    line = search_line(found, exact_why=exact_why, filters=filters, directory_count=directory.count)
    result = _as_found(found, directory_count=directory.count, search_line=line)
    cache.set(key, result)
    return result
