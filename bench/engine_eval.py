"""Print the engine's judgement figures on every labelled and blind set, one table.

    .venv/bin/python bench/engine_eval.py [--errors] [--only NAME ...]

Sets (all under tests/data/):
- holdout/sector_sentences.yaml        precision and recall of sector attribution
- holdout/red_line_pairs.yaml, holdout/red_line_pairs_2.yaml  missed crossings and false crossings
- holdout/goal_pairs.yaml              share of goal pairs scored with the right sign
- holdout/multilingual_partnerships.yaml  French, Spanish and German partnerships
- blind_partnerships*.yaml, partnership_verdicts.yaml  verdict within band / exact
- dev/behaviour_red_lines.yaml        the development set of behaviour and multi-item red lines
- dev/multilingual_screen_red_lines.yaml  red lines naming an industry screen, partners mostly in fr/es/de
- dev/product_claim_red_lines.yaml     four review rounds of probes for the product claims, in four languages
- dev/supplier_red_lines.yaml         suppliers, landlords and members of a trade, and the trade like them
- dev/german_split_verb_red_lines.yaml  German split verbs with a phrase of place or time inside
- dev/claim_clause_red_lines.yaml     sales to the trade, "that we make", shared subjects, services on a trade
- dev/sdg_texts_multilingual.yaml     the development set of French, Spanish and German SDG texts
- dev/goal_pairs_realistic.yaml       goals of two partners crossed, mostly worthy goals that do not
  interact (``--only goals_dev``)
- training/red_line_pairs*.yaml + dev  red lines about lobbying or acting on a measure (``--only measures``)
- dev/plain_statements.yaml           plain self-descriptions, "We make and sell ..." (``--only plain``)
- the holdout's English sentences and pairs, each with a plain-fact sentence before or after it:
  statements of two sentences read whole and read by sentence (``--only sentences``)

The holdout sets were written blind and are never tuned on; see each file's header. ``--errors``
lists every wrong item of the development, calibration and blind sets, for diagnosing a class of
errors; the holdout sets' items are listed only with ``--holdout-errors``, so that looking at the
figures never shows their items by accident. The development sets (``--only dev`` and ``--only
sdg_dev``) are the ones to iterate on; their figures flatter the engine.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import yaml

from commonground.core.evaluation import (
    GoalFigures,
    Reader,
    goal_pair_figures,
    partnership_figures,
    red_line_figures,
    sector_figures,
    sign_agreement,
)
from commonground.core.semantics import readings
from commonground.core.semantics.engines import MULTILINGUAL_ENGINE, get_engine
from commonground.core.semantics.sdgs import map_sdgs
from commonground.core.semantics.sectors import read_texts
from commonground.core.semantics.sentences import read_by_sentence

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def _load(name: str, key: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))[key]
    return items


def _by_lang(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        out.setdefault(str(item.get("lang", "en")), []).append(item)
    return out


def sectors(show: bool) -> list[str]:
    """Sector attribution, all items and per language."""
    items = _load("holdout/sector_sentences.yaml", "items")
    lines = []
    groups = {"all": items, **_by_lang(items)}
    for name, group in groups.items():
        f = sector_figures(group)
        lines.append(
            f"sector attribution [{name:3}] n={f.items:4}  precision {f.precision:.3f}  recall {f.recall:.3f}"
        )
        if show and name == "all":
            lines += [f"    {e}" for e in f.errors]
    return lines


def red_lines(show: bool) -> list[str]:
    """Red-line pairs of both blind sets: missed and false crossings, all and per kind."""
    lines = []
    for name in ("red_line_pairs.yaml", "red_line_pairs_2.yaml"):
        lines.append(f"-- holdout/{name}")
        lines += _red_line_set(_load(f"holdout/{name}", "items"), show)
    return lines


def _red_line_set(items: list[dict[str, Any]], show: bool) -> list[str]:
    lines = []
    kinds: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        kinds.setdefault(str(item.get("kind")), []).append(item)
    for name, group in {
        "all": items,
        **kinds,
        **{f"lang {k}": v for k, v in _by_lang(items).items()},
    }.items():
        f = red_line_figures(group)
        lines.append(
            f"red lines [{name:10}] crossed {f.crossed:3} missed {f.missed:3} ({f.miss_rate:.1%}; "
            f"{f.missed_named} naming it)  not crossed {f.not_crossed:3} false {f.false_crossings:3} "
            f"({f.false_crossing_rate:.1%})"
        )
        if show and name == "all":
            lines += [f"    {e}" for e in f.errors]
    return lines


def dev(show: bool) -> list[str]:
    """The development sets of red lines: iterated on, so their figures are not evidence."""
    lines = []
    for path in sorted((DATA / "dev").glob("*red_lines*.yaml")):
        lines.append(f"-- dev/{path.name} (development set: iterated on)")
        lines += _red_line_set(_load(f"dev/{path.name}", "items"), show)
    return lines


# Red lines about lobbying or acting on a law, tax or rule, picked by their words (not by the engine,
# so the same pairs are measured before and after a change to it).
MEASURE_RED_LINE = re.compile(
    r"lobby|lobbies|lobbying|campaign|delay|weaken|fight|oppose"
    r"|against .*(tax|law|rule|regulat|ban|limit|standard)"
    r"|repeal|water down|exempt|block|postpone|retard|affaibl|assoupl|retras|debilit|aplaz|lockern|aufweich"
    r"|verzöger|schwäch",
    re.IGNORECASE,
)
TRAINING = DATA.parent.parent / "training"


def measures(show: bool) -> list[str]:
    """Red lines about a behaviour toward a measure, from the training pairs and the development set."""
    items: list[dict[str, Any]] = []
    sources = [*sorted(TRAINING.glob("red_line_pairs*.yaml")), DATA / "dev" / "behaviour_red_lines.yaml"]
    for path in sources:
        for n, item in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))["items"]):
            if MEASURE_RED_LINE.search(item["red_line"]):
                items.append({"id": f"{path.stem}-{n}", **item})
    lines = _red_line_set(items, show)
    return [
        "-- red lines about a measure, training pairs and dev set (looked at while building: not evidence)",
        lines[0],
        *(line for line in lines if line.startswith("    ")),
    ]


def sdg_dev(show: bool) -> list[str]:
    """SDGs of the French, Spanish and German development texts: the English path against the reader's."""
    items = _load("dev/sdg_texts_multilingual.yaml", "items")
    texts = [str(item["text"]) for item in items]
    paths = {"english": get_engine(), "reader": get_engine(MULTILINGUAL_ENGINE)}
    lines = ["-- dev/sdg_texts_multilingual.yaml (development set: iterated on)"]
    for path, engine in paths.items():
        got = [{s.sdg for s in p.sdgs} for p in map_sdgs(texts, engine=engine)]
        for name, group in {"all": range(len(items)), **_indices_by_lang(items)}.items():
            want = [{int(s) for s in items[i]["sdgs"]} for i in group]
            found = [got[i] for i in group]
            hits = sum(len(w & f) for w, f in zip(want, found, strict=True))
            n_found, n_want = sum(map(len, found)), sum(map(len, want))
            none = sum(1 for f in found if not f)
            lines.append(
                f"SDGs {path:7} [{name:3}] texts {len(want):2}  precision {hits / max(n_found, 1):.3f} "
                f"({hits}/{n_found})  recall {hits / n_want:.3f} ({hits}/{n_want})  texts with none {none}"
            )
        if show:
            lines += [
                f"    {path} {item['id']}: want {sorted(item['sdgs'])} got {sorted(f)}"
                for item, f in zip(items, got, strict=True)
                if f != {int(s) for s in item["sdgs"]}
            ]
    return lines


def _indices_by_lang(items: list[dict[str, Any]]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        out.setdefault(str(item.get("lang", "en")), []).append(i)
    return out


def _goal_line(name: str, f: GoalFigures) -> str:
    signs = "  ".join(f"{k} {r}/{n}" for k, (r, n) in f.by_sign.items())
    right = f"right sign {f.sign_accuracy:.1%}  exact {f.exact}"
    return f"goal pairs [{name:3}] n={f.items:4}  {right}  ({signs})"


def _model_line(f: GoalFigures) -> str:
    """What the goal-interaction model said on its own, by the pairs' labelled sign."""
    by = "  ".join(f"{k} {t}/{s}" for k, (t, s) in f.by_model.items())
    return f"goal pairs given a sign by the model alone, tension/same aim, by label: {by}"


def goals(show: bool) -> list[str]:
    """Goal pairs: share with the right sign, all and per language."""
    items = _load("holdout/goal_pairs.yaml", "items")
    lines = []
    for name, group in {"all": items, **_by_lang(items)}.items():
        f = goal_pair_figures(group)
        lines.append(_goal_line(name, f))
        if name == "all":
            lines.append(_model_line(f))
        if show and name == "all":
            lines += [f"    {e}" for e in f.errors]
    return lines


def goals_dev(show: bool) -> list[str]:
    """Goal pairs as a real partnership crosses them: share with the right sign, a development set."""
    items = _load("dev/goal_pairs_realistic.yaml", "items")
    f = goal_pair_figures(items)
    lines = [
        "-- dev/goal_pairs_realistic.yaml (development set: iterated on)",
        _goal_line("all", f),
        _model_line(f),
    ]
    # The second labeller's scores: how far two people agree bounds what the matrix can be asked to do.
    first, second = [int(i["score"]) for i in items], [int(i["score_2"]) for i in items]
    people = sign_agreement(first, second)
    kappa = f"{people.kappa:.2f}" if people.kappa is not None else "n/a"
    both = [k for k in range(len(items)) if sign_agreement([first[k]], [second[k]]).agree]
    on_both = sign_agreement([first[k] for k in both], [f.scores[k] for k in both])
    lines += [
        f"second labeller agrees on the sign of {people.agree}/{people.items} pairs (Cohen's kappa {kappa})",
        f"matrix right sign by the second labeller {sign_agreement(second, f.scores).agree}/{len(items)}; "
        f"on the {len(both)} pairs both labellers sign alike {on_both.agree}/{len(both)}",
    ]
    return lines + ([f"    {e}" for e in f.errors] if show else [])


def partnerships(show: bool, show_holdout: bool = False) -> list[str]:
    """Every partnership set: verdict within band and exact, expected and forbidden findings, SDGs."""
    lines = []
    sets: list[tuple[str, list[dict[str, Any]]]] = [
        ("multilingual (holdout)", _load("holdout/multilingual_partnerships.yaml", "cases")),
        ("blind 1", _load("blind_partnerships.yaml", "cases")),
        ("blind 2", _load("blind_partnerships_2.yaml", "cases")),
        ("blind 3", _load("blind_partnerships_3.yaml", "cases")),
    ]
    for name, cases in sets:
        f = partnership_figures(cases)
        sdg = f" SDGs {f.sdgs_found}/{f.sdgs_total}" if f.sdgs_total else ""
        lines.append(
            f"{name:24} within band {f.within_band:2}/{f.cases}  exact {f.exact:2}/{f.cases}  "
            f"expected findings {f.expected_found}/{f.expected_total}  "
            f"cases with forbidden {f.forbidden_seen}{sdg}"
        )
        auc = "n/a" if f.auc is None else f"{f.auc:.3f}"
        lines.append(
            f"{'':24} clashes caught at their severity {f.clashes_caught}/{f.clashes}  "
            f"worked flagged at risk or worse {f.false_alarms}/{f.worked}  ranking AUC {auc}"
        )
        if show_holdout if "holdout" in name else show:
            lines += [f"    {e}" for e in f.errors]
    return lines


# Plain facts about an organisation that put it in no sector, written for this measure; one is
# added before or after a labelled sentence to make a statement of two sentences.
FILLERS = (
    "We employ 300 people.",
    "Founded in 1998, we are based in Leeds.",
    "Our head office is in Lyon and we have staff in four countries.",
    "We are a member of the local chamber of commerce.",
    "Last year our turnover was 12 million euros.",
    "The board meets four times a year.",
)


def _two_sentences(items: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    """Each English item's text with a filler sentence after it and, separately, before it."""
    english = [item for item in items if item.get("lang", "en") == "en"]
    out: dict[str, list[dict[str, Any]]] = {"as written": english, "filler after": [], "filler before": []}
    for n, item in enumerate(english):
        text = str(item[key]).strip()
        text = text if text[-1:] in ".!?" else f"{text}."
        filler = FILLERS[n % len(FILLERS)]
        out["filler after"].append({**item, key: f"{text} {filler}"})
        out["filler before"].append({**item, key: f"{filler} {text}"})
    return out


def sentences(show: bool) -> list[str]:
    """A labelled sentence inside a statement of two: read whole (as before) and by sentence."""
    lines = ["-- holdout English sentences and red-line pairs, each with a filler sentence (derived)"]
    sector_items = _two_sentences(_load("holdout/sector_sentences.yaml", "items"), "text")
    pair_items = [
        _two_sentences(_load(f"holdout/{name}", "items"), "partner_text")
        for name in ("red_line_pairs.yaml", "red_line_pairs_2.yaml")
    ]
    # "whole" reads a statement as one text, as the engine did before it read by sentence.
    modes: dict[str, Reader] = {"whole": read_texts, "by sentence": read_by_sentence}
    for mode, read in modes.items():
        readings.forget()
        with mock.patch.object(readings, "read_by_sentence", read):
            for form, items in sector_items.items():
                f = sector_figures(items, read=read)
                lines.append(
                    f"sectors   {mode:11} {form:13} n={f.items:4}  precision {f.precision:.3f}  "
                    f"recall {f.recall:.3f}"
                )
            for n, forms in enumerate(pair_items, start=1):
                for form, items in forms.items():
                    r = red_line_figures(items)
                    lines.append(
                        f"red lines {mode:11} {form:13} set {n}  missed {r.missed:3}/{r.crossed} "
                        f"({r.miss_rate:.1%})  false {r.false_crossings:3}/{r.not_crossed} "
                        f"({r.false_crossing_rate:.1%})"
                    )
                    if show and form != "as written":
                        lines += [f"    {e}" for e in r.errors]
    readings.forget()
    return lines


def plain(show: bool) -> list[str]:
    """Plain self-descriptions ("We make and sell cigarettes."): sectors and screens, a development set."""
    items = _load("dev/plain_statements.yaml", "items")
    engine = get_engine()
    texts = [str(i["text"]) for i in items]
    readings = read_by_sentence(texts, engine.embed(texts), engine=engine)
    found = [{m.sector for m in r.pushes} for r in readings]
    doing = [(i, f) for i, f in zip(items, found, strict=True) if i["sector"] != "none"]
    lawful = [(i, f) for i, f in zip(items, found, strict=True) if i["sector"] == "none"]
    hits = sum(1 for i, f in doing if i["sector"] in f)
    wrong = sum(1 for i, f in doing if f - {i["sector"]}) + sum(1 for _, f in lawful if f)
    lines = [
        "-- dev/plain_statements.yaml (development set: iterated on)",
        f"plain statements  found {hits}/{len(doing)} ({hits / len(doing):.1%})  "
        f"lawful neighbours read as a sector {sum(1 for _, f in lawful if f)}/{len(lawful)}  "
        f"texts with a wrong sector {wrong}",
    ]
    if show:
        lines += [
            f"    want {i['sector']} got {sorted(f)}: {i['text']}"
            for i, f in zip(items, found, strict=True)
            if (i["sector"] not in f and i["sector"] != "none") or f - {i["sector"]}
        ]
    return lines


SECTIONS: dict[str, Callable[[bool], list[str]]] = {
    "sectors": sectors,
    "red_lines": red_lines,
    "goals": goals,
    "goals_dev": goals_dev,
    "partnerships": partnerships,
    "dev": dev,
    "sdg_dev": sdg_dev,
    "measures": measures,
    "sentences": sentences,
    "plain": plain,
}


# Sections that read only holdout sets (partnerships mixes holdout and blind sets).
HOLDOUT_SECTIONS = frozenset({"sectors", "red_lines", "goals", "sentences"})


def main() -> None:
    """Print the figures of the chosen sections."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every wrong item but the holdout sets'")
    parser.add_argument(
        "--holdout-errors", action="store_true", help="list the holdout sets' wrong items too"
    )
    parser.add_argument("--only", nargs="*", choices=sorted(SECTIONS), help="sections to run")
    args = parser.parse_args()
    engine = get_engine()
    print(f"engine {engine.name}")
    for name in args.only or SECTIONS:
        start = time.perf_counter()
        if name == "partnerships":
            found = partnerships(args.errors, args.holdout_errors)
        else:
            found = SECTIONS[name](args.holdout_errors if name in HOLDOUT_SECTIONS else args.errors)
        for line in found:
            print(line, flush=True)
        print(f"  ({name}: {time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
