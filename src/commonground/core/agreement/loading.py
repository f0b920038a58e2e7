"""Reading agreement files (YAML or JSON) with every problem named by field path and line.

Uses the profile loader's machinery (:mod:`commonground.core.loading`): the same size limit,
encoding checks, locked-down YAML (no aliases, no duplicate keys, no custom tags, no deep nesting)
and pydantic errors in words. After the models accept the file, the cross-references of
:func:`~commonground.core.agreement.references.reference_problems` (unknown partner ids, repeated
ids) are reported the same way, so a person sees every problem of a readable file at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from commonground.core.agreement.models import Agreement
from commonground.core.agreement.references import reference_problems
from commonground.core.loading.messages import checked_model
from commonground.core.loading.problems import Document
from commonground.core.loading.reading import parse_document, read_document


def is_agreement_document(data: Any) -> bool:
    """True if ``data`` (parsed from a file) is an agreement: ``kind: agreement``, or a WHO section."""
    if not isinstance(data, dict):
        return False
    return data.get("kind") == "agreement" or ("who" in data and "partners" not in data)


def agreement_from_document(doc: Document) -> Agreement:
    """The agreement in a parsed file; LoadError listing every problem, each with its line."""
    return checked_model(
        Agreement,
        doc,
        what="an agreement",
        fields="kind: agreement, title: ..., who: ...",
        references=reference_problems,
    )


def parse_agreement(text: str | bytes, *, source: str = "<input>", fmt: str | None = None) -> Agreement:
    """Parse an agreement from YAML or JSON text; raises LoadError listing every problem."""
    return agreement_from_document(parse_document(text, source, fmt))


def load_agreement(path: Path) -> Agreement:
    """Load an agreement file (YAML or JSON); raises LoadError listing every problem."""
    return agreement_from_document(read_document(Path(path)))


def agreement_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of agreement format version 1."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://commonground.example/schema/agreement-v1.json",
        **Agreement.model_json_schema(),
        "title": "Common Ground partnership agreement, format version 1",
    }
