"""What the assessment pages show, built from a stored snapshot only (the engine never runs here).

``result_view`` turns a stored result into words and charts; ``snapshot_body`` gives the page body
drawn from it (stored with the snapshot when it is taken, see ``body_fields``); ``snapshot_comparison``
sets two snapshots side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from commonground.core.results import AssessmentResult, Conflict
from commonground.reports.charts import (
    goal_heatmap,
    power_interest_grid,
    score_gauge,
    sdg_overlap,
    shared_value_matrix,
    values_chart,
)
from commonground.reports.charts.gauge import verdict_word
from commonground.reports.labels import (
    COMPONENTS,
    CONFLICT_KINDS,
    SEVERITIES,
    SYNERGY_KINDS,
    score_text,
    word,
)
from commonground.web.assessments.models import AssessmentSnapshot


def stored_result(snapshot: AssessmentSnapshot) -> AssessmentResult:
    """The snapshot's stored result as the engine's model (parsed, never recomputed)."""
    return AssessmentResult.model_validate(snapshot.result)


@dataclass(frozen=True)
class Chart:
    """One chart: a heading, the escaped SVG the reports package drew, and a caption."""

    anchor: str
    title: str
    svg: str
    caption: str


@dataclass(frozen=True)
class SnapshotView:
    """Everything the snapshot page shows."""

    result: AssessmentResult
    score: str
    verdict: str
    gauge: str
    components: list[tuple[str, str]]
    conflicts: list[dict[str, Any]]
    synergies: list[dict[str, Any]]
    charts: list[Chart] = field(default_factory=list)


def _conflict_row(conflict: Conflict) -> dict[str, Any]:
    return {
        "kind": word(CONFLICT_KINDS, conflict.kind),
        "severity": word(SEVERITIES, conflict.severity),
        "severity_code": str(conflict.severity),
        "parties": ", ".join(conflict.parties),
        "summary": conflict.summary,
        "evidence": conflict.evidence,
    }


def result_view(result: AssessmentResult) -> SnapshotView:
    """A stored result's page content: gauge, verdict, components, findings and the five charts."""
    parties = result.parties
    charts = [
        Chart("goals", "Goal interactions", goal_heatmap(result.goal_matrix),
              "Each goal against each other partner's goal on the seven-point scale of Nilsson, Griggs & "
              "Visbeck (2016)."),
        Chart("values", "Values", values_chart(result.values, parties),
              "How much weight each partner gives each value, 0 to 5; 0 means it does not list it."),
        Chart("sdgs", "SDG overlap", sdg_overlap(result.sdgs),
              "Darker tiles: more confidence the partner works towards that goal."),
        Chart("stakeholders", "Stakeholders", power_interest_grid(result.stakeholders, parties),
              "Mendelow's power–interest grid of the stakeholders the partners name."),
        Chart("initiatives", "Joint initiatives", shared_value_matrix(result.initiatives, parties),
              "Social value against each partner's economic value (Porter & Kramer, 2011)."),
    ]  # fmt: skip
    return SnapshotView(
        result=result,
        score=score_text(result.score),
        verdict=verdict_word(result.verdict),
        gauge=score_gauge(result.score, result.verdict),
        components=[
            (word(COMPONENTS, key), score_text(value))
            for key, value in result.components.model_dump().items()
        ],
        conflicts=[_conflict_row(conflict) for conflict in result.conflicts],
        synergies=[
            {
                "kind": word(SYNERGY_KINDS, synergy.kind),
                "parties": ", ".join(synergy.parties),
                "summary": synergy.summary,
                "evidence": synergy.evidence,
            }
            for synergy in result.synergies
        ],
        charts=charts,
    )


# Bump when _snapshot_body.html or result_view changes what the body shows: stored bodies of another
# format are then rendered afresh from the stored result on each view (correct, only slower).
BODY_FORMAT = 2
BODY_TEMPLATE = "assessments/_snapshot_body.html"


def result_body_html(result: AssessmentResult) -> str:
    """The snapshot page's body for ``result``: the same for every reader (no URLs, no CSRF token)."""
    return render_to_string(BODY_TEMPLATE, {"view": result_view(result)})


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
    conflicts_added: list[dict[str, Any]]
    conflicts_removed: list[dict[str, Any]]
    profiles: list[ProfileChange]


def _delta(before: float | None, after: float | None) -> str:
    if before is None or after is None:
        return "—"
    delta = after - before
    return "0" if abs(delta) < 0.05 else f"{delta:+.1f}".replace(".0", "")


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
        score_delta=_delta(old.score, new.score),
        verdict_before=verdict_word(old.verdict),
        verdict_after=verdict_word(new.verdict),
        components=[
            (
                word(COMPONENTS, key),
                score_text(old_components[key]),
                score_text(new_components[key]),
                _delta(old_components[key], new_components[key]),
            )
            for key in old_components
        ],
        conflicts_added=[_conflict_row(c) for key, c in new_keys.items() if key not in old_keys],
        conflicts_removed=[_conflict_row(c) for key, c in old_keys.items() if key not in new_keys],
        profiles=profiles,
    )
