"""Profiles and partnership files: loading them (every problem at once) and writing a profile back out."""

from __future__ import annotations

import json
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from commonground.core.loading.messages import did_you_mean, friendly_message, validate_model
from commonground.core.loading.problems import Document, LoadError, Loc, Problem, type_name
from commonground.core.loading.reading import MAX_PROFILE_VALUES, parse_document, read_document
from commonground.core.profiles import Initiative, Partnership, Profile

if typing.TYPE_CHECKING:
    from commonground.core.agreement.models import Agreement
    from commonground.core.network.survey import Survey


def is_partnership_document(data: Any) -> bool:
    """True if ``data`` (parsed from a file) is a partnership document rather than a profile."""
    return isinstance(data, dict) and "partners" in data


# The other files kept beside profiles, told by their ``kind`` (no profile kind is one of these).
OTHER_DOCUMENT_KINDS: dict[str, str] = {
    "agreement": "a partnership agreement (kind: agreement; read by `commonground agreement check`)",
    "network-survey": "a network survey (kind: network-survey; read by `commonground network`)",
}


def other_document(data: Any) -> str | None:
    """What ``data`` is when it is plainly another of our files, not a profile ("a partnership file")."""
    if is_partnership_document(data):
        return "a partnership file"
    kind = data.get("kind") if isinstance(data, dict) else None
    return OTHER_DOCUMENT_KINDS.get(kind) if isinstance(kind, str) else None


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    # Stable sort: problems without a line (missing fields) first, then down the file.
    return sorted(problems, key=lambda p: p.line or 0)


def _not_a_mapping(doc: Document, what: str) -> LoadError:
    if doc.problems and doc.data is None:
        return LoadError(doc.problems)
    return LoadError(
        [
            *doc.problems,
            Problem(
                doc.source,
                "",
                doc.line_of(()),
                f"{what} must be a mapping of fields (name: ..., kind: ..., mission: ...), "
                f"but this file holds {type_name(doc.data)}",
            ),
        ]
    )


def _profile_from_document(doc: Document) -> Profile:
    if not isinstance(doc.data, dict):
        raise _not_a_mapping(doc, "a profile")
    if (other := other_document(doc.data)) is not None:
        # Not "required field 'name' is missing (and 11 more)": the file is of another kind altogether.
        where = ("partners",) if is_partnership_document(doc.data) else ("kind",)
        raise LoadError([*doc.problems, doc.problem(where, f"this is {other}, not an organisation profile")])
    profile, problems = validate_model(Profile, doc.data, doc)
    problems = _in_file_order(doc.problems + problems)
    if problems or profile is None:
        raise LoadError(problems or [doc.problem((), "invalid profile")])
    return typing.cast(Profile, profile)


def parse_profile(text: str | bytes, *, source: str = "<input>", fmt: str | None = None) -> Profile:
    """Parse a profile from YAML or JSON text; raises LoadError listing every problem."""
    return _profile_from_document(parse_document(text, source, fmt, max_values=MAX_PROFILE_VALUES))


def profile_from_document(doc: Document) -> Profile:
    """The profile in a file already read with ``read_document``: its problems raise LoadError."""
    return _profile_from_document(doc)


def load_profile(path: Path) -> Profile:
    """Load an organisation profile file (YAML or JSON)."""
    return _profile_from_document(read_document(Path(path), max_values=MAX_PROFILE_VALUES))


_PARTNERSHIP_FIELDS = ("name", "partners", "initiatives")


def _partnership_from_document(doc: Document, base: Path) -> Partnership:
    data = doc.data
    if not isinstance(data, dict):
        raise _not_a_mapping(doc, "a partnership file")
    problems = list(doc.problems)
    if not is_partnership_document(data):
        problems.append(
            doc.problem((), "this is not a partnership file: it has no 'partners' list of profile files")
        )
        raise LoadError(problems)
    for key in data:
        if key not in _PARTNERSHIP_FIELDS:
            hint = (
                did_you_mean(key, _PARTNERSHIP_FIELDS)
                or f"; allowed fields: {', '.join(_PARTNERSHIP_FIELDS)}"
            )
            problems.append(doc.problem((key,), f"unknown field {key!r}{hint}"))
    entries = data["partners"]
    partners: list[Profile] = []
    partner_failed = False
    if not isinstance(entries, list):
        problems.append(
            doc.problem(
                ("partners",), f"must be a list of profile files or profiles, not {type_name(entries)}"
            )
        )
        entries, partner_failed = [], True
    for index, entry in enumerate(entries):
        loc: Loc = ("partners", index)
        if isinstance(entry, str):
            target = (
                (base / entry.strip()).resolve() if not Path(entry.strip()).is_absolute() else Path(entry)
            )
            if not target.is_file():
                problems.append(doc.problem(loc, f"partner file {entry!r} not found (looked for {target})"))
                partner_failed = True
                continue
            try:
                sub = read_document(target)
                if is_partnership_document(sub.data):
                    raise LoadError(
                        [
                            doc.problem(
                                loc, f"{entry!r} is a partnership file; list organisation profiles here"
                            )
                        ]
                    )
                partners.append(_profile_from_document(sub))
            except LoadError as exc:
                problems.extend(exc.problems)
                partner_failed = True
        elif isinstance(entry, dict):
            profile, found = validate_model(Profile, entry, doc, loc)
            problems.extend(found)
            if profile is None:
                partner_failed = True
            else:
                partners.append(typing.cast(Profile, profile))
        else:
            problems.append(
                doc.problem(loc, f"must be a profile file name or an inline profile, not {type_name(entry)}")
            )
            partner_failed = True
    rest = {k: v for k, v in data.items() if k in _PARTNERSHIP_FIELDS and k != "partners"}
    if partner_failed:
        # Partner-dependent checks would only repeat the problems above; still check the rest.
        initiatives = rest.get("initiatives")
        for index, item in enumerate(initiatives if isinstance(initiatives, list) else []):
            _, found = validate_model(Initiative, item, doc, ("initiatives", index))
            problems.extend(found)
        raise LoadError(problems)
    partnership, found = validate_model(Partnership, {**rest, "partners": partners}, doc)
    problems.extend(found)
    if problems or partnership is None:
        raise LoadError(problems or [doc.problem((), "invalid partnership file")])
    return typing.cast(Partnership, partnership)


def load_partnership(path: Path) -> Partnership:
    """Load a partnership file: partners as paths relative to it or inline profiles, plus initiatives."""
    path = Path(path)
    return _partnership_from_document(read_document(path), path.parent)


def load_any(path: Path) -> Profile | Partnership | Agreement | Survey:
    """Load a file that may be a profile, a partnership file, an agreement or a network survey."""
    # Imported here: these loaders build on this package, so a top-level import would be circular.
    from commonground.core.agreement.loading import agreement_from_document, is_agreement_document
    from commonground.core.network.loading import is_survey_document, survey_from_document

    path = Path(path)
    doc = read_document(path)
    if is_survey_document(doc.data):
        return survey_from_document(doc)
    if is_agreement_document(doc.data):
        return agreement_from_document(doc)
    if is_partnership_document(doc.data):
        return _partnership_from_document(doc, path.parent)
    return _profile_from_document(doc)


def load_inputs(paths: Sequence[Path]) -> Partnership:
    """One partnership file, or two or more profile files, as a Partnership."""
    paths = [Path(p) for p in paths]
    if not paths:
        raise LoadError([Problem("<command line>", "", None, "no input files given")])
    if len(paths) == 1:
        doc = read_document(paths[0])
        if is_partnership_document(doc.data):
            return _partnership_from_document(doc, paths[0].parent)
        _profile_from_document(doc)  # report the profile's own problems first
        raise LoadError(
            [
                Problem(
                    str(paths[0]),
                    "",
                    None,
                    "at least two partners are needed: give two or more profile files "
                    "or one partnership file",
                )
            ]
        )
    problems: list[Problem] = []
    partners: list[tuple[Profile, Document]] = []
    for path in paths:
        try:
            doc = read_document(path)
            if is_partnership_document(doc.data):
                problems.append(
                    Problem(
                        str(path),
                        "",
                        None,
                        "a partnership file must be given on its own, not with other files",
                    )
                )
                continue
            partners.append((_profile_from_document(doc), doc))
        except LoadError as exc:
            problems.extend(exc.problems)
    seen: dict[str, str] = {}
    first: dict[str, Profile] = {}
    for profile, doc in partners:
        same = profile.name in first and first[profile.name].fingerprint() == profile.fingerprint()
        if same and len(partners) > 2:
            continue  # the same profile twice is one partner: Partnership merges it
        first.setdefault(profile.name, profile)
        if profile.name in seen:
            problems.append(
                doc.problem(
                    ("name",),
                    f"{profile.name!r} is also the name in {seen[profile.name]}; "
                    "partner names must be unique",
                )
            )
        seen.setdefault(profile.name, doc.source)
    if problems:
        raise LoadError(problems)
    try:
        return Partnership(partners=[p for p, _ in partners])
    except ValidationError as exc:
        raise LoadError(
            [
                Problem("<command line>", "", None, friendly_message(Partnership, e))
                for e in exc.errors(include_url=False)
            ]
        ) from exc


def dump_profile(profile: Profile, fmt: str = "yaml") -> str:
    """A profile in file form (YAML or JSON) that parses back to an equal profile."""
    document = {"version": profile.version, **profile.to_document()}
    if fmt == "json":
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if fmt in {"yaml", "yml"}:
        text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
        if yaml.safe_load(text) != document:
            # PyYAML folds some Unicode line breaks (U+0085, U+2028) in quoted text; escaping keeps them.
            text = yaml.safe_dump(document, sort_keys=False, allow_unicode=False, width=100)
        return text
    raise ValueError(f"unknown format {fmt!r}; use 'yaml' or 'json'")
