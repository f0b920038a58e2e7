"""The read-only sections of the agreement page and of a KPI page: rendered once, then read from the
cache until anything they show changes.

What they show is the agreement in force: the terms (the stored document) with the records merged in
(readings, deliveries, decisions and votes). Their cache key holds a digest of the terms, the
partnership's last change (``updated_at``, which every agreement write, record and signature moves in
its own transaction through ``partnership_touch``) and the language and time zone they are formatted
in. Whatever changes gives a new key, so nothing is invalidated by hand and nothing outdated is ever
shown. No section depends on the day: KPI statuses compare readings with the line on the reading's own
date. The partnership is loaded before the records are read, so a write committed in between can only
make a section newer than its key, never older.

A hit costs no query and no validation; a miss costs the four record queries of the agreement in force,
its validation and the templates. Whatever differs between readers (edit links, forms, sign buttons,
comments, CSRF tokens) is never in a section: the page renders it around them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from commonground.web.agreements.models import Agreement
from commonground.web.agreements.selectors import AgreementText, agreement_in_force
from commonground.web.agreements.tracking_selectors import kpi_page
from commonground.web.fragments import fragment_key
from commonground.web.partnerships.models import Partnership


def _key(kind: str, agreement: Agreement, partnership: Partnership, *extra: str) -> str:
    return fragment_key(
        f"agreement-{kind}", agreement.pk, agreement.document, partnership.updated_at.isoformat(), *extra
    )


def _render(template: str, context: dict[str, Any]) -> SafeString:
    # Safe: the template escaped every value it placed.
    return mark_safe(render_to_string(template, context))  # noqa: S308


@dataclass(frozen=True)
class Contributor:
    """A partner as its contribution form needs it."""

    id: str
    name: str
    contribution: str


@dataclass(frozen=True)
class AgreementSections:
    """The agreement page's read-only sections, as HTML, and the partners for the contribution forms."""

    open_items: SafeString
    who: SafeString
    why: SafeString
    what: SafeString
    how: SafeString
    partners: tuple[Contributor, ...]


def agreement_sections(*, partnership: Partnership, agreement: Agreement) -> AgreementSections:
    """The agreement page's read-only sections: from the cache, else rendered and cached."""
    key = _key("page", agreement, partnership)
    sections: AgreementSections | None = cache.get(key)
    if sections is None:
        document = agreement_in_force(agreement)
        context = {"doc": document, "text": AgreementText(document)}
        sections = AgreementSections(
            open_items=_render("agreements/_open_items.html", context),
            who=_render("agreements/_who.html", context),
            why=_render("agreements/_why.html", context),
            what=_render("agreements/_what.html", context),
            how=_render("agreements/_how.html", context),
            partners=tuple(Contributor(p.id, p.name, p.contribution or "") for p in document.who.partners),
        )
        cache.set(key, sections)
    return sections


@dataclass(frozen=True)
class KpiSections:
    """A KPI page's read-only sections, as HTML, with what the page says around them."""

    id: str
    name: str
    reporter_ids: tuple[str, ...]  # whose members enter its readings
    reporters: str  # the same, in words
    trend: SafeString  # its status and the chart of its readings against the line
    readings: SafeString  # the table of readings
    sheet: SafeString  # its reference sheet


def kpi_sections(*, partnership: Partnership, agreement: Agreement, kpi_id: str) -> KpiSections | None:
    """One KPI's read-only sections, None when the agreement has no such KPI: from the cache, else
    rendered and cached."""
    key = _key("kpi", agreement, partnership, kpi_id)
    sections: KpiSections | None = cache.get(key)
    if sections is None:
        page = kpi_page(agreement=agreement, kpi_id=kpi_id)
        if page is None:
            return None
        context = {"page": page, "r": page.row.result, "kpi": page.row.result.kpi}
        sections = KpiSections(
            id=kpi_id,
            name=page.row.result.kpi.name,
            reporter_ids=tuple(page.reporter_ids),
            reporters=page.reporters,
            trend=_render("agreements/_kpi_trend.html", context),
            readings=_render("agreements/_kpi_readings.html", context),
            sheet=_render("agreements/_kpi_sheet.html", context),
        )
        cache.set(key, sections)
    return sections
