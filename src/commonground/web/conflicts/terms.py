"""What the conflict log reads from the partnership's agreement in force: its dispute ladder and the
goals, values, clauses and commitments an entry can touch. Without an agreement: the default ladder
and free text."""

from __future__ import annotations

from dataclasses import dataclass

from commonground.core.agreement.how import DisputeStep
from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.core.alignment.escalation import ladder_of
from commonground.web.agreements.models import Agreement
from commonground.web.agreements.selectors import agreement_in_force
from commonground.web.partnerships.models import Partnership

# The HOW clauses an entry can name, in the agreement page's words.
CLAUSES = (
    "Governance", "Decision-making", "Check-in schedule", "Communication and branding",
    "Confidentiality", "Review", "Dispute resolution", "Exit and transition",
)  # fmt: skip


@dataclass(frozen=True)
class Terms:
    """The partnership's agreement in force (None: not started) and the ladder the log climbs."""

    document: AgreementDocument | None
    ladder: tuple[DisputeStep, ...]

    def touch_options(self) -> list[tuple[str, str]]:
        """(kind, text) of each shared goal, value, clause and commitment an entry can name."""
        if self.document is None:
            return []
        why, what = self.document.why, self.document.what
        return [
            *(("goal", objective.text) for objective in why.shared_objectives),
            *(("value", principle.text) for principle in why.principles),
            *(("clause", clause) for clause in CLAUSES),
            *(("commitment", f"{c.id}: {c.description}"[:300]) for c in what.commitments),
        ]


def partnership_terms(partnership: Partnership) -> Terms:
    """The agreement in force and its ladder (one query without an agreement, five with one)."""
    agreement = Agreement.objects.filter(partnership=partnership).first()
    document = agreement_in_force(agreement) if agreement is not None else None
    return Terms(document=document, ladder=ladder_of(document))
