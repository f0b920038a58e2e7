"""Assess a partnership: every analysis for every pair of partners, put together as one AssessmentResult.

Two partners: the top level holds the pair's own fields and ``pairs`` holds that one pair. Three
or more: every pair is assessed; the top-level score is the mean of the pair scores, the verdict
the worst pair verdict, the components the mean of the pairs' available components, conflicts and
synergies the union over pairs, the goal matrix every goal × every goal (null within one
partner), the shared SDGs those every partner has, and ``shared`` what all partners have in common.
``coalition`` reads the coalition as a whole (:mod:`commonground.core.coalition`). Above
:data:`FULL_DETAIL_PARTNERS` partners the top level keeps what concerns the coalition (every goal ×
every goal of 200 partners is a million cells, and the union of every pair's findings would repeat a
third of a 1.5 GB result): the goal matrix is empty, the conflicts are the high and blocker ones, the
synergies those of all partners, and the questions follow from those conflicts, and ``pairs`` holds
each pair's :class:`PairSummary` (score, verdict, components, worst conflicts with evidence, first
reasons) rather than its full result: 19,900 full results of 200 partners held 7 GB of memory and
wrote 1 GB of JSON. ``pair_json`` receives every pair's full result as one line of JSON, in pair
order, for whoever wants them all (the CLI's ``--pairs FILE``). Pairs run in order, or over a process
pool with ``workers`` > 1 (:mod:`commonground.core.pair_runs`, the same pairs either way); a worker
digests its pairs before sending them back.

Same input, same output: every list is sorted on content, dicts follow partner input order, and
floats are rounded before they reach the result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from statistics import fmean

import commonground
from commonground.core.coalition import PairDigest, coalition_summary, digest_pair
from commonground.core.conflicts import semantic_findings
from commonground.core.culture import CULTURE_TYPES, SIGNIFICANT_GAP, compare_culture
from commonground.core.interactions import GOAL_RULES_VERSION
from commonground.core.orientation import compare_orientation
from commonground.core.pair_runs import iter_pairs
from commonground.core.profiles import Initiative, Partnership, Profile
from commonground.core.questions import KIND_ORDER, build_questions
from commonground.core.results import (
    AssessmentResult,
    Components,
    Conflict,
    ConflictSeverity,
    CultureView,
    EngineInfo,
    Evidence,
    GoalCell,
    GoalMatrix,
    GoalRef,
    PairResult,
    PairSummary,
    SdgOverlap,
    SdgScore,
    SharedByAll,
    Synergy,
    SynergyKind,
    Verdict,
)
from commonground.core.scoring import (
    BAND_WORDS,
    CAP_NOTED_FROM,
    VERDICT_CEILING,
    cap_note,
    mission_component,
    overall,
    values_component,
    verdict_beside_score,
)
from commonground.core.semantics.cues import LEXICON_VERSION
from commonground.core.semantics.engines import MULTILINGUAL_ENGINE, CachedEngine, EmbeddingEngine, get_engine
from commonground.core.semantics.exits import EXITS_VERSION
from commonground.core.semantics.interaction_model import load_interaction_model
from commonground.core.semantics.languages import language_limitations, reads_through_reader
from commonground.core.semantics.line_names import LINE_NAMES_VERSION
from commonground.core.semantics.measure_domains import MEASURE_DOMAINS_VERSION
from commonground.core.semantics.measures import MEASURES_VERSION
from commonground.core.semantics.overseers import OVERSEERS_VERSION
from commonground.core.semantics.price_lines import PRICE_LINES_VERSION
from commonground.core.semantics.product_claims import PRODUCT_CLAIMS_VERSION
from commonground.core.semantics.product_use import PRODUCT_USE_VERSION
from commonground.core.semantics.sdgs import load_calibration, profile_sdgs, sdg_title
from commonground.core.semantics.sector_kinds import SECTOR_KINDS_VERSION
from commonground.core.semantics.sector_map import SECTOR_MAP_VERSION
from commonground.core.semantics.sentences import SENTENCES_VERSION
from commonground.core.semantics.stance_model import load_stance_model
from commonground.core.semantics.supplies import SUPPLIES_VERSION
from commonground.core.semantics.voice import VOICE_VERSION
from commonground.core.shared_value import assess_initiatives
from commonground.core.stakeholders import (
    compare_stakeholders,
    merge_stakeholders,
    partner_named_as_stakeholder,
)
from commonground.core.values import compare_values, shared_values, value_rows

VERDICT_ORDER = (Verdict.ALIGNED, Verdict.WORKABLE, Verdict.AT_RISK, Verdict.BLOCKED)
SYNERGY_ORDER = tuple(SynergyKind)
# Up to this many partners the top level repeats every pair's findings and the whole goal matrix.
FULL_DETAIL_PARTNERS = 20
# What a larger coalition's top level keeps of its pairs' conflicts.
COALITION_SEVERITIES = frozenset({ConflictSeverity.BLOCKER, ConflictSeverity.HIGH})


def _engine(engine: str | EmbeddingEngine | None) -> EmbeddingEngine:
    if engine is None or isinstance(engine, str):
        return get_engine(engine)
    # Every analysis embeds the same names again; a cache makes the repeats free.
    return engine if isinstance(engine, CachedEngine) else CachedEngine(engine)


def _sorted_conflicts(conflicts: Sequence[Conflict]) -> list[Conflict]:
    unique = {c.model_dump_json(): c for c in conflicts}
    return sorted(
        unique.values(),
        key=lambda c: (c.severity.rank, KIND_ORDER.index(c.kind), c.parties, c.summary, c.model_dump_json()),
    )


def _merged(conflicts: Sequence[Conflict]) -> list[Conflict]:
    """One finding per fact: a conflict several pairs report alike is listed once, naming every party.

    "A powerful stakeholder opposes partner A" is a fact about A that each of A's pairs reports;
    in a coalition's list it appears once, with the parties of all those pairs.
    """
    merged: dict[tuple[object, ...], Conflict] = {}
    for conflict in conflicts:
        key = (
            conflict.kind,
            conflict.severity,
            conflict.summary,
            tuple((t.party, t.field, t.text) for t in conflict.evidence.texts),
        )
        known = merged.get(key)
        if known is None:
            merged[key] = conflict
        else:
            parties = list(dict.fromkeys([*known.parties, *conflict.parties]))
            merged[key] = known.model_copy(update={"parties": parties})
    return list(merged.values())


def _sorted_synergies(synergies: Sequence[Synergy]) -> list[Synergy]:
    unique = {s.model_dump_json(): s for s in synergies}
    return sorted(
        unique.values(),
        key=lambda s: (SYNERGY_ORDER.index(s.kind), s.parties, s.summary, s.model_dump_json()),
    )


def _shared_sdgs(sdgs: dict[str, list[SdgScore]]) -> list[int]:
    sets = [{s.sdg for s in scores} for scores in sdgs.values()]
    return sorted(set.intersection(*sets)) if sets else []


def _sdg_synergy(parties: list[str], sdgs: dict[str, list[SdgScore]], shared: list[int]) -> Synergy:
    names = ", ".join(f"SDG {n} ({sdg_title(n)})" for n in shared)
    detail = "; ".join(
        f"{party}: " + ", ".join(f"SDG {s.sdg} {s.confidence:.0%}" for s in scores if s.sdg in shared)
        for party, scores in sdgs.items()
    )
    return Synergy(
        kind=SynergyKind.SDG,
        parties=parties,
        summary=f"All partners contribute to {names}"
        if len(parties) > 2
        else f"Both partners contribute to {names}",
        evidence=Evidence(rule="sdg.shared", detail=f"confidence — {detail}"),
    )


def _pair(
    a: Profile,
    b: Profile,
    initiatives: Sequence[Initiative],
    sdgs: dict[str, list[SdgScore]],
    engine: EmbeddingEngine,
) -> PairResult:
    findings = semantic_findings(a, b, engine=engine)
    values = compare_values(a, b, engine=engine)
    culture = compare_culture(a, b)
    orientation = compare_orientation(a, b)
    stakeholders = compare_stakeholders(a, b, engine=engine)
    parties = [a.name, b.name]
    initiative_views = assess_initiatives(initiatives, parties)
    pair_sdgs = {a.name: sdgs[a.name], b.name: sdgs[b.name]}
    shared = _shared_sdgs(pair_sdgs)

    mission = mission_component(
        round(float(findings.mission_similarity), 4), findings.goal_matrix, sdgs[a.name], sdgs[b.name]
    )
    components = Components(
        mission=mission,
        values=values_component(values.component, mission),
        culture=culture.component,
        stakeholders=stakeholders.component,
        orientation=orientation.component,
    )
    conflicts = _sorted_conflicts(
        [
            *findings.conflicts,
            *values.conflicts,
            *culture.conflicts,
            *orientation.conflicts,
            *stakeholders.conflicts,
        ]
    )
    synergy_list = [
        *findings.synergies,
        *values.synergies,
        *culture.synergies,
        *stakeholders.synergies,
        *initiative_views.synergies,
    ]
    # The semantic engine may report shared SDGs itself; add ours only when it did not.
    if shared and not any(s.kind is SynergyKind.SDG for s in synergy_list):
        synergy_list.append(_sdg_synergy(parties, pair_sdgs, shared))
    result = overall(components, conflicts)
    return PairResult(
        parties=parties,
        score=result.score,
        verdict=result.verdict,
        components=components,
        conflicts=conflicts,
        synergies=_sorted_synergies(synergy_list),
        goal_matrix=findings.goal_matrix,
        sdgs=SdgOverlap(partners=pair_sdgs, shared=shared),
        questions=build_questions(conflicts, [a, b], initiative_views.views),
        values=values.rows,
        culture=culture.view,
        stakeholders=stakeholders.views,
        initiatives=initiative_views.views,
        reasons=result.reasons,
    )


def _coalition_matrix(profiles: Sequence[Profile], pairs: dict[tuple[str, str], PairResult]) -> GoalMatrix:
    """Every goal × every goal, cells taken from the pair matrices; null within one partner."""
    refs: list[GoalRef] = []
    for i, profile in enumerate(profiles):
        other = profiles[1] if i == 0 else profiles[0]
        key = (profile.name, other.name) if i == 0 else (other.name, profile.name)
        matrix = pairs[key].goal_matrix
        refs.extend(matrix.rows if i == 0 else matrix.columns)
    lookup: dict[tuple[str, str, str, str], GoalCell | None] = {}
    for pair in pairs.values():
        m = pair.goal_matrix
        for r, row_ref in enumerate(m.rows):
            for c, col_ref in enumerate(m.columns):
                cell = m.cells[r][c]
                lookup[(row_ref.party, row_ref.id, col_ref.party, col_ref.id)] = cell
                lookup.setdefault((col_ref.party, col_ref.id, row_ref.party, row_ref.id), cell)
    cells = [
        [None if r.party == c.party else lookup.get((r.party, r.id, c.party, c.id)) for c in refs]
        for r in refs
    ]
    return GoalMatrix(rows=refs, columns=refs, cells=cells)


def _coalition_culture(profiles: Sequence[Profile]) -> CultureView | None:
    described = [p for p in profiles if p.culture is not None]
    if not described:
        return None
    prof = {p.name: p.culture.as_dict() for p in described if p.culture is not None}
    gaps: dict[str, float] = {}
    for t in CULTURE_TYPES:
        points = [v[t] for v in prof.values()]
        gap = round(max(points) - min(points), 1)
        if gap >= SIGNIFICANT_GAP:
            gaps[t] = gap
    return CultureView(profiles=prof, gaps=gaps)


def _mean_component(pairs: Sequence[PairResult | PairSummary], name: str) -> float | None:
    present = [getattr(p.components, name) for p in pairs if getattr(p.components, name) is not None]
    return round(fmean(present), 1) if present else None


def assess_profiles(
    profiles: Sequence[Profile],
    *,
    initiatives: Sequence[Initiative] = (),
    name: str | None = None,
    engine: str | EmbeddingEngine | None = None,
    workers: int = 1,
    pair_json: Callable[[str], None] | None = None,
) -> AssessmentResult:
    """Assess two or more partner profiles (and their proposed initiatives) as one partnership.

    ``workers`` > 1 runs the pairs of a large coalition over that many processes (the CLI does).
    ``pair_json``, when given, is called here with each pair's full result as one line of JSON, in
    pair order, as the pairs finish (above twenty partners the result itself keeps summaries).
    """
    if len(profiles) < 2:
        raise ValueError(f"an assessment needs at least two partners (got {len(profiles)})")
    names = [p.name for p in profiles]
    if len(set(names)) != len(names):
        raise ValueError(f"partner names must be unique; got {', '.join(names)}")
    eng = _engine(engine)
    title = name or " × ".join(names)
    sdgs = {p.name: list(profile_sdgs(p, engine=eng)) for p in profiles}
    detailed = len(profiles) <= FULL_DETAIL_PARTNERS

    def job(i: int, j: int) -> tuple[PairResult | PairDigest, str | None]:
        # Runs in a worker for a large coalition: only the digest (and the JSON line, if asked) go back.
        full = _pair(profiles[i], profiles[j], initiatives, sdgs, eng)
        line = full.model_dump_json() if pair_json is not None else None
        return (full if detailed else digest_pair(full)), line

    kept_pairs: list[PairResult | PairDigest] = []
    for kept_pair, line in iter_pairs(len(profiles), job, workers=workers):
        if line is not None and pair_json is not None:
            pair_json(line)
        kept_pairs.append(kept_pair)
    pair_list = [p for p in kept_pairs if isinstance(p, PairResult)]
    info = EngineInfo(
        version=commonground.__version__,
        embedding_model=eng.name,
        sector_map_version=SECTOR_MAP_VERSION,
        stance_model_version=model.version if (model := load_stance_model(eng.name)) else None,
        screen_model_version=sm.version if (sm := load_stance_model(eng.name, "screens")) else None,
        interaction_model_version=im.version if (im := load_interaction_model(eng.name)) else None,
        # The word files the rules read (the lexicon, the measure vocabulary, the words of helping
        # people leave a harm), how a statement of several sentences is read, how a first-person
        # text is retold, and how the goal matrix scores a pair.
        rules_version=(
            f"{LEXICON_VERSION}+measures.{MEASURES_VERSION}+sentences.{SENTENCES_VERSION}+voice.{VOICE_VERSION}"
            f"+exits.{EXITS_VERSION}+measure-domains.{MEASURE_DOMAINS_VERSION}"
            f"+sector-kinds.{SECTOR_KINDS_VERSION}+overseers.{OVERSEERS_VERSION}+product-use.{PRODUCT_USE_VERSION}"
            f"+price-lines.{PRICE_LINES_VERSION}+line-names.{LINE_NAMES_VERSION}"
            f"+product-claims.{PRODUCT_CLAIMS_VERSION}+supplies.{SUPPLIES_VERSION}"
            f"+goals.{GOAL_RULES_VERSION}"
        ),
        sdg_reader_version=(
            load_calibration(MULTILINGUAL_ENGINE).version
            if any(reads_through_reader(p, eng.name) for p in profiles)
            else None
        ),
    )
    shared_sdgs = _shared_sdgs(sdgs)
    shared = SharedByAll(
        sdgs=shared_sdgs,
        values=shared_values(profiles, engine=eng),
        stakeholders=[
            v.name for v in merge_stakeholders(profiles, engine=eng) if len(v.parties) == len(profiles)
        ],
    )
    limitations = language_limitations(list(profiles), eng.name)
    if len(profiles) == 2:
        only = pair_list[0]
        return AssessmentResult.model_validate(
            {
                **only.model_dump(),
                "parties": names,
                "title": title,
                "pairs": [only],
                "shared": shared,
                "engine": info,
                "limitations": limitations,
            }
        )

    digests = [p if isinstance(p, PairDigest) else digest_pair(p) for p in kept_pairs]
    summaries = [d.summary for d in digests]
    # A large coalition's digests keep exactly the high and blocker conflicts it lists.
    found = [c for p in pair_list for c in p.conflicts]
    if not detailed:
        found = [c for d in digests for c in d.clashing]
    kept = [
        c
        for c in found
        if (detailed or c.severity in COALITION_SEVERITIES)
        # A partner is inside the coalition, never its outside stakeholder, though a pair sees it so.
        and not partner_named_as_stakeholder(c, profiles)
    ]
    conflicts = _sorted_conflicts(_merged(kept))
    synergy_list = [s for p in pair_list for s in p.synergies] if detailed else []
    if shared_sdgs:
        synergy_list.append(_sdg_synergy(names, sdgs, shared_sdgs))
    views = assess_initiatives(initiatives, names)
    mean = round(fmean(p.score for p in summaries), 1)
    verdict = max((p.verdict for p in summaries), key=VERDICT_ORDER.index)
    # Score and verdict tell one story for a coalition too: the weakest pair's verdict caps the mean
    # at the top of that verdict's band, as it caps a pair's own score.
    score = min(mean, VERDICT_CEILING.get(verdict, 100.0))
    ranked = sorted(summaries, key=lambda p: (p.score, p.parties))
    reasons = [f"Mean of {len(summaries)} pair scores; the verdict is that of the weakest pair"]
    if mean - score >= CAP_NOTED_FROM:
        band = BAND_WORDS[verdict].replace("partnership", "coalition")
        reasons.append(cap_note(score, mean, f"the weakest pair is {verdict.words}", band))
    reasons += [
        f"{' × '.join(p.parties)}: {p.score:g} ({verdict_beside_score(p.verdict, p.score)}) — {p.reasons[0]}"
        for p in ranked
    ]
    values = value_rows(profiles, engine=eng)
    return AssessmentResult(
        parties=names,
        score=score,
        verdict=verdict,
        components=Components(
            mission=_mean_component(summaries, "mission"),
            values=_mean_component(summaries, "values"),
            culture=_mean_component(summaries, "culture"),
            stakeholders=_mean_component(summaries, "stakeholders"),
            orientation=_mean_component(summaries, "orientation"),
        ),
        conflicts=conflicts,
        synergies=_sorted_synergies([*synergy_list, *views.synergies]),
        goal_matrix=(
            _coalition_matrix(profiles, {(p.parties[0], p.parties[1]): p for p in pair_list})
            if detailed
            else GoalMatrix(rows=[], columns=[], cells=[])
        ),
        sdgs=SdgOverlap(partners=sdgs, shared=shared_sdgs),
        questions=build_questions(conflicts, profiles, views.views),
        values=values,
        culture=_coalition_culture(profiles),
        stakeholders=merge_stakeholders(profiles, engine=eng),
        initiatives=views.views,
        reasons=reasons,
        title=title,
        pairs=list(pair_list) if detailed else summaries,
        shared=shared,
        engine=info,
        limitations=limitations,
        coalition=coalition_summary(names, digests, sdgs=sdgs, values=values),
    )


def assess(
    partnership: Partnership,
    *,
    engine: str | EmbeddingEngine | None = None,
    workers: int = 1,
    pair_json: Callable[[str], None] | None = None,
) -> AssessmentResult:
    """Assess a partnership file's partners and initiatives (options: see :func:`assess_profiles`)."""
    return assess_profiles(
        partnership.partners,
        initiatives=partnership.initiatives,
        name=partnership.name,
        engine=engine,
        workers=workers,
        pair_json=pair_json,
    )
