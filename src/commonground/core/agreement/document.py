"""An agreement in file form: the YAML people edit, with comments that help them, read back unchanged.

:func:`dump_agreement` writes the fields that say something (left-out fields take their defaults),
always showing each section's and each HOW clause's status so a reader sees what is not yet agreed.
With ``comments`` it adds a header (a draft says plainly that it is a draft), a line on what each
section holds, and commented-out placeholders for the important fields still missing. Comments are
only comments: ``parse_agreement(dump_agreement(a, comments=...)) == a`` for every agreement.

PyYAML writes each value (quoting, escaping, folding long text); this module only lays out the
mappings so that comments can sit between them.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import yaml
from pydantic import BaseModel

from commonground.core.agreement.models import Agreement

_WIDTH = 100
_INDENT = 2

# Shown even when they hold their default, so the file lists every section and clause with its status.
_ALWAYS = {
    ("kind",),
    ("version",),
    ("title",),
    ("state",),
    ("who",),
    ("why",),
    ("what",),
    ("how",),
    *(("how", clause) for clause in ("governance", "decisions", "checkins", "communication")),
    *(("how", clause) for clause in ("confidentiality", "review", "dispute_resolution", "exit")),
}

# A line above a field, written with comments=True.
_NOTES: dict[tuple[str, ...], str] = {
    ("who",): "WHO: the partners and the people who speak, vote and sign for them.",
    ("why",): "WHY: the shared vision and mission, shared and each partner's own objectives, principles.",
    ("what",): "WHAT: workstreams and tasks with RACI roles, commitments, KPIs, social return.",
    ("how",): "HOW: governance, decisions, check-ins, communication, confidentiality, review, disputes,\n"
    "exit. Statuses: not_relevant, not_in_place, partially, fully.",
    ("open_items",): "Still to settle: each question and red line needs a clause (write it in 'where'),\n"
    "or 'resolved: true' once the partners have settled it.",
    ("benefits",): "Each partner's benefit as it rates it; only the shares count.",
}

# Commented-out placeholders for important fields that are still missing (comments=True).
_PLACEHOLDERS: dict[tuple[str, ...], tuple[tuple[str, str], ...]] = {
    ("why",): (
        ("shared_vision", "what the partners want to change together, in a sentence or two"),
        ("joint_mission", "how the partnership will get there"),
    ),
    ("what",): (
        ("commitments", "[{id: c1, by: <partner id>, kind: money, description: ..., due: 2026-06-30}]"),
        ("kpis", "see docs/agreement-format.md (baseline, targets, measurements)"),
    ),
    ("how", "governance"): (("body", "the steering group"), ("meets", "monthly")),
    ("how", "review"): (("date", "2026-12-31  (when the whole agreement is next reviewed)"),),
    ("how", "dispute_resolution"): (
        (
            "ladder",
            "[{step: leads, days: 14}, {step: senior_leaders, days: 30}, {step: mediation, days: 60}, "
            "{step: arbitration_or_exit, days: 90}]",
        ),
    ),
    ("how", "exit"): (("notice_days", "90"), ("transition", "what happens to shared work and data")),
}


class _Dumper(yaml.SafeDumper):
    """The safe dumper without anchors: a date used twice is written twice (the loader refuses aliases)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _plain(value: Any) -> Any:
    """Data PyYAML's safe dumper writes: enum values, whole floats as integers, dates as dates."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _document(model: BaseModel, path: tuple[str, ...] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        here = (*path, name)
        if name != "status" and here not in _ALWAYS and value == field.get_default(call_default_factory=True):
            continue
        if isinstance(value, BaseModel):
            out[name] = _document(value, here)
        elif isinstance(value, list):
            out[name] = [_document(v, here) if isinstance(v, BaseModel) else _plain(v) for v in value]
        else:
            out[name] = _plain(value)
    return out


def agreement_document(agreement: Agreement) -> dict[str, Any]:
    """The agreement as plain data in file order (defaults left out, statuses kept)."""
    return _document(agreement)


def _header(agreement: Agreement) -> list[str]:
    if agreement.state == "draft":
        return [
            "DRAFT partnership agreement, for the partners to discuss, complete and change.",
            "Nothing in it is agreed until every partner has signed. Items drafted from the assessment",
            "say in 'source' where they came from.",
            "Check it with: commonground agreement check this-file.yaml",
        ]
    return [
        "Partnership agreement, format version 1 (state: agreed, signed by every partner).",
        "Check it with: commonground agreement check this-file.yaml",
    ]


class _Writer:
    def __init__(self, *, comments: bool, allow_unicode: bool):
        self.comments = comments
        self.allow_unicode = allow_unicode
        self.lines: list[str] = []

    def _dump(self, data: Any) -> list[str]:
        text = yaml.dump(
            data,
            Dumper=_Dumper,
            sort_keys=False,
            allow_unicode=self.allow_unicode,
            width=_WIDTH,
            default_flow_style=False,
        )
        return text.rstrip("\n").split("\n")

    def _comment(self, pad: str, text: str) -> None:
        self.lines.extend(f"{pad}# {line}" if line else f"{pad}#" for line in text.split("\n"))

    def mapping(self, data: dict[str, Any], path: tuple[str, ...], indent: int) -> None:
        pad = " " * indent
        for key, value in data.items():
            here = (*path, key)
            if self.comments and here in _NOTES:
                self._comment(pad, _NOTES[here])
            if isinstance(value, dict) and value and (here in _ALWAYS or here in _PLACEHOLDERS):
                self.lines.append(f"{pad}{key}:")
                self.mapping(value, here, indent + _INDENT)
            else:
                self.lines.extend(pad + line for line in self._dump({key: value}))
        if self.comments:
            for key, hint in _PLACEHOLDERS.get(path, ()):
                if key not in data:
                    self._comment(pad, f"{key}: {hint}")


def _write(agreement: Agreement, document: dict[str, Any], *, comments: bool, allow_unicode: bool) -> str:
    writer = _Writer(comments=comments, allow_unicode=allow_unicode)
    if comments:
        writer.lines.extend(f"# {line}" for line in _header(agreement))
    writer.mapping(document, (), 0)
    return "\n".join(writer.lines) + "\n"


def dump_agreement(agreement: Agreement, *, comments: bool = True) -> str:
    """The agreement as YAML that loads back to an equal agreement; ``comments`` adds guidance."""
    document = agreement_document(agreement)
    text = _write(agreement, document, comments=comments, allow_unicode=True)
    if yaml.safe_load(text) != document:
        # PyYAML folds some Unicode line breaks (U+0085, U+2028) in quoted text; escaping keeps them.
        text = _write(agreement, document, comments=comments, allow_unicode=False)
    return text
