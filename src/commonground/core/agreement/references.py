"""Cross-references inside an agreement: partner ids that must exist, ids that must be unique.

The models check each part on its own; these checks need the whole file (which partners there
are, which KPIs). Each problem comes with its field path as a loc tuple, so the loader can name the
line. Whether a RACI assignee is a known partner or representative is not checked here: a task
assigned to an unknown name is a finding of the roles check, not a file that cannot be read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from commonground.core.agreement.models import Agreement
from commonground.core.loading.messages import did_you_mean
from commonground.core.loading.problems import Loc, format_path

# A commitment may be owed to the partnership as a whole rather than to one partner.
PARTNERSHIP = "partnership"


class _Collector:
    """Gathers (loc, message) pairs against the agreement's partner ids."""

    def __init__(self, agreement: Agreement):
        self.partners = agreement.partner_ids()
        self.known = set(self.partners)
        self.problems: list[tuple[Loc, str]] = []

    def add(self, loc: Loc, message: str) -> None:
        self.problems.append((loc, message))

    def partner(self, loc: Loc, value: str | None, *, also: Iterable[str] = ()) -> None:
        """A partner id that must name a partner of WHO (or one of ``also``)."""
        allowed = [*self.partners, *also]
        if value is None or value in self.known or value in also:
            return
        hint = did_you_mean(value, allowed) or f"; the partners are {', '.join(self.partners)}"
        self.add(loc, f"unknown partner id {value!r}{hint}")

    def partner_keys(self, loc: Loc, mapping: Mapping[str, object]) -> None:
        """Every key of ``mapping`` must be a partner id."""
        for key in mapping:
            self.partner((*loc, key), key)

    def unique(self, what: str, items: Iterable[tuple[Loc, str]]) -> None:
        """Ids that must not repeat; the second and later uses are named, with the first's path."""
        first: dict[str, Loc] = {}
        for loc, value in items:
            if value in first:
                where = format_path(first[value])
                self.add(loc, f"{what} id {value!r} is already used at {where}; ids must be unique")
            else:
                first[value] = loc


def reference_problems(agreement: Agreement) -> list[tuple[Loc, str]]:
    """Every unknown partner id, KPI link and repeated id in ``agreement``, with its field path."""
    c = _Collector(agreement)
    c.unique("partner", ((("who", "partners", i, "id"), p.id) for i, p in enumerate(agreement.who.partners)))

    why = agreement.why
    for i, objective in enumerate(why.partner_objectives):
        c.partner(("why", "partner_objectives", i, "partner"), objective.partner)
    c.unique(
        "objective",
        ((("why", "shared_objectives", i, "id"), o.id) for i, o in enumerate(why.shared_objectives) if o.id),
    )

    what = agreement.what
    c.unique("workstream", ((("what", "workstreams", i, "id"), w.id) for i, w in enumerate(what.workstreams)))
    c.unique(
        "task",
        (
            (("what", "workstreams", i, "tasks", j, "id"), task.id)
            for i, workstream in enumerate(what.workstreams)
            for j, task in enumerate(workstream.tasks)
        ),
    )
    c.unique("commitment", ((("what", "commitments", i, "id"), x.id) for i, x in enumerate(what.commitments)))
    for i, commitment in enumerate(what.commitments):
        c.partner(("what", "commitments", i, "by"), commitment.by)
        c.partner(("what", "commitments", i, "to"), commitment.to, also=(PARTNERSHIP,))
        if commitment.to == commitment.by:
            c.add(("what", "commitments", i, "to"), f"{commitment.by!r} cannot owe a commitment to itself")

    c.unique("KPI", ((("what", "kpis", i, "id"), k.id) for i, k in enumerate(what.kpis)))
    joint = {k.id for k in what.kpis if k.partner is None}
    kpi_ids = [k.id for k in what.kpis]
    for i, kpi in enumerate(what.kpis):
        loc: Loc = ("what", "kpis", i)
        c.partner((*loc, "owner"), kpi.owner)
        c.partner((*loc, "partner"), kpi.partner)
        if kpi.linked_to is None:
            continue
        if kpi.linked_to == kpi.id:
            c.add((*loc, "linked_to"), "a KPI cannot be linked to itself")
        elif kpi.linked_to not in kpi_ids:
            hint = did_you_mean(kpi.linked_to, kpi_ids) or (
                f"; joint KPIs: {', '.join(sorted(joint))}" if joint else "; there is no joint KPI"
            )
            c.add((*loc, "linked_to"), f"unknown KPI id {kpi.linked_to!r}{hint}")
        elif kpi.linked_to not in joint:
            c.add((*loc, "linked_to"), f"{kpi.linked_to!r} is one partner's own KPI; link to a joint KPI")
        if kpi.partner is None:
            c.add((*loc, "linked_to"), "only a partner's own KPI (one with 'partner') links to a joint KPI")

    if what.sroi is not None:
        for i, sroi_input in enumerate(what.sroi.inputs):
            c.partner(("what", "sroi", "inputs", i, "partner"), sroi_input.partner)

    decisions = agreement.how.decisions
    if decisions.rule.weights:
        c.partner_keys(("how", "decisions", "rule", "weights"), decisions.rule.weights)
    _quorum(c, ("how", "decisions", "rule", "quorum"), decisions.rule.quorum)
    c.unique("decision", ((("how", "decisions", "log", i, "id"), d.id) for i, d in enumerate(decisions.log)))
    for i, decision in enumerate(decisions.log):
        loc = ("how", "decisions", "log", i)
        c.partner((*loc, "proposed_by"), decision.proposed_by)
        if decision.closes is not None and decision.closes < decision.opened:
            c.add((*loc, "closes"), f"closes ({decision.closes}) is before opened ({decision.opened})")
        if decision.rule is not None:
            if decision.rule.weights:
                c.partner_keys((*loc, "rule", "weights"), decision.rule.weights)
            _quorum(c, (*loc, "rule", "quorum"), decision.rule.quorum)
        voted: dict[str, int] = {}
        for j, vote in enumerate(decision.votes):
            c.partner((*loc, "votes", j, "partner"), vote.partner)
            if vote.partner in voted:
                c.add(
                    (*loc, "votes", j, "partner"),
                    f"{vote.partner!r} already voted at votes[{voted[vote.partner]}]; one vote per partner",
                )
            voted.setdefault(vote.partner, j)

    c.partner_keys(("benefits",), agreement.benefits)
    for i, item in enumerate(agreement.open_items):
        c.partner(("open_items", i, "partner"), item.partner)
    return c.problems


def _quorum(c: _Collector, loc: Loc, quorum: int | None) -> None:
    if quorum is not None and quorum > len(c.partners):
        c.add(loc, f"a quorum of {quorum} cannot be met by {len(c.partners)} partners")
