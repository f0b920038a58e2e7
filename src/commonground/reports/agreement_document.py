"""A partnership agreement as a document people read, print and sign: one HTML page, and a PDF of it.

The sections follow the agreement format (WHO, WHY, WHAT, HOW, then what is still open), each with
its status in words; every partner's contribution is quoted in its own words. Given the signatures
(:class:`SignOff`) the document ends with who signed which version and when; without them it ends
with a block to sign on paper. Given ``as_of``, commitments show whether they are met, due or
overdue on that day (KPIs always show their status at their latest reading).

The page inlines its stylesheet (A4 when printed), has no scripts and no links out, and escapes
every piece of text from the agreement. The PDF is the same HTML laid out by WeasyPrint, imported
only when a PDF is asked for, as in :mod:`commonground.reports.board`.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Sequence
from importlib.resources import files

from commonground.core.agreement.commitments import STATUS_WORDS as COMMITMENT_WORDS
from commonground.core.agreement.commitments import commitment_status, delivered_value
from commonground.core.agreement.decisions import RULE_WORDS
from commonground.core.agreement.kpis import STATUS_WORDS as KPI_WORDS
from commonground.core.agreement.kpis import kpi_status
from commonground.core.agreement.models import (
    Agreement,
    Clause,
    Decision,
    DecisionRule,
    LadderStep,
    OpenItem,
    RuleKind,
    SectionStatus,
    Workstream,
)
from commonground.core.agreement.power import DEFAULT_SUPERMAJORITY
from commonground.core.agreement.wording import MISSING, money_text, number_text, share_text

from .board import PdfUnavailable
from .charts.svg import esc

CSS = files(__package__).joinpath("agreement_document.css").read_text(encoding="utf-8")
DOCUMENT_FORMATS = ("html", "pdf")

STATUS_WORDS = {
    SectionStatus.NOT_RELEVANT: "not relevant",
    SectionStatus.NOT_IN_PLACE: "not in place",
    SectionStatus.PARTIALLY: "partially in place",
    SectionStatus.FULLY: "fully in place",
}
LADDER_WORDS = {
    LadderStep.LEADS: "The partners' leads",
    LadderStep.SENIOR_LEADERS: "Senior leaders",
    LadderStep.MEDIATION: "Facilitated dialogue or mediation",
    LadderStep.ARBITRATION_OR_EXIT: "Arbitration or exit",
}


@dataclasses.dataclass(frozen=True)
class SignOff:
    """One partner organisation's signature as the document shows it."""

    partner: str  # the organisation's name
    signer: str  # the person who signed for it
    version: int  # the version signed
    signed_at: datetime.datetime | datetime.date


# --------------------------------------------------------------------------- small pieces


def _words(value: str) -> str:
    return value.replace("_", " ")


def _date(value: datetime.date | None) -> str:
    return value.isoformat() if value is not None else MISSING


def _status(status: SectionStatus) -> str:
    return f'<span class="status status-{status.value}">{esc(STATUS_WORDS[status])}</span>'


def _heading(level: int, title: str, status: SectionStatus | None = None, anchor: str = "") -> str:
    ident = f' id="{esc(anchor)}"' if anchor else ""
    return f"<h{level}{ident}>{esc(title)}{_status(status) if status is not None else ''}</h{level}>"


def _para(text: str | None, *, empty: str = "") -> str:
    if text:
        return f"<p>{esc(text)}</p>"
    return f'<p class="muted">{esc(empty)}</p>' if empty else ""


def _list(items: Iterable[str], tag: str = "ul") -> str:
    """A list of already escaped items (empty string for none)."""
    shown = list(items)
    return f"<{tag}>" + "".join(f"<li>{item}</li>" for item in shown) + f"</{tag}>" if shown else ""


def _table(columns: Sequence[str], rows: Iterable[Sequence[str]], *, numeric: Sequence[int] = ()) -> str:
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


def _fields(pairs: Iterable[tuple[str, str | None]]) -> str:
    """A definition list of the pairs that have a value."""
    shown = [f"<dt>{esc(term)}</dt><dd>{esc(value)}</dd>" for term, value in pairs if value]
    return f"<dl>{''.join(shown)}</dl>" if shown else ""


def _names(agreement: Agreement, assignees: Sequence[str]) -> str:
    return ", ".join(agreement.partner_name(a) for a in assignees) or MISSING


# --------------------------------------------------------------------------- WHO and WHY


def _who(agreement: Agreement) -> str:
    out = [_heading(2, "WHO: the partners", agreement.who.status, "who")]
    for partner in agreement.who.partners:
        out.append(f"<h3>{esc(partner.name)}</h3>")
        people = [
            esc(rep.name)
            + (f", {esc(rep.role)}" if rep.role else "")
            + (f" ({esc(rep.email)})" if rep.email else "")
            for rep in partner.representatives
        ]
        out.append(
            f"<p>Represented by:</p>{_list(people)}"
            if people
            else _para(None, empty="No representative named.")
        )
        if partner.contribution:
            out.append(f"<p>What {esc(partner.name)} brings, in its own words:</p>")
            out.append(f"<blockquote>{esc(partner.contribution)}</blockquote>")
    return "".join(out)


def _why(agreement: Agreement) -> str:
    why = agreement.why
    out = [_heading(2, "WHY: vision, mission and objectives", why.status, "why")]
    out += ["<h3>Shared vision</h3>", _para(why.shared_vision, empty="Not written yet.")]
    out += ["<h3>Joint mission</h3>", _para(why.joint_mission, empty="Not written yet.")]
    out.append("<h3>Shared objectives</h3>")
    objectives = [
        esc(o.text)
        + (f' <span class="muted">(SDGs {esc(", ".join(map(str, o.sdgs)))})</span>' if o.sdgs else "")
        for o in why.shared_objectives
    ]
    out.append(_list(objectives, "ol") or _para(None, empty="None stated yet."))
    if why.partner_objectives:
        out.append("<h3>Each partner's own objectives</h3>")
        for partner in agreement.who.partners:
            own = [esc(o.text) for o in why.partner_objectives if o.partner == partner.id]
            if own:
                out.append(f"<h4>{esc(partner.name)}</h4>{_list(own)}")
    out.append("<h3>Values and principles</h3>")
    out.append(_list(esc(p.text) for p in why.principles) or _para(None, empty="None stated yet."))
    return "".join(out)


# --------------------------------------------------------------------------- WHAT


def _workstream(agreement: Agreement, workstream: Workstream) -> str:
    out = [f"<h4>{esc(workstream.name)}</h4>", _para(workstream.description)]
    if workstream.tasks:
        rows = [
            (
                task.name,
                f"{_date(task.start)} to {_date(task.due)}" if task.start else _date(task.due),
                "done" if task.done else "open",
                _names(agreement, task.responsible),
                _names(agreement, task.accountable),
                _names(agreement, task.consulted),
                _names(agreement, task.informed),
            )
            for task in workstream.tasks
        ]
        columns = ("Task", "Dates", "State", "Responsible", "Accountable", "Consulted", "Informed")
        out.append(_table(columns, rows))
    return "".join(out)


def _commitments(agreement: Agreement, as_of: datetime.date | None) -> str:
    what = agreement.what
    if not what.commitments:
        return "<h3>Commitments</h3>" + _para(None, empty="No commitments yet.")
    currency = agreement.currency
    columns = ["By", "To", "Kind", "What", "Value", "Due", "Delivered"] + (["Status"] if as_of else [])
    rows = []
    for c in what.commitments:
        to = "the partnership" if c.to == "partnership" else agreement.partner_name(c.to)
        row = [
            agreement.partner_name(c.by),
            to,
            _words(c.kind.value),
            c.description,
            money_text(c.value, currency),
            c.due.isoformat(),
            money_text(delivered_value(c), currency) if c.fulfilment or c.met else MISSING,
        ]
        if as_of is not None:
            row.append(COMMITMENT_WORDS[commitment_status(c, today=as_of)])
        rows.append(row)
    return "<h3>Commitments</h3>" + _table(columns, rows, numeric=(4, 6))


def _kpis(agreement: Agreement) -> str:
    if not agreement.what.kpis:
        return "<h3>Key performance indicators</h3>" + _para(None, empty="No KPIs yet.")
    rows = []
    for kpi in agreement.what.kpis:
        result = kpi_status(kpi)
        latest = result.latest
        whose = f"{agreement.partner_name(kpi.partner)}'s own" if kpi.partner else "joint"
        rows.append(
            (
                kpi.name,
                f"{_words(kpi.category.value)}, {whose}",
                f"{kpi.unit}, {'higher' if kpi.direction.value == 'increase' else 'lower'} is better",
                f"{number_text(kpi.baseline.value)} on {kpi.baseline.date.isoformat()}",
                "; ".join(f"{number_text(t.value)} by {t.date.isoformat()}" for t in kpi.targets),
                f"{number_text(latest.value)} on {latest.date.isoformat()}" if latest else MISSING,
                KPI_WORDS[result.status],
                agreement.partner_name(kpi.owner) if kpi.owner else MISSING,
            )
        )
    columns = ("KPI", "Category", "Unit", "Baseline", "Targets", "Latest", "Status", "Reported by")
    return "<h3>Key performance indicators</h3>" + _table(columns, rows)


def _sroi(agreement: Agreement) -> str:
    sroi = agreement.what.sroi
    if sroi is None:
        return ""
    currency = agreement.currency
    inputs = [
        esc(f"{agreement.partner_name(i.partner)}: {money_text(i.value, currency)}")
        + (f" ({esc(i.note)})" if i.note else "")
        for i in sroi.inputs
    ]
    rows = [
        (o.name, number_text(o.quantity), money_text(o.proxy, currency), o.proxy_source, str(o.years))
        for o in sroi.outcomes
    ]
    return (
        "<h3>Social return on investment</h3><p>What the partners put in:</p>"
        + _list(inputs)
        + _table(
            ("Outcome", "Quantity", "Value of one", "Source of the value", "Years"), rows, numeric=(1, 2, 4)
        )
        + f'<p class="muted">Discount rate {esc(share_text(sroi.discount_rate))} a year.</p>'
    )


def _what(agreement: Agreement, as_of: datetime.date | None) -> str:
    what = agreement.what
    out = [_heading(2, "WHAT: the work, commitments and measures", what.status, "what")]
    out.append("<h3>Workstreams and roles</h3>")
    if what.workstreams:
        out.append(
            '<p class="muted">R responsible (does the work), A accountable (answers for it), '
            "C consulted, I informed.</p>"
        )
        out += [_workstream(agreement, w) for w in what.workstreams]
    else:
        out.append(_para(None, empty="No workstreams yet."))
    out += [_commitments(agreement, as_of), _kpis(agreement), _sroi(agreement)]
    return "".join(out)


# --------------------------------------------------------------------------- HOW


def _rule_words(agreement: Agreement, rule: DecisionRule) -> str:
    words = RULE_WORDS[rule.kind]
    if rule.kind is RuleKind.SUPERMAJORITY:
        words += f": {share_text(rule.share or DEFAULT_SUPERMAJORITY)} of the votes"
    if rule.kind is RuleKind.WEIGHTED and rule.weights:
        weights = ", ".join(f"{agreement.partner_name(p)} {number_text(w)}" for p, w in rule.weights.items())
        quota = share_text(rule.quota) if rule.quota is not None else "more than half"
        words += f": weights {weights}; a proposal passes with {quota} of the weight"
    if rule.quorum is not None:
        words += f"; quorum {rule.quorum} partners"
    return words


def _decision(agreement: Agreement, decision: Decision) -> str:
    votes = [
        esc(f"{agreement.partner_name(v.partner)}: {v.position.value}")
        + (f" (by {esc(v.by)})" if v.by else "")
        + (f": {esc(v.reason)}" if v.reason else "")
        + (" (resolved)" if v.resolved else "")
        for v in decision.votes
    ]
    pairs = [
        ("Proposed by", agreement.partner_name(decision.proposed_by)),
        ("Opened", decision.opened.isoformat()),
        ("Closes", _date(decision.closes) if decision.closes else None),
        ("Rule", _rule_words(agreement, decision.rule) if decision.rule else None),
        ("Outcome", decision.outcome or "not decided yet"),
        ("Review", _date(decision.review_date) if decision.review_date else None),
    ]
    return (
        f"<h4>{esc(decision.title)}</h4>"
        + _para(decision.proposal)
        + _fields(pairs)
        + (f"<p>Positions:</p>{_list(votes)}" if votes else "")
    )


def _clause(title: str, clause: Clause, anchor: str) -> str:
    return _heading(3, title, clause.status, anchor) + _para(clause.text, empty="Not written yet.")


def _how(agreement: Agreement) -> str:
    how = agreement.how
    out = [_heading(2, "HOW: governance and ways of working", how.status, "how")]
    gov = how.governance
    out.append(_heading(3, "Governance", gov.status))
    out.append(
        _fields(
            [
                ("Body", gov.body),
                ("Members", ", ".join(gov.members) or None),
                ("Meets", _words(gov.meets.value) if gov.meets else None),
            ]
        )
        or _para(None, empty="Not settled yet.")
    )
    decisions = how.decisions
    out.append(_heading(3, "Decision-making", decisions.status))
    out.append(f"<p>Decisions are taken by {esc(_rule_words(agreement, decisions.rule))}.</p>")
    out.append("<h4>Decision log</h4>" if decisions.log else "")
    out += [_decision(agreement, d) for d in decisions.log]
    checkins = how.checkins
    out.append(_heading(3, "Check-ins", checkins.status))
    first = f", from {checkins.first.isoformat()}" if checkins.first else ""
    out.append(_para(f"The partners check in {_words(checkins.frequency.value)}{first}."))
    out.append(_clause("Communication and branding", how.communication, "communication"))
    out.append(_clause("Confidentiality", how.confidentiality, "confidentiality"))
    out.append(_heading(3, "Review", how.review.status, "review"))
    review = how.review.date
    out.append(
        _para(
            f"The agreement is next reviewed on {review.isoformat()}." if review else None,
            empty="No review date yet.",
        )
    )
    out.append(_ladder(agreement))
    leave = how.exit
    out.append(_heading(3, "Exit and transition", leave.status, "exit"))
    notice = (
        f"A partner leaves with {leave.notice_days} days' notice." if leave.notice_days is not None else None
    )
    out.append(
        _para(notice) + _para(leave.transition)
        if notice or leave.transition
        else _para(None, empty="Not settled yet.")
    )
    return "".join(out)


def _ladder(agreement: Agreement) -> str:
    disputes = agreement.how.dispute_resolution
    out = [_heading(3, "Dispute resolution", disputes.status, "disputes")]
    if not disputes.ladder:
        return "".join(out) + _para(None, empty="No ladder yet.")
    steps = [
        f"<strong>{esc(LADDER_WORDS[s.step])}</strong>, up to {s.days} day{'s' if s.days != 1 else ''}"
        + (f": {esc(s.who)}" if s.who else "")
        for s in disputes.ladder
    ]
    total = sum(s.days for s in disputes.ladder)
    out.append("<p>A disagreement the partners cannot settle climbs one step at a time:</p>")
    out.append(_list(steps, "ol"))
    out.append(f'<p class="muted">At most {total} days from the first step to the last.</p>')
    return "".join(out)


# --------------------------------------------------------------------------- open items, sign-off


def _open_items(agreement: Agreement) -> str:
    items = agreement.open_items
    if not items:
        return ""

    def line(item: OpenItem) -> str:
        whose = f" ({esc(agreement.partner_name(item.partner))})" if item.partner else ""
        where = f' <span class="muted">Settled in: {esc(item.where)}</span>' if item.where else ""
        return f"{esc(_words(item.kind.value))}{whose}: {esc(item.text)}{where}"

    still = [line(i) for i in items if not i.resolved]
    settled = [line(i) for i in items if i.resolved]
    out = ['<h2 id="open">Still to settle</h2>']
    out.append(_list(still) or _para(None, empty="Nothing: every open item is settled."))
    if settled:
        out.append(f"<h3>Settled</h3>{_list(settled)}")
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
        out.append(_table(("Partner", "Signed by", "Version", "Signed on"), rows))
    else:
        rows = [(p.name, "", "", "") for p in agreement.who.partners]
        out.append("<p>Signed for each partner by a person entitled to sign for it:</p>")
        out.append(_table(("Partner", "Name", "Date", "Signature"), rows))
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
        + _who(agreement)
        + _why(agreement)
        + _what(agreement, as_of)
        + _how(agreement)
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
    try:
        import weasyprint  # slow to import and needs Pango: only when a PDF is asked for
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(
            "PDFs need WeasyPrint and the Pango library (scripts/system-packages.sh installs it); "
            f"the HTML document works without them ({exc})"
        ) from exc

    html = render_agreement_document(agreement, as_of=as_of, version=version, signatures=signatures)
    # No base URL: the page fetches nothing (everything is inline), and WeasyPrint must not try.
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf
