"""The parts of an agreement people edit one at a time, and turning a part's form into the document.

Each part (WHO, WHY, WHAT, HOW, open items) is a mapping inside the stored document. Its form has a
status, a few plain fields (texts, dates, numbers, statuses of clauses) and one YAML box for the
list-heavy rest (objectives, workstreams, commitments, KPIs, decision rule ...). Saving a part replaces
that mapping: the plain fields and the box are merged and validated by the core model of the part,
and every problem comes back with its field path and, for the box, its line.

The box holds terms only: KPI readings, deliveries on commitments and the decision log are records,
entered on their own pages (``in_force.py``); the box leaves them out and refuses them, naming the
page, and any the stored document still holds are carried over on save, read only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from commonground.core.agreement import models as core
from commonground.core.agreement.how import How
from commonground.core.agreement.parts import SectionStatus
from commonground.core.agreement.references import reference_problems
from commonground.core.agreement.what import What
from commonground.core.agreement.who import Who
from commonground.core.agreement.why import Why
from commonground.core.loading import LoadError, Problem, format_path
from commonground.core.loading.messages import validate_model
from commonground.core.loading.problems import Document

# The parser of profile files, which gives each field its line and refuses anchors, aliases and tags;
# imported from its module because the loading package does not export it (yet).
from commonground.core.loading.reading import parse_document
from commonground.web.agreements.in_force import carry_records, record_fields, strip_records

# A section box holds at most this many characters (a large agreement's WHAT is well under it).
MAX_BOX_CHARS = 400_000

STATUS_WORDS: dict[str, str] = {
    SectionStatus.NOT_RELEVANT.value: "Not relevant",
    SectionStatus.NOT_IN_PLACE.value: "Not in place",
    SectionStatus.PARTIALLY.value: "Partially in place",
    SectionStatus.FULLY.value: "Fully in place",
}
# The site's badge colours (site.css ``.verdict-*``, checked for contrast) for each status.
STATUS_BADGES: dict[str, str] = {
    SectionStatus.NOT_RELEVANT.value: "none",
    SectionStatus.NOT_IN_PLACE.value: "blocked",
    SectionStatus.PARTIALLY.value: "workable",
    SectionStatus.FULLY.value: "aligned",
}


class OpenItemsPart(BaseModel):
    """The open items as a part of their own (they are a list at the document's top level)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    open_items: list[core.OpenItem] = Field(default_factory=list, max_length=500)


@dataclass(frozen=True)
class PlainField:
    """A plain form field and where its value goes inside the part (``("review", "date")``)."""

    name: str
    label: str
    path: tuple[str, ...]
    kind: str  # "text" | "long_text" | "status" | "date" | "number"


@dataclass(frozen=True)
class Part:
    """One editable part of the agreement."""

    key: str  # in URLs
    title: str
    where: tuple[str, ...]  # its place in the document; () for the top level (open items)
    model: type[BaseModel]
    plain: tuple[PlainField, ...]
    box: tuple[str, ...]  # the fields edited as YAML
    has_status: bool = True

    def current(self, document: dict[str, Any]) -> dict[str, Any]:
        """The part's mapping in ``document``."""
        data: Any = document
        for key in self.where:
            data = data.get(key, {})
        if not self.where:
            return {"open_items": data.get("open_items", [])}
        return dict(data)

    def initial(self, document: dict[str, Any]) -> dict[str, Any]:
        """The form's initial values: status, plain fields and the box's YAML (without records: readings,
        deliveries and the decision log are entered on their own pages)."""
        part = self.model.model_validate(self.current(document))
        dumped = part.model_dump(mode="json")
        values: dict[str, Any] = {}
        if self.has_status:
            values["status"] = dumped["status"]
        for field in self.plain:
            value: Any = dumped
            for key in field.path:
                value = value.get(key) if isinstance(value, dict) else None
            values[field.name] = "" if value is None else value
        values["box"] = dump_yaml(strip_records(self.key, box_data(part, self.box)))
        return values

    def merged(
        self, document: dict[str, Any], cleaned: dict[str, Any]
    ) -> tuple[dict[str, Any], list[Problem]]:
        """The part as the form says (plain fields over the current part, the box's fields replaced),
        validated by the part's model; problems name their field path and, in the box, their line."""
        box_text = str(cleaned.get("box") or "")
        try:
            doc = parse_document(box_text or "{}", "YAML", "yaml")
        except LoadError as exc:
            return {}, exc.problems
        if doc.data is None:
            doc.data = {}
        if not isinstance(doc.data, dict):
            return {}, [*doc.problems, doc.problem((), "write a mapping: one 'field: value' per line")]
        problems = list(doc.problems)
        for key in doc.data:
            if key not in self.box:
                problems.append(
                    doc.problem((key,), f"unknown field {key!r} here; this box holds {', '.join(self.box)}")
                )
        problems.extend(doc.problem(loc, message) for loc, message in record_fields(self.key, doc.data))
        current = self.current(document)
        data = {key: value for key, value in current.items() if key not in self.box}
        data.update({key: value for key, value in doc.data.items() if key in self.box})
        data = carry_records(self.key, current, data)
        if self.has_status:
            data["status"] = cleaned.get("status") or SectionStatus.NOT_IN_PLACE.value
        for field in self.plain:
            _put(data, field.path, _plain_value(cleaned.get(field.name)))
        return self._validated(document, data, problems, doc)

    def replaced(
        self, document: dict[str, Any], content: dict[str, Any]
    ) -> tuple[dict[str, Any], list[Problem]]:
        """The part replaced whole by ``content`` (the API's body: the part as a read of it gives it),
        validated as ``merged`` validates a form; record fields are refused and the stored ones carried
        over in the same way, and problems name their path in ``content``."""
        doc = Document("API", content, {}, [])
        problems = [doc.problem(loc, message) for loc, message in record_fields(self.key, content)]
        data = carry_records(self.key, self.current(document), dict(content))
        return self._validated(document, data, problems, doc)

    def _validated(
        self, document: dict[str, Any], data: dict[str, Any], problems: list[Problem], doc: Document
    ) -> tuple[dict[str, Any], list[Problem]]:
        """``data`` validated by the part's model and, in place, the whole document's references."""
        if problems:
            return {}, problems
        validated, found = validate_model(self.model, data, doc)
        if validated is None:
            return {}, sorted(found, key=lambda problem: problem.line or 0)
        merged: dict[str, Any] = validated.model_dump(mode="json")
        return merged, self._reference_problems(document, merged, doc)

    def content(self, document: dict[str, Any]) -> dict[str, Any]:
        """The part in ``document`` as the format dumps it, without records: what ``replaced`` takes."""
        dumped: dict[str, Any] = self.model.model_validate(self.current(document)).model_dump(mode="json")
        return strip_records(self.key, dumped)

    def _reference_problems(
        self, document: dict[str, Any], merged: dict[str, Any], doc: Document
    ) -> list[Problem]:
        """Unknown partner ids, repeated ids and broken KPI links in the document with this part in
        place, those inside the part named with their line in the box."""
        try:
            whole = core.Agreement.model_validate(self.place(document, merged))
        except ValidationError:
            return []  # the service names what is wrong with the document as a whole
        depth = len(self.where)
        return [
            doc.problem(loc[depth:], message)
            if loc[:depth] == self.where
            else Problem("", format_path(loc), None, message)
            for loc, message in reference_problems(whole)
        ]

    def place(self, document: dict[str, Any], merged: dict[str, Any]) -> dict[str, Any]:
        """``document`` with this part replaced by ``merged`` (a new dict; the old one is unchanged)."""
        if not self.where:
            return {**document, **merged}
        return {**document, self.where[0]: merged}

    def field_for(self, problem: Problem) -> str | None:
        """The form field a problem belongs to: a plain field, the status or the box (None: the form)."""
        if problem.line is not None:
            return "box"
        for field in self.plain:
            if problem.path == ".".join(field.path) or problem.path.startswith(".".join(field.path) + "."):
                return field.name
        if problem.path == "status":
            return "status"
        return None


def box_data(part: BaseModel, fields: tuple[str, ...]) -> dict[str, Any]:
    """The ``fields`` of a part, leaving out values that are the defaults (an empty box reads back as
    the defaults)."""
    full = part.model_dump(mode="json")
    short = part.model_dump(mode="json", exclude_defaults=True)
    return {key: short.get(key, full[key]) for key in fields}


def dump_yaml(data: Any) -> str:
    """YAML in the order given, Unicode kept, that reads back equal (escaped where PyYAML folds text)."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    if yaml.safe_load(text) != data:
        # PyYAML folds some Unicode line breaks (U+0085, U+2028) in quoted text; escaping keeps them.
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=False, width=100)
    return str(text)


def _plain_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    return value


def _put(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        inner = data.get(key)
        data[key] = dict(inner) if isinstance(inner, dict) else {}
        data = data[key]
    if value is None:
        data.pop(path[-1], None)
    else:
        data[path[-1]] = value


def _clause(name: str, label: str) -> tuple[PlainField, PlainField]:
    return (
        PlainField(f"{name}_status", f"{label}: status", (name, "status"), "status"),
        PlainField(f"{name}_text", label, (name, "text"), "long_text"),
    )


PARTS: dict[str, Part] = {
    part.key: part
    for part in (
        Part("who", "Who: the partners", ("who",), Who, (), ("partners",)),
        Part(
            "why",
            "Why: vision, objectives and principles",
            ("why",),
            Why,
            (
                PlainField("shared_vision", "Shared vision", ("shared_vision",), "long_text"),
                PlainField("joint_mission", "Joint mission statement", ("joint_mission",), "long_text"),
            ),
            ("shared_objectives", "partner_objectives", "principles"),
        ),
        Part(
            "what",
            "What: work, commitments and KPIs",
            ("what",),
            What,
            (),
            ("workstreams", "commitments", "kpis", "sroi"),
        ),
        Part(
            "how",
            "How: governance, decisions and clauses",
            ("how",),
            How,
            (
                *_clause("communication", "Communication and branding"),
                *_clause("confidentiality", "Confidentiality"),
                PlainField("review_status", "Review: status", ("review", "status"), "status"),
                PlainField("review_date", "Next review of the agreement", ("review", "date"), "date"),
                PlainField("exit_status", "Exit: status", ("exit", "status"), "status"),
                PlainField("exit_notice_days", "Notice to leave (days)", ("exit", "notice_days"), "number"),
                PlainField("exit_transition", "Exit and transition", ("exit", "transition"), "long_text"),
            ),
            ("governance", "decisions", "checkins", "dispute_resolution"),
        ),
        Part("open-items", "Open items", (), OpenItemsPart, (), ("open_items",), has_status=False),
    )
}
