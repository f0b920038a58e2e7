"""The structure check: is the agreement complete enough to work by?

After the Partnering Agreement Scorecard: a section or clause *not in place* is a problem and one
*partially* in place a warning (*not relevant* is the partners' call, and stays silent). On top of
the statuses it looks for what agreements most often leave out: a shared vision, a representative
for each partner, a review date, a dispute-resolution ladder that climbs in order through every rung,
notice before exit, and each partner's red lines written into a clause.
"""

from __future__ import annotations

import datetime
import itertools

from commonground.core.agreement.findings import CheckPart, Finding, Level, Table
from commonground.core.agreement.how import LadderStep
from commonground.core.agreement.models import Agreement, OpenItemKind
from commonground.core.agreement.parts import SectionStatus
from commonground.core.wording import possessive

_SECTIONS = {
    "who": "WHO (partners and representatives)",
    "why": "WHY (vision, objectives, principles)",
    "what": "WHAT (work, roles, commitments, KPIs)",
    "how": "HOW (governance and ways of working)",
}
_CLAUSES = {
    "governance": "Governance",
    "decisions": "Decision-making",
    "checkins": "Check-in schedule",
    "communication": "Communication and branding",
    "confidentiality": "Confidentiality",
    "review": "Review",
    "dispute_resolution": "Dispute resolution",
    "exit": "Exit and transition",
}
_LADDER = tuple(LadderStep)
_STATUS_WORDS = {
    SectionStatus.NOT_RELEVANT: "not relevant",
    SectionStatus.NOT_IN_PLACE: "not in place",
    SectionStatus.PARTIALLY: "partially in place",
    SectionStatus.FULLY: "fully in place",
}


def _status_findings(path: str, label: str, status: SectionStatus) -> list[Finding]:
    if status is SectionStatus.NOT_IN_PLACE:
        return [
            Finding(f"{path}.status", Level.PROBLEM, "structure.not_in_place", f"{label} is not in place yet")
        ]
    if status is SectionStatus.PARTIALLY:
        return [
            Finding(
                f"{path}.status", Level.WARNING, "structure.partially", f"{label} is only partially in place"
            )
        ]
    return []


def _ladder_findings(agreement: Agreement) -> list[Finding]:
    disputes = agreement.how.dispute_resolution
    if disputes.status is SectionStatus.NOT_RELEVANT:
        return []
    path = "how.dispute_resolution.ladder"
    if not disputes.ladder:
        return [
            Finding(
                path,
                Level.PROBLEM,
                "structure.no_dispute_ladder",
                "no dispute-resolution ladder: say who talks first (leads, then senior leaders, "
                "then mediation, then arbitration or exit) and how many days each step may take",
            )
        ]
    findings: list[Finding] = []
    steps = [rung.step for rung in disputes.ladder]
    ranks = [_LADDER.index(step) for step in steps]
    if any(later <= earlier for earlier, later in itertools.pairwise(ranks)):
        order = " → ".join(step.value for step in steps)
        findings.append(
            Finding(
                path,
                Level.PROBLEM,
                "structure.ladder_out_of_order",
                f"the ladder climbs out of order or repeats a step ({order}); "
                f"the order is {' → '.join(s.value for s in _LADDER)}",
            )
        )
    missing = [step.value for step in _LADDER if step not in steps]
    if missing:
        findings.append(
            Finding(
                path,
                Level.WARNING,
                "structure.ladder_missing_step",
                f"the ladder has no {', no '.join(missing)} step; say what happens when the steps "
                "it has do not settle a dispute",
            )
        )
    return findings


def _partner_findings(agreement: Agreement) -> list[Finding]:
    return [
        Finding(
            f"who.partners[{index}].representatives",
            Level.PROBLEM,
            "structure.no_representative",
            f"{partner.name} has no representative to speak, vote and sign for it",
        )
        for index, partner in enumerate(agreement.who.partners)
        if not partner.representatives
    ]


def _how_findings(agreement: Agreement, today: datetime.date) -> list[Finding]:
    how = agreement.how
    findings: list[Finding] = []
    if how.review.status is not SectionStatus.NOT_RELEVANT:
        if how.review.date is None:
            findings.append(
                Finding(
                    "how.review.date",
                    Level.PROBLEM,
                    "structure.no_review_date",
                    "no review date: agree when the partners will next look at the agreement as a whole",
                )
            )
        elif how.review.date < today:
            findings.append(
                Finding(
                    "how.review.date",
                    Level.WARNING,
                    "structure.review_due",
                    f"the review was due on {how.review.date.isoformat()}; review the agreement "
                    "and set the next date",
                )
            )
    if how.exit.status is not SectionStatus.NOT_RELEVANT and not how.exit.notice_days:
        findings.append(
            Finding(
                "how.exit.notice_days",
                Level.PROBLEM,
                "structure.exit_without_notice",
                "a partner can leave without notice: agree how many days' notice an exit needs",
            )
        )
    return findings


def _open_item_findings(agreement: Agreement) -> list[Finding]:
    findings: list[Finding] = []
    for index, item in enumerate(agreement.open_items):
        if item.resolved or item.where:
            continue
        path = f"open_items[{index}]"
        if item.kind is OpenItemKind.RED_LINE:
            whose = agreement.partner_name(item.partner) if item.partner else "a partner"
            findings.append(
                Finding(
                    path,
                    Level.PROBLEM,
                    "structure.red_line_unreflected",
                    f"{possessive(whose)} red line “{item.text}” is not reflected anywhere: write it into a "
                    "clause and say where, or mark it resolved",
                )
            )
        else:
            findings.append(Finding(path, Level.WARNING, "structure.open_item", f"still open: {item.text}"))
    return findings


def structure_part(agreement: Agreement, *, today: datetime.date) -> CheckPart:
    """Sections and clauses not in place, and the gaps agreements most often leave."""
    gaps = _how_findings(agreement, today) + _ladder_findings(agreement)
    findings: list[Finding] = []
    rows: list[tuple[str, ...]] = []
    statuses: dict[str, str] = {}
    for name, label in _SECTIONS.items():
        status = getattr(agreement, name).status
        findings += _status_findings(name, label, status)
        rows.append((label, _STATUS_WORDS[status]))
        statuses[name] = status.value
    for name, label in _CLAUSES.items():
        status = getattr(agreement.how, name).status
        path = f"how.{name}"
        # A clause with a gap of its own (no review date, no ladder, no notice) is named by that gap.
        if not any(gap.path.startswith(f"{path}.") for gap in gaps):
            findings += _status_findings(path, label, status)
        rows.append((label, _STATUS_WORDS[status]))
        statuses[path] = status.value
    if not agreement.why.shared_vision:
        findings.append(
            Finding(
                "why.shared_vision",
                Level.PROBLEM,
                "structure.no_shared_vision",
                "no shared vision: write, in a sentence or two, what the partners want to change together",
            )
        )
    findings += _partner_findings(agreement)
    findings += gaps
    findings += _open_item_findings(agreement)
    open_items = [item for item in agreement.open_items if not item.resolved]
    return CheckPart(
        name="structure",
        title="Structure",
        findings=tuple(findings),
        tables=(Table("Sections and clauses", ("Section or clause", "Status"), tuple(rows)),),
        figures={
            "state": agreement.state,
            "statuses": statuses,
            "review_date": agreement.how.review.date.isoformat() if agreement.how.review.date else None,
            "open_items": len(open_items),
            "red_lines_open": sum(
                1 for item in open_items if item.kind is OpenItemKind.RED_LINE and not item.where
            ),
        },
    )
