"""Roles: RACI checks over the workstreams' tasks, per task and per partner.

RACI gives each task people who are Responsible (do the work), one Accountable (answers for it and
signs it off), Consulted (asked before) and Informed (told after). An assignee is a partner id or
a representative's name; both count for that partner.

Problems: a task with no Accountable, with more than one, or with no Responsible; an assignee who
is neither a partner nor a representative. Warnings, each a question for the partners rather than a
fault:

- one partner Accountable for more than half of all tasks (:data:`MOST_OF_THE_WORK`);
- a partner that is neither Responsible nor Accountable anywhere;
- a task with more than :data:`MANY_CONSULTED` Consulted (slow decisions; our choice of number);
- a representative who, on every task they appear in, is the Accountable and the only Responsible
  (nobody checks their work, and the work stops when they are away).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator
from typing import Any

from commonground.core.agreement.findings import CheckPart, Finding, Level, Table
from commonground.core.agreement.models import Agreement
from commonground.core.agreement.what import Task
from commonground.core.agreement.wording import share_text

MANY_CONSULTED = 3  # more than this many Consulted on one task is a warning
MOST_OF_THE_WORK = 0.5  # Accountable for more than this share of the tasks is a warning

ROLES = ("responsible", "accountable", "consulted", "informed")


@dataclasses.dataclass(frozen=True)
class TaskRoles:
    """One task's roles resolved to partners."""

    path: str  # what.workstreams[w].tasks[t]
    workstream: str
    task: Task
    partners: dict[str, tuple[str, ...]]  # role -> partner ids in partner order, each once
    unknown: tuple[tuple[str, int, str], ...]  # (role, position, assignee) not matched to a partner


@dataclasses.dataclass(frozen=True)
class PartnerRoles:
    """How many tasks a partner holds each role in."""

    partner: str
    responsible: int
    accountable: int
    consulted: int
    informed: int


def _tasks(agreement: Agreement) -> Iterator[tuple[str, str, Task]]:
    for w, stream in enumerate(agreement.what.workstreams):
        for t, task in enumerate(stream.tasks):
            yield f"what.workstreams[{w}].tasks[{t}]", stream.name, task


def task_roles(agreement: Agreement) -> tuple[TaskRoles, ...]:
    """Each task's roles as partner ids, with the assignees that match no partner."""
    order = agreement.partner_ids()
    results = []
    for path, stream, task in _tasks(agreement):
        partners: dict[str, tuple[str, ...]] = {}
        unknown: list[tuple[str, int, str]] = []
        for role in ROLES:
            found = set()
            for i, assignee in enumerate(getattr(task, role)):
                partner = agreement.assignee_partner(assignee)
                if partner is None:
                    unknown.append((role, i, assignee))
                else:
                    found.add(partner)
            partners[role] = tuple(p for p in order if p in found)
        results.append(TaskRoles(path, stream, task, partners, tuple(unknown)))
    return tuple(results)


def partner_roles(agreement: Agreement, tasks: tuple[TaskRoles, ...]) -> tuple[PartnerRoles, ...]:
    """Per partner, in partner order: the number of tasks it is R, A, C and I on."""

    def count(partner: str, role: str) -> int:
        return sum(1 for t in tasks if partner in t.partners[role])

    return tuple(PartnerRoles(p, *(count(p, role) for role in ROLES)) for p in agreement.partner_ids())


def _task_findings(agreement: Agreement, t: TaskRoles) -> list[Finding]:
    task, name = t.task, f"“{t.task.name}”"
    found = []
    if not task.accountable:
        found.append(
            Finding(
                f"{t.path}.accountable", Level.PROBLEM, "roles.no_accountable", f"{name} has no Accountable."
            )
        )
    elif len(task.accountable) > 1:
        found.append(
            Finding(
                f"{t.path}.accountable",
                Level.PROBLEM,
                "roles.several_accountable",
                f"{name} has {len(task.accountable)} Accountables ({', '.join(task.accountable)}); "
                "one person or partner answers for a task.",
            )
        )
    if not task.responsible:
        found.append(
            Finding(
                f"{t.path}.responsible", Level.PROBLEM, "roles.no_responsible", f"{name} has no Responsible."
            )
        )
    if len(task.consulted) > MANY_CONSULTED:
        found.append(
            Finding(
                f"{t.path}.consulted",
                Level.WARNING,
                "roles.many_consulted",
                f"{name} has {len(task.consulted)} Consulted (more than {MANY_CONSULTED}): "
                "will every one of them be asked before each step?",
            )
        )
    for role, i, assignee in t.unknown:
        found.append(
            Finding(
                f"{t.path}.{role}[{i}]",
                Level.PROBLEM,
                "roles.unknown_assignee",
                f"“{assignee}” ({role} on {name}) is neither a partner id nor a representative's name.",
            )
        )
    return found


def _lone_representatives(agreement: Agreement) -> list[Finding]:
    """Representatives who are the Accountable and the only Responsible on every task they are on."""
    found = []
    tasks = [task for _, _, task in _tasks(agreement)]
    for p, partner in enumerate(agreement.who.partners):
        for r, rep in enumerate(partner.representatives):
            on = [t for t in tasks if any(rep.name in getattr(t, role) for role in ROLES)]
            if on and all(t.accountable == [rep.name] and t.responsible == [rep.name] for t in on):
                found.append(
                    Finding(
                        f"who.partners[{p}].representatives[{r}]",
                        Level.WARNING,
                        "roles.alone",
                        f"{rep.name} is both Accountable and the only Responsible on each of their "
                        f"{len(on)} task{'s' if len(on) != 1 else ''}: who checks the work, and who "
                        "takes over when they are away?",
                    )
                )
    return found


def _partner_findings(
    agreement: Agreement, per_partner: tuple[PartnerRoles, ...], total: int
) -> list[Finding]:
    found = []
    for p, counts in enumerate(per_partner):
        name = agreement.partner_name(counts.partner)
        if counts.accountable / total > MOST_OF_THE_WORK:
            found.append(
                Finding(
                    f"who.partners[{p}]",
                    Level.WARNING,
                    "roles.accountable_for_most",
                    f"{name} is Accountable for {counts.accountable} of {total} tasks "
                    f"({share_text(counts.accountable / total)}): is the work shared as the partners intend?",
                )
            )
        if counts.responsible == 0 and counts.accountable == 0:
            found.append(
                Finding(
                    f"who.partners[{p}]",
                    Level.WARNING,
                    "roles.no_work",
                    f"{name} is neither Responsible nor Accountable for any task: "
                    "what is its part in the work?",
                )
            )
    return found


def _letters(t: TaskRoles, partner: str) -> str:
    return ", ".join(role[0].upper() for role in ROLES if partner in t.partners[role])


def roles_part(agreement: Agreement, *, today: datetime.date) -> CheckPart:
    """RACI checks per task and per partner as a check part (``today`` is unused: roles have no dates)."""
    tasks = task_roles(agreement)
    per_partner = partner_roles(agreement, tasks)
    findings: list[Finding] = []
    for t in tasks:
        findings.extend(_task_findings(agreement, t))
    if tasks:
        findings.extend(_partner_findings(agreement, per_partner, len(tasks)))
        findings.extend(_lone_representatives(agreement))
    names = tuple(agreement.partner_name(p) for p in agreement.partner_ids())
    grid = Table(
        title="Roles per task (R responsible, A accountable, C consulted, I informed)",
        columns=("Workstream", "Task", *names),
        rows=tuple(
            (t.workstream, t.task.name, *(_letters(t, p) or "—" for p in agreement.partner_ids()))
            for t in tasks
        ),
    )
    counts = Table(
        title="Roles per partner (number of tasks)",
        columns=("Partner", "Responsible", "Accountable", "Consulted", "Informed"),
        rows=tuple(
            (
                agreement.partner_name(c.partner),
                str(c.responsible),
                str(c.accountable),
                str(c.consulted),
                str(c.informed),
            )
            for c in per_partner
        ),
    )
    figures: dict[str, Any] = {
        "many_consulted": MANY_CONSULTED,
        "most_of_the_work": MOST_OF_THE_WORK,
        "tasks": [
            {"path": t.path, "id": t.task.id, "name": t.task.name, **{r: list(t.partners[r]) for r in ROLES}}
            for t in tasks
        ],
        "partners": [dataclasses.asdict(c) for c in per_partner],
    }
    return CheckPart(
        name="roles",
        title="Roles (RACI)",
        findings=tuple(findings),
        tables=(grid, counts) if tasks else (counts,),
        figures=figures,
    )
