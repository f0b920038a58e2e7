"""Terms and records: what the signed document holds, and what is entered day to day beside it.

The document (``Agreement.document``) holds the TERMS partners sign: KPIs with their baselines and
targets, commitments with their due dates, the decision rule. The RECORDS of living with it, KPI
readings, deliveries against commitments and decisions with their votes, are rows of their own
(``Measurement``, ``Delivery``, ``Decision``, ``Vote``): entering a reading or casting a vote must not
make a new version of the agreement or reopen its sign-off.

Everything that reads the agreement reads it *in force*: the terms with the records merged back in
(readings into ``what.kpis[].measurements``, deliveries into ``what.commitments[].fulfilment`` and
``met``, decisions into ``how.decisions.log``), which is :func:`merged_document` here and
``selectors.agreement_in_force`` for a stored agreement.

Records that arrive inside a document (a first draft, a file) are taken out of it with
:func:`split_records` and stored as rows; the part editor never shows them in its YAML box and refuses
them there (:func:`record_fields`), naming the page where each kind is entered. Any record a stored
document still holds stays in force and read only: a save of its part carries it over
(:func:`carry_records`).

Pure functions over the stored JSON (no models), so the data migration uses them too.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Where each kind of record is entered, for messages that send people there.
KPI_PAGE = "readings are entered on the KPIs page"
COMMITMENT_PAGE = "deliveries are recorded on the Commitments page"
DECISION_PAGE = "decisions are proposed and voted on the Decisions page"


@dataclass
class Records:
    """Records as plain data: what a document held, or what the rows say."""

    measurements: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (kpi id, reading)
    # (commitment id, {"date", "value", "note", "met_in_full"})
    deliveries: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)  # core Decision as JSON, votes included

    def __bool__(self) -> bool:
        return bool(self.measurements or self.deliveries or self.decisions)


def _items(document: Mapping[str, Any], section: str, key: str) -> list[dict[str, Any]]:
    items = document.get(section, {}).get(key, [])
    return [dict(item) for item in items] if isinstance(items, list) else []


def split_records(document: Mapping[str, Any], *, today: datetime.date) -> tuple[dict[str, Any], Records]:
    """The document with its record fields emptied (the terms, shaped as the format dumps them), and
    the records it held (``met`` without a dated delivery becomes a delivery in full on ``today``)."""
    records = Records()
    kpis = []
    for kpi in _items(document, "what", "kpis"):
        records.measurements.extend((kpi["id"], dict(m)) for m in kpi.get("measurements") or [])
        kpis.append({**kpi, "measurements": []})
    commitments = []
    for commitment in _items(document, "what", "commitments"):
        parts = [dict(f) for f in commitment.get("fulfilment") or []]
        met = bool(commitment.get("met"))
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            records.deliveries.append((commitment["id"], {**part, "met_in_full": met and last}))
        if met and not parts:
            records.deliveries.append(
                (
                    commitment["id"],
                    {"date": today.isoformat(), "value": None, "met_in_full": True,
                     "note": "Marked delivered in full in the agreement before deliveries were recorded."},
                )
            )  # fmt: skip
        commitments.append({**commitment, "fulfilment": [], "met": False})
    how = dict(document.get("how", {}))
    decisions = dict(how.get("decisions", {}))
    records.decisions = [dict(d) for d in decisions.get("log") or []]
    terms = dict(document)
    if "what" in document:
        terms["what"] = {**document["what"], "kpis": kpis, "commitments": commitments}
    if "how" in document:
        terms["how"] = {**how, "decisions": {**decisions, "log": []}}
    return terms, records


def merged_document(terms: Mapping[str, Any], records: Records) -> dict[str, Any]:
    """The document in force: ``terms`` with ``records`` merged in (records of a KPI or commitment the
    terms no longer have are left out; they come back if it does)."""
    readings: dict[str, list[dict[str, Any]]] = {}
    for kpi_id, reading in records.measurements:
        readings.setdefault(kpi_id, []).append(reading)
    delivered: dict[str, list[dict[str, Any]]] = {}
    for commitment_id, delivery in records.deliveries:
        delivered.setdefault(commitment_id, []).append(delivery)
    kpis = [
        {**kpi, "measurements": [*(kpi.get("measurements") or []), *readings.get(kpi["id"], [])]}
        for kpi in _items(terms, "what", "kpis")
    ]
    commitments = []
    for commitment in _items(terms, "what", "commitments"):
        own = delivered.get(commitment["id"], [])
        fulfilment = [
            {key: d[key] for key in ("date", "value", "note") if d.get(key) is not None} for d in own
        ]
        met = bool(commitment.get("met")) or any(d.get("met_in_full") for d in own)
        commitments.append(
            {**commitment, "fulfilment": [*(commitment.get("fulfilment") or []), *fulfilment], "met": met}
        )
    what = {**terms.get("what", {}), "kpis": kpis, "commitments": commitments}
    how = dict(terms.get("how", {}))
    decisions = dict(how.get("decisions", {}))
    decisions["log"] = [*(decisions.get("log") or []), *records.decisions]
    return {**terms, "what": what, "how": {**how, "decisions": decisions}}


# The record fields of each editable part, as (path pattern inside the part, where they are entered);
# "*" is any list position.
_RECORD_FIELDS: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    "what": (
        (("kpis", "*", "measurements"), KPI_PAGE),
        (("commitments", "*", "fulfilment"), COMMITMENT_PAGE),
        (("commitments", "*", "met"), COMMITMENT_PAGE),
    ),
    "how": ((("decisions", "log"), DECISION_PAGE),),
}


def _found(data: Any, pattern: tuple[str, ...], at: tuple[str | int, ...]) -> Iterable[tuple[str | int, ...]]:
    if not pattern:
        if data:  # an empty list or ``met: false`` says nothing to refuse
            yield at
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from _found(item, rest, (*at, i))
    elif isinstance(data, dict) and head in data:
        yield from _found(data[head], rest, (*at, head))


def record_fields(part_key: str, data: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """Record fields written in a part's box, each with its place and a message naming its page."""
    return [
        (loc, f"not here: {where}, so that entering one never reopens the sign-off")
        for pattern, where in _RECORD_FIELDS.get(part_key, ())
        for loc in _found(data, pattern, ())
    ]


def strip_records(part_key: str, part: Mapping[str, Any]) -> dict[str, Any]:
    """A part's mapping without its record fields (what the box shows)."""
    if part_key == "what":
        return {
            **part,
            "kpis": [{k: v for k, v in kpi.items() if k != "measurements"} for kpi in part.get("kpis", [])],
            "commitments": [
                {k: v for k, v in c.items() if k not in ("fulfilment", "met")}
                for c in part.get("commitments", [])
            ],
        }
    if part_key == "how" and isinstance(part.get("decisions"), dict):
        return {**part, "decisions": {k: v for k, v in part["decisions"].items() if k != "log"}}
    return dict(part)


def carry_records(part_key: str, current: Mapping[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (a part as the form says) with the records the stored part still holds carried over, by
    KPI and commitment id, so a save never drops one (they stay read only)."""
    if part_key == "what":
        # A list's place holding something else (an API body's "kpis": 5) is left for the part's
        # validation to name; carrying records over needs lists.
        if not all(isinstance(data.get(key) or [], list) for key in ("kpis", "commitments")):
            return data
        held = {k["id"]: k.get("measurements") for k in current.get("kpis", []) if k.get("measurements")}
        given = {c["id"]: c for c in current.get("commitments", [])}
        kpis = [
            {**k, "measurements": held[k["id"]]} if isinstance(k, dict) and k.get("id") in held else k
            for k in data.get("kpis", []) or []
        ]
        commitments = []
        for c in data.get("commitments", []) or []:
            old = given.get(c.get("id")) if isinstance(c, dict) else None
            if old and (old.get("fulfilment") or old.get("met")):
                c = {**c, "fulfilment": old.get("fulfilment") or [], "met": bool(old.get("met"))}
            commitments.append(c)
        return {**data, "kpis": kpis, "commitments": commitments} if held or given else data
    if part_key == "how":
        log = current.get("decisions", {}).get("log")
        if log:
            decisions = data.get("decisions")
            decisions = dict(decisions) if isinstance(decisions, dict) else {}
            return {**data, "decisions": {**decisions, "log": log}}
    return data
