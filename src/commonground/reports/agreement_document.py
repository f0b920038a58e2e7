"""A partnership agreement as a document people read, print and sign: one HTML page, and a PDF of it.

The sections follow the agreement format (WHO, WHY, WHAT, HOW, then what is still open), each with
its status in words; every partner's contribution is quoted in its own words. Given the signatures
(:class:`SignOff`) the document ends with who signed which version and when; without them it ends
with a block to sign on paper. Given ``as_of``, commitments show whether they are met, due or
overdue on that day (KPIs always show their status at their latest reading).

The page inlines its stylesheet (A4 when printed), has no scripts and no links out, and escapes
every piece of text from the agreement. The PDF is the same HTML laid out by WeasyPrint, imported
only when a PDF is asked for, as in :mod:`commonground.reports.board`.

The pieces are in ``agreement_elements.py`` and the WHO, WHY, WHAT and HOW sections in
``agreement_sections.py``; this module puts the page together, with what is still open and the
signatures.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from importlib.resources import files

from commonground.core.agreement.models import Agreement, OpenItem

from .agreement_elements import code_words, item_list, paragraph, table
from .agreement_sections import how_section, what_section, who_section, why_section
from .board import pdf_from_html
from .charts.svg import esc

CSS = files(__package__).joinpath("agreement_document.css").read_text(encoding="utf-8")
DOCUMENT_FORMATS = ("html", "pdf")


@dataclasses.dataclass(frozen=True)
class SignOff:
    """One partner organisation's signature as the document shows it."""

    partner: str  # the organisation's name
    signer: str  # the person who signed for it
    version: int  # the version signed
    signed_at: datetime.datetime | datetime.date


# --------------------------------------------------------------------------- open items, sign-off


def _open_items(agreement: Agreement) -> str:
    items = agreement.open_items
    if not items:
        return ""

    def line(item: OpenItem) -> str:
        whose = f" ({esc(agreement.partner_name(item.partner))})" if item.partner else ""
        where = f' <span class="muted">Settled in: {esc(item.where)}</span>' if item.where else ""
        return f"{esc(code_words(item.kind.value))}{whose}: {esc(item.text)}{where}"

    still = [line(i) for i in items if not i.resolved]
    settled = [line(i) for i in items if i.resolved]
    out = ['<h2 id="open">Still to settle</h2>']
    out.append(item_list(still) or paragraph(None, empty="Nothing: every open item is settled."))
    if settled:
        out.append(f"<h3>Settled</h3>{item_list(settled)}")
    return "".join(out)


def _signed_on(value: datetime.datetime | datetime.date) -> str:
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M %Z").strip()
    return value.isoformat()


def _signoff(agreement: Agreement, version: int | None, signatures: Sequence[SignOff]) -> str:
    out = ['<section class="signoff"><h2 id="signoff">Signatures</h2>']
    if signatures:
        rows = [
            (
                s.partner,
                s.signer,
                str(s.version) + ("" if version is None or s.version == version else " (an earlier version)"),
                _signed_on(s.signed_at),
            )
            for s in signatures
        ]
        out.append(table(("Partner", "Signed by", "Version", "Signed on"), rows))
    else:
        rows = [(p.name, "", "", "") for p in agreement.who.partners]
        out.append("<p>Signed for each partner by a person entitled to sign for it:</p>")
        out.append(table(("Partner", "Name", "Date", "Signature"), rows))
    out.append("</section>")
    return "".join(out)


# --------------------------------------------------------------------------- the page


def _state(agreement: Agreement, version: int | None) -> str:
    numbered = f"Version {version}. " if version is not None else ""
    if agreement.state == "draft":
        return (
            f'<p class="state draft">{esc(numbered)}DRAFT: nothing in this document is agreed until every '
            "partner has signed it.</p>"
        )
    return f'<p class="state">{esc(numbered)}Agreed: signed by every partner.</p>'


def render_agreement_document(
    agreement: Agreement,
    *,
    as_of: datetime.date | None = None,
    version: int | None = None,
    signatures: Sequence[SignOff] = (),
) -> str:
    """The agreement as one self-contained HTML page (inline CSS, no scripts, every text escaped).

    ``version`` is the version this document shows (signatures of another one are marked);
    ``as_of`` adds each commitment's status on that day.
    """
    partners = " · ".join(p.name for p in agreement.who.partners)
    dated = f"Commitments as of {as_of.isoformat()}. " if as_of is not None else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light">'
        f"<title>{esc(agreement.title)}: partnership agreement</title><style>{CSS}</style></head><body><main>"
        f'<header><p class="kicker">Partnership agreement · Common Ground</p><h1>{esc(agreement.title)}</h1>'
        f"<p><strong>{esc(partners)}</strong></p>{_state(agreement, version)}"
        f'<p class="muted">{esc(dated)}Amounts in {esc(agreement.currency)}.</p></header>'
        + who_section(agreement)
        + why_section(agreement)
        + what_section(agreement, as_of)
        + how_section(agreement)
        + _open_items(agreement)
        + _signoff(agreement, version, signatures)
        + "<footer>Written with Common Ground from the agreement file (format version 1). The file, "
        "not this document, is what the partners edit.</footer>"
        "</main></body></html>\n"
    )


def render_agreement_document_pdf(
    agreement: Agreement,
    *,
    as_of: datetime.date | None = None,
    version: int | None = None,
    signatures: Sequence[SignOff] = (),
) -> bytes:
    """The agreement as an A4 PDF, laid out by WeasyPrint from :func:`render_agreement_document`."""
    html = render_agreement_document(agreement, as_of=as_of, version=version, signatures=signatures)
    return pdf_from_html(html, html_form="the HTML document")
