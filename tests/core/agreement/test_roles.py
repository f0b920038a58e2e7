"""RACI checks: labelled task lists, per-partner counts and field paths."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from commonground.core.agreement.models import Agreement
from commonground.core.agreement.roles import MANY_CONSULTED, roles_part

CASES_PATH = Path(__file__).resolve().parents[2] / "data" / "agreement" / "roles.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_PATH.read_text(encoding="utf-8"))["cases"]


def _with_tasks(make_agreement: Callable[..., Agreement], tasks: list[dict[str, Any]]) -> Agreement:
    return make_agreement(what={"workstreams": [{"id": "w", "name": "Work", "tasks": tasks}]})


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_labelled_roles(
    make_agreement: Callable[..., Agreement], today: datetime.date, case: dict[str, Any]
) -> None:
    part = roles_part(_with_tasks(make_agreement, case["tasks"]), today=today)
    assert sorted(f.code for f in part.findings) == sorted(case["expect"]), case["reason"]


def test_every_label_has_a_reason() -> None:
    assert all(c.get("reason") for c in CASES)


def test_problems_point_at_the_exact_field(
    make_agreement: Callable[..., Agreement], today: datetime.date
) -> None:
    agreement = make_agreement(
        what={
            "workstreams": [
                {
                    "id": "a",
                    "name": "A",
                    "tasks": [
                        {"id": "t1", "name": "One", "responsible": ["river"], "accountable": ["river"]}
                    ],
                },
                {
                    "id": "b",
                    "name": "B",
                    "tasks": [
                        {"id": "t2", "name": "Two", "responsible": ["mill"], "accountable": ["town"]},
                        {"id": "t3", "name": "Three", "responsible": ["town", "Zed"], "accountable": []},
                    ],
                },
            ]
        }
    )
    paths = {f.code: f.path for f in roles_part(agreement, today=today).findings}
    assert paths["roles.no_accountable"] == "what.workstreams[1].tasks[1].accountable"
    assert paths["roles.unknown_assignee"] == "what.workstreams[1].tasks[1].responsible[1]"


def test_a_partner_and_its_representative_on_one_task_count_once(
    make_agreement: Callable[..., Agreement], today: datetime.date
) -> None:
    agreement = _with_tasks(
        make_agreement,
        [
            {
                "id": "t1",
                "name": "Sample",
                "responsible": ["river", "Ana Ruiz", "Ben Cole"],
                "accountable": ["mill"],
                "consulted": ["town"],
                "informed": ["Dora Lind", "town"],
            },
        ],
    )
    part = roles_part(agreement, today=today)
    river, mill, town = part.figures["partners"]
    assert river == {"partner": "river", "responsible": 1, "accountable": 0, "consulted": 0, "informed": 0}
    assert mill["accountable"] == 1
    assert (town["consulted"], town["informed"]) == (1, 1)
    assert part.tables[0].rows[0] == ("Work", "Sample", "R", "A", "C, I")


def test_the_accountable_share_is_stated(
    make_agreement: Callable[..., Agreement], today: datetime.date
) -> None:
    agreement = _with_tasks(
        make_agreement,
        [
            {"id": f"t{i}", "name": f"Task {i}", "responsible": ["river"], "accountable": ["town"]}
            for i in range(3)
        ]
        + [{"id": "t9", "name": "Other", "responsible": ["mill"], "accountable": ["mill"]}],
    )
    warning = next(
        f for f in roles_part(agreement, today=today).findings if f.code == "roles.accountable_for_most"
    )
    assert "Town Council is Accountable for 3 of 4 tasks (75%)" in warning.message
    assert warning.path == "who.partners[2]"


def test_the_consulted_limit_is_stated_in_the_message(
    make_agreement: Callable[..., Agreement], today: datetime.date
) -> None:
    agreement = _with_tasks(
        make_agreement,
        [
            {
                "id": "t1",
                "name": "Sample",
                "responsible": ["river"],
                "accountable": ["mill"],
                "consulted": ["town", "Ana Ruiz", "Ben Cole", "Chen Wu"],
            },
        ],
    )
    warning = next(f for f in roles_part(agreement, today=today).findings if f.code == "roles.many_consulted")
    assert f"more than {MANY_CONSULTED}" in warning.message
