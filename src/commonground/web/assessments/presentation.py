"""What the assessment pages show, built from a stored snapshot only (the engine never runs here).

The page body renders the report sections of :mod:`commonground.reports.sections`, the same ones the
HTML download renders, so the page and the download show the same findings in the same order under
the same captions. ``snapshot_body`` gives that body (stored with the snapshot when it is taken, see
``body_fields``); ``snapshot_comparison`` sets two snapshots side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from commonground import reports
from commonground.core.results import AssessmentResult, Conflict
from commonground.reports.about import About, ProfileUsed, download_name
from commonground.reports.blocks import Finding, conflict_finding
from commonground.reports.charts.gauge import verdict_word
from commonground.reports.labels import COMPONENTS, word
from commonground.reports.numbers import delta_text, score_text
from commonground.reports.sections import assessment_report
from commonground.web.assessments.models import AssessmentSnapshot


def stored_result(snapshot: AssessmentSnapshot) -> AssessmentResult:
    """The snapshot's stored result as the engine's model (parsed, never recomputed)."""
    return AssessmentResult.model_validate(snapshot.result)


def snapshot_about(snapshot: AssessmentSnapshot) -> About:
    """The snapshot's date and the profile versions it used, for its page and its downloads."""
    return About(
        assessed_on=timezone.localtime(snapshot.created_at).date(),
        profiles=tuple(
            ProfileUsed(
                name=str(entry["name"]), version=int(entry["version"]), fingerprint=str(entry["fingerprint"])
            )
            for entry in snapshot.profile_versions
        ),
    )


def snapshot_parties(snapshot: AssessmentSnapshot) -> list[str]:
    """The partners the snapshot assessed, from its recorded profiles (no need to read the result)."""
    return [str(entry["name"]) for entry in snapshot.profile_versions] or [snapshot.partnership.name]


@dataclass(frozen=True)
class Download:
    """One download of a snapshot: the URL's format name, what people call it, the file's name."""

    fmt: str
    label: str
    filename: str


# The formats a snapshot page offers, in the order of its buttons (all registered in reports/).
DOWNLOAD_FORMATS = ("summary-pdf", "summary", "html", "json")


def snapshot_downloads(snapshot: AssessmentSnapshot) -> list[Download]:
    """The snapshot's downloads, each named for the partners and the date."""
    about, parties = snapshot_about(snapshot), snapshot_parties(snapshot)
    downloads = []
    for fmt in DOWNLOAD_FORMATS:
        info = reports.format_info(fmt)
        what = "board-summary" if fmt.startswith("summary") else ""
        downloads.append(
            Download(fmt, info.label, download_name(parties, about.assessed_on, info.extension, what=what))
        )
    return downloads


# Bump when _snapshot_body.html (or a template it includes) or reports.sections changes what the body
# shows: stored bodies of another format are then rendered afresh from the stored result on each view
# (correct, only slower). 3: the body renders the report sections shared with the HTML download;
# 4: it leads with the verdict sentence and folds the details; 5: wide tables scroll in their own box
# and the verdict sentence's box is .verdict-lead (.verdict is the site's verdict badge).
BODY_FORMAT = 5
BODY_TEMPLATE = "assessments/_snapshot_body.html"


def result_body_html(result: AssessmentResult) -> str:
    """The snapshot page's body for ``result``: the same for every reader (no URLs, no CSRF token)."""
    return render_to_string(BODY_TEMPLATE, {"report": assessment_report(result)})


def body_fields(result: AssessmentResult) -> dict[str, Any]:
    """``body_html`` and ``body_format`` to store with a new snapshot of ``result``."""
    return {"body_html": result_body_html(result), "body_format": BODY_FORMAT}


def snapshot_body(snapshot: AssessmentSnapshot) -> SafeString:
    """The page body: the one stored with the snapshot, or rendered from its result if stale or absent."""
    if snapshot.body_format == BODY_FORMAT and snapshot.body_html:
        # Rendered by our template with autoescaping when the snapshot was stored; never user input.
        return mark_safe(snapshot.body_html)  # noqa: S308
    return mark_safe(result_body_html(stored_result(snapshot)))  # noqa: S308


@dataclass(frozen=True)
class ProfileChange:
    """How one organisation's profile differs between two snapshots."""

    name: str
    before: str
    after: str
    changed: bool


@dataclass(frozen=True)
class Comparison:
    """Two snapshots side by side: ``before`` is the older one."""

    before: AssessmentSnapshot
    after: AssessmentSnapshot
    score_before: str
    score_after: str
    score_delta: str
    verdict_before: str
    verdict_after: str
    components: list[tuple[str, str, str, str]]  # label, before, after, delta
    conflicts_added: list[Finding]
    conflicts_removed: list[Finding]
    profiles: list[ProfileChange]


def _conflict_key(conflict: Conflict) -> tuple[str, str, tuple[str, ...], str]:
    return (str(conflict.kind), str(conflict.severity), tuple(sorted(conflict.parties)), conflict.summary)


def _version_label(entry: dict[str, Any] | None) -> str:
    if entry is None:
        return "not a partner"
    return f"version {entry['version']} ({entry['fingerprint']})"


def snapshot_comparison(first: AssessmentSnapshot, second: AssessmentSnapshot) -> Comparison:
    """Compare two stored snapshots (oldest first, whatever order they are given in)."""
    before, after = sorted((first, second), key=lambda snapshot: (snapshot.created_at, snapshot.pk))
    old, new = stored_result(before), stored_result(after)
    old_components, new_components = old.components.model_dump(), new.components.model_dump()
    old_keys = {_conflict_key(c): c for c in old.conflicts}
    new_keys = {_conflict_key(c): c for c in new.conflicts}
    old_versions = {entry["organisation_id"]: entry for entry in before.profile_versions}
    new_versions = {entry["organisation_id"]: entry for entry in after.profile_versions}
    profiles = []
    for organisation_id in sorted(set(old_versions) | set(new_versions)):
        a, b = old_versions.get(organisation_id), new_versions.get(organisation_id)
        name = (b or a or {}).get("name", "?")
        changed = (
            a is None or b is None or a["fingerprint"] != b["fingerprint"] or a["version"] != b["version"]
        )
        profiles.append(
            ProfileChange(name=name, before=_version_label(a), after=_version_label(b), changed=changed)
        )
    profiles.sort(key=lambda change: change.name)
    return Comparison(
        before=before,
        after=after,
        score_before=score_text(old.score),
        score_after=score_text(new.score),
        score_delta=delta_text(old.score, new.score),
        verdict_before=verdict_word(old.verdict),
        verdict_after=verdict_word(new.verdict),
        components=[
            (
                word(COMPONENTS, key),
                score_text(old_components[key]),
                score_text(new_components[key]),
                delta_text(old_components[key], new_components[key]),
            )
            for key in old_components
        ],
        conflicts_added=[conflict_finding(c) for key, c in new_keys.items() if key not in old_keys],
        conflicts_removed=[conflict_finding(c) for key, c in old_keys.items() if key not in new_keys],
        profiles=profiles,
    )
