"""Reading network survey files (YAML or JSON) with every problem named by field path and line.

Uses the profile loader's machinery (:mod:`commonground.core.loading`): the same size limit,
encoding checks, locked-down YAML (no aliases, no duplicate keys, no custom tags, no deep nesting)
and pydantic errors in words; then the survey's cross-references
(:func:`~commonground.core.network.survey.reference_problems`) the same way, so a person sees every
problem of a readable file at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from commonground.core.loading.messages import checked_model
from commonground.core.loading.problems import Document
from commonground.core.loading.reading import parse_document, read_document
from commonground.core.network.survey import Survey, reference_problems

# A 200-organisation coalition where everyone rates everyone has 39,800 ratings of about 12 values each.
MAX_VALUES = 600_000


def is_survey_document(data: Any) -> bool:
    """True if ``data`` (parsed from a file) is a network survey: ``kind: network-survey``."""
    return isinstance(data, dict) and data.get("kind") == "network-survey"


def survey_from_document(doc: Document) -> Survey:
    """The survey in a parsed file; LoadError listing every problem, each with its line."""
    return checked_model(
        Survey,
        doc,
        what="a network survey",
        fields="coalition: ..., organisations: ..., rounds: ...",
        references=reference_problems,
    )


def parse_survey(text: str | bytes, *, source: str = "<input>", fmt: str | None = None) -> Survey:
    """Parse a network survey from YAML or JSON text; raises LoadError listing every problem."""
    return survey_from_document(parse_document(text, source, fmt, max_values=MAX_VALUES))


def load_survey(path: Path) -> Survey:
    """Load a network survey file (YAML or JSON); raises LoadError listing every problem."""
    return survey_from_document(read_document(Path(path), max_values=MAX_VALUES))


def survey_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of network survey format version 1."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://commonground.example/schema/network-survey-v1.json",
        **Survey.model_json_schema(),
        "title": "Common Ground network survey, format version 1",
    }
