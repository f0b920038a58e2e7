"""Profile files (YAML/JSON), folders of them, and JSON Lines with one profile per line."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from commonground.core.directory.countries import imported_country
from commonground.core.directory.records import Entry, Skipped
from commonground.core.loading import JSON_SUFFIXES, MAX_PROFILE_VALUES, YAML_SUFFIXES, LoadError
from commonground.core.loading.documents import other_document, profile_from_document
from commonground.core.loading.problems import Document
from commonground.core.loading.reading import read_document
from commonground.core.profiles import Profile

PROFILE_SUFFIXES = tuple(YAML_SUFFIXES) + tuple(JSON_SUFFIXES)


def _first_problem(exc: LoadError, what: str = "not a valid profile") -> str:
    count = len(exc.problems)
    more = f" (and {count - 1} more)" if count > 1 else ""
    first = exc.problems[0]
    where = f"{first.path}: " if first.path else ""
    line = f"line {first.line}: " if first.line is not None and not first.path else ""
    return f"{what}: {line}{where}{first.message}{more}"


def read_profiles(path: Path) -> Iterator[Entry | Skipped]:
    """One profile file, or every profile file in a folder (sorted by name, not recursing)."""
    files = (
        sorted(p for p in path.iterdir() if p.suffix.lower() in PROFILE_SUFFIXES) if path.is_dir() else [path]
    )
    if path.is_dir():
        for other in sorted(
            p for p in path.iterdir() if p.is_file() and p.suffix.lower() not in PROFILE_SUFFIXES
        ):
            yield Skipped(str(other), "not a profile file (.yaml, .yml or .json)")
    for file in files:
        try:
            # A file that cannot be read or parsed at all (no YAML or JSON in it) is a source that
            # failed; one that parses but is not a profile (a partnership file) is a skipped row.
            document = read_document(file, max_values=MAX_PROFILE_VALUES)
        except LoadError as exc:
            yield Skipped(str(file), _first_problem(exc, "cannot be read"), unread=True)
            continue
        if (what := other_document(document.data)) is not None:
            yield Skipped(str(file), f"not an organisation profile: this is {what}")
            continue
        document, warnings = _country_kept_or_dropped(document)
        try:
            profile = profile_from_document(document)
        except LoadError as exc:
            yield Skipped(str(file), _first_problem(exc))
            continue
        yield Entry(profile=profile, source=str(file), country=profile.country, sdgs=(), warnings=warnings)


def _country_kept_or_dropped(document: Document) -> tuple[Document, tuple[str, ...]]:
    """The document as read, or without a ``country`` that is no code, with the warning saying so.

    As in every other source, a country that is not a code costs the organisation its country, not
    its place in the directory (``commonground validate`` still refuses it in the file).
    """
    data = document.data
    if not isinstance(data, dict) or data.get("country") is None:
        return document, ()
    given = data["country"]
    if isinstance(given, bool):
        # YAML reads an unquoted NO (Norway) as false.
        why = (
            f"country reads as {str(given).lower()} (YAML's no, yes, off or on): write the code in quotes, "
            'e.g. country: "NO"; kept without a country, so country filters leave it out'
        )
    else:
        code, dropped = imported_country(str(given))
        if code is not None:
            return document, ()
        why = dropped[0]
    kept = {key: value for key, value in data.items() if key != "country"}
    return dataclasses.replace(document, data=kept), (why,)


def _validation_reason(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"not a valid profile: {where}: {error['msg']}{more}"


def read_json_lines(path: Path) -> Iterator[Entry | Skipped]:
    """One profile per line; blank lines are ignored, every bad line is skipped with its reason."""
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            source = f"{path}:{number}"
            try:
                data = json.loads(line.strip())
            except (ValueError, RecursionError) as exc:
                # RecursionError: a line nested deeper than the parser can follow ("[[[[...").
                yield Skipped(
                    source, f"not JSON: {exc}" if isinstance(exc, ValueError) else "not JSON: nested too deep"
                )
                continue
            if not isinstance(data, dict):
                yield Skipped(source, "not a profile: each line must be one JSON object")
                continue
            extra = {k: data.pop(k) for k in ("country", "region", "size", "key") if k in data}
            try:
                profile = Profile.model_validate(data)
            except ValidationError as exc:
                yield Skipped(source, _validation_reason(exc))
                continue
            country, warnings = imported_country(str(extra["country"]) if extra.get("country") else None)
            yield Entry(
                # The code kept in the profile too, as a profile file's own country is.
                profile=profile if country is None else profile.model_copy(update={"country": country}),
                source=source,
                key=str(extra["key"]) if extra.get("key") else None,
                country=country,
                region=str(extra["region"]) if extra.get("region") else None,
                size=str(extra["size"]) if extra.get("size") else None,
                warnings=warnings,
            )
