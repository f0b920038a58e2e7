"""The agreement document's WHO, WHY, WHAT and HOW sections as HTML, each with its status in words."""

from __future__ import annotations

import datetime

from commonground.core.agreement.commitments import STATUS_WORDS as COMMITMENT_WORDS
from commonground.core.agreement.commitments import commitment_status, delivered_value
from commonground.core.agreement.decisions import RULE_WORDS
from commonground.core.agreement.how import Clause, Decision, DecisionRule, LadderStep, RuleKind
from commonground.core.agreement.kpis import STATUS_WORDS as KPI_WORDS
from commonground.core.agreement.kpis import kpi_status
from commonground.core.agreement.models import Agreement
from commonground.core.agreement.power import DEFAULT_SUPERMAJORITY
from commonground.core.agreement.what import Workstream
from commonground.core.agreement.wording import MISSING, money_text, number_text, share_text

from .agreement_elements import (
    assignee_names,
    code_words,
    date_text,
    field_list,
    heading,
    item_list,
    paragraph,
    table,
)
from .charts.svg import esc

LADDER_WORDS = {
    LadderStep.LEADS: "The partners' leads",
    LadderStep.SENIOR_LEADERS: "Senior leaders",
    LadderStep.MEDIATION: "Facilitated dialogue or mediation",
    LadderStep.ARBITRATION_OR_EXIT: "Arbitration or exit",
}


# --------------------------------------------------------------------------- WHO and WHY


def who_section(agreement: Agreement) -> str:
    """WHO: each partner, its representatives and what it brings."""
    out = [heading(2, "WHO: the partners", agreement.who.status, "who")]
    for partner in agreement.who.partners:
        out.append(f"<h3>{esc(partner.name)}</h3>")
        people = [
            esc(rep.name)
            + (f", {esc(rep.role)}" if rep.role else "")
            + (f" ({esc(rep.email)})" if rep.email else "")
            for rep in partner.representatives
        ]
        out.append(
            f"<p>Represented by:</p>{item_list(people)}"
            if people
            else paragraph(None, empty="No representative named.")
        )
        if partner.contribution:
            out.append(f"<p>What {esc(partner.name)} brings, in its own words:</p>")
            out.append(f"<blockquote>{esc(partner.contribution)}</blockquote>")
    return "".join(out)


def why_section(agreement: Agreement) -> str:
    """WHY: vision, mission, shared and own objectives, principles."""
    why = agreement.why
    out = [heading(2, "WHY: vision, mission and objectives", why.status, "why")]
    out += ["<h3>Shared vision</h3>", paragraph(why.shared_vision, empty="Not written yet.")]
    out += ["<h3>Joint mission</h3>", paragraph(why.joint_mission, empty="Not written yet.")]
    out.append("<h3>Shared objectives</h3>")
    objectives = [
        esc(o.text)
        + (f' <span class="muted">(SDGs {esc(", ".join(map(str, o.sdgs)))})</span>' if o.sdgs else "")
        for o in why.shared_objectives
    ]
    out.append(item_list(objectives, "ol") or paragraph(None, empty="None stated yet."))
    if why.partner_objectives:
        out.append("<h3>Each partner's own objectives</h3>")
        for partner in agreement.who.partners:
            own = [esc(o.text) for o in why.partner_objectives if o.partner == partner.id]
            if own:
                out.append(f"<h4>{esc(partner.name)}</h4>{item_list(own)}")
    out.append("<h3>Values and principles</h3>")
    out.append(item_list(esc(p.text) for p in why.principles) or paragraph(None, empty="None stated yet."))
    return "".join(out)


# --------------------------------------------------------------------------- WHAT


def _workstream(agreement: Agreement, workstream: Workstream) -> str:
    out = [f"<h4>{esc(workstream.name)}</h4>", paragraph(workstream.description)]
    if workstream.tasks:
        rows = [
            (
                task.name,
                f"{date_text(task.start)} to {date_text(task.due)}" if task.start else date_text(task.due),
                "done" if task.done else "open",
                assignee_names(agreement, task.responsible),
                assignee_names(agreement, task.accountable),
                assignee_names(agreement, task.consulted),
                assignee_names(agreement, task.informed),
            )
            for task in workstream.tasks
        ]
        columns = ("Task", "Dates", "State", "Responsible", "Accountable", "Consulted", "Informed")
        out.append(table(columns, rows))
    return "".join(out)


def _commitments(agreement: Agreement, as_of: datetime.date | None) -> str:
    what = agreement.what
    if not what.commitments:
        return "<h3>Commitments</h3>" + paragraph(None, empty="No commitments yet.")
    currency = agreement.currency
    columns = ["By", "To", "Kind", "What", "Value", "Due", "Delivered"] + (["Status"] if as_of else [])
    rows = []
    for c in what.commitments:
        to = "the partnership" if c.to == "partnership" else agreement.partner_name(c.to)
        row = [
            agreement.partner_name(c.by),
            to,
            code_words(c.kind.value),
            c.description,
            money_text(c.value, currency),
            c.due.isoformat(),
            money_text(delivered_value(c), currency) if c.fulfilment or c.met else MISSING,
        ]
        if as_of is not None:
            row.append(COMMITMENT_WORDS[commitment_status(c, today=as_of)])
        rows.append(row)
    return "<h3>Commitments</h3>" + table(columns, rows, numeric=(4, 6))


def _kpis(agreement: Agreement) -> str:
    if not agreement.what.kpis:
        return "<h3>Key performance indicators</h3>" + paragraph(None, empty="No KPIs yet.")
    rows = []
    for kpi in agreement.what.kpis:
        result = kpi_status(kpi)
        latest = result.latest
        whose = f"{agreement.partner_name(kpi.partner)}'s own" if kpi.partner else "joint"
        rows.append(
            (
                kpi.name,
                f"{code_words(kpi.category.value)}, {whose}",
                f"{kpi.unit}, {'higher' if kpi.direction.value == 'increase' else 'lower'} is better",
                f"{number_text(kpi.baseline.value)} on {kpi.baseline.date.isoformat()}",
                "; ".join(f"{number_text(t.value)} by {t.date.isoformat()}" for t in kpi.targets),
                f"{number_text(latest.value)} on {latest.date.isoformat()}" if latest else MISSING,
                KPI_WORDS[result.status],
                agreement.partner_name(kpi.owner) if kpi.owner else MISSING,
            )
        )
    columns = ("KPI", "Category", "Unit", "Baseline", "Targets", "Latest", "Status", "Reported by")
    return "<h3>Key performance indicators</h3>" + table(columns, rows)


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
        + item_list(inputs)
        + table(
            ("Outcome", "Quantity", "Value of one", "Source of the value", "Years"), rows, numeric=(1, 2, 4)
        )
        + f'<p class="muted">Discount rate {esc(share_text(sroi.discount_rate))} a year.</p>'
    )


def what_section(agreement: Agreement, as_of: datetime.date | None) -> str:
    """WHAT: workstreams with roles, commitments (with their status on ``as_of``), KPIs, SROI."""
    what = agreement.what
    out = [heading(2, "WHAT: the work, commitments and measures", what.status, "what")]
    out.append("<h3>Workstreams and roles</h3>")
    if what.workstreams:
        out.append(
            '<p class="muted">R responsible (does the work), A accountable (answers for it), '
            "C consulted, I informed.</p>"
        )
        out += [_workstream(agreement, w) for w in what.workstreams]
    else:
        out.append(paragraph(None, empty="No workstreams yet."))
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
        ("Closes", date_text(decision.closes) if decision.closes else None),
        ("Rule", _rule_words(agreement, decision.rule) if decision.rule else None),
        ("Outcome", decision.outcome or "not decided yet"),
        ("Review", date_text(decision.review_date) if decision.review_date else None),
    ]
    return (
        f"<h4>{esc(decision.title)}</h4>"
        + paragraph(decision.proposal)
        + field_list(pairs)
        + (f"<p>Positions:</p>{item_list(votes)}" if votes else "")
    )


def _clause(title: str, clause: Clause, anchor: str) -> str:
    return heading(3, title, clause.status, anchor) + paragraph(clause.text, empty="Not written yet.")


def how_section(agreement: Agreement) -> str:
    """HOW: governance, decisions, check-ins, the clauses, review, disputes and exit."""
    how = agreement.how
    out = [heading(2, "HOW: governance and ways of working", how.status, "how")]
    gov = how.governance
    out.append(heading(3, "Governance", gov.status))
    out.append(
        field_list(
            [
                ("Body", gov.body),
                ("Members", ", ".join(gov.members) or None),
                ("Meets", code_words(gov.meets.value) if gov.meets else None),
            ]
        )
        or paragraph(None, empty="Not settled yet.")
    )
    decisions = how.decisions
    out.append(heading(3, "Decision-making", decisions.status))
    out.append(f"<p>Decisions are taken by {esc(_rule_words(agreement, decisions.rule))}.</p>")
    out.append("<h4>Decision log</h4>" if decisions.log else "")
    out += [_decision(agreement, d) for d in decisions.log]
    checkins = how.checkins
    out.append(heading(3, "Check-ins", checkins.status))
    first = f", from {checkins.first.isoformat()}" if checkins.first else ""
    out.append(paragraph(f"The partners check in {code_words(checkins.frequency.value)}{first}."))
    out.append(_clause("Communication and branding", how.communication, "communication"))
    out.append(_clause("Confidentiality", how.confidentiality, "confidentiality"))
    out.append(heading(3, "Review", how.review.status, "review"))
    review = how.review.date
    out.append(
        paragraph(
            f"The agreement is next reviewed on {review.isoformat()}." if review else None,
            empty="No review date yet.",
        )
    )
    out.append(_ladder(agreement))
    leave = how.exit
    out.append(heading(3, "Exit and transition", leave.status, "exit"))
    notice = (
        f"A partner leaves with {leave.notice_days} days' notice." if leave.notice_days is not None else None
    )
    out.append(
        paragraph(notice) + paragraph(leave.transition)
        if notice or leave.transition
        else paragraph(None, empty="Not settled yet.")
    )
    return "".join(out)


def _ladder(agreement: Agreement) -> str:
    disputes = agreement.how.dispute_resolution
    out = [heading(3, "Dispute resolution", disputes.status, "disputes")]
    if not disputes.ladder:
        return "".join(out) + paragraph(None, empty="No ladder yet.")
    steps = [
        f"<strong>{esc(LADDER_WORDS[s.step])}</strong>, up to {s.days} day{'s' if s.days != 1 else ''}"
        + (f": {esc(s.who)}" if s.who else "")
        for s in disputes.ladder
    ]
    total = sum(s.days for s in disputes.ladder)
    out.append("<p>A disagreement the partners cannot settle climbs one step at a time:</p>")
    out.append(item_list(steps, "ol"))
    out.append(f'<p class="muted">At most {total} days from the first step to the last.</p>')
    return "".join(out)
