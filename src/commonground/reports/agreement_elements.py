"""The HTML pieces the agreement document is built of: headings with a status, paragraphs, lists, tables."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from commonground.core.agreement.models import Agreement
from commonground.core.agreement.parts import SectionStatus
from commonground.core.agreement.wording import MISSING

from .charts.svg import esc

STATUS_WORDS = {
    SectionStatus.NOT_RELEVANT: "not relevant",
    SectionStatus.NOT_IN_PLACE: "not in place",
    SectionStatus.PARTIALLY: "partially in place",
    SectionStatus.FULLY: "fully in place",
}


# --------------------------------------------------------------------------- small pieces


def code_words(value: str) -> str:
    """A code in words: its underscores as spaces."""
    return value.replace("_", " ")


def date_text(value: datetime.date | None) -> str:
    """A date as ISO text, or the missing mark."""
    return value.isoformat() if value is not None else MISSING


def _status(status: SectionStatus) -> str:
    return f'<span class="status status-{status.value}">{esc(STATUS_WORDS[status])}</span>'


def heading(level: int, title: str, status: SectionStatus | None = None, anchor: str = "") -> str:
    """A heading, escaped, with the section's status after it when given."""
    ident = f' id="{esc(anchor)}"' if anchor else ""
    return f"<h{level}{ident}>{esc(title)}{_status(status) if status is not None else ''}</h{level}>"


def paragraph(text: str | None, *, empty: str = "") -> str:
    """A paragraph of ``text``, or of ``empty`` muted when there is none (empty string for neither)."""
    if text:
        return f"<p>{esc(text)}</p>"
    return f'<p class="muted">{esc(empty)}</p>' if empty else ""


def item_list(items: Iterable[str], tag: str = "ul") -> str:
    """A list of already escaped items (empty string for none)."""
    shown = list(items)
    return f"<{tag}>" + "".join(f"<li>{item}</li>" for item in shown) + f"</{tag}>" if shown else ""


def table(columns: Sequence[str], rows: Iterable[Sequence[str]], *, numeric: Sequence[int] = ()) -> str:
    """A table of plain-text cells (escaped here); ``numeric`` columns are right-aligned."""
    head = "".join(f'<th scope="col">{esc(column)}</th>' for column in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{esc(cell)}</td>' if i in numeric else f"<td>{esc(cell)}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def field_list(pairs: Iterable[tuple[str, str | None]]) -> str:
    """A definition list of the pairs that have a value."""
    shown = [f"<dt>{esc(term)}</dt><dd>{esc(value)}</dd>" for term, value in pairs if value]
    return f"<dl>{''.join(shown)}</dl>" if shown else ""


def assignee_names(agreement: Agreement, assignees: Sequence[str]) -> str:
    """The names behind RACI assignees, joined, or the missing mark."""
    return ", ".join(agreement.partner_name(a) for a in assignees) or MISSING
