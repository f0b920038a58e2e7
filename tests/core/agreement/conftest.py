"""Agreements for the core tests: a complete one the method tests change part by part, and a small one
with a row in every table for the table, spreadsheet and calendar tests."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable
from typing import Any

import pytest

from commonground.core.agreement.models import Agreement

TODAY = datetime.date(2026, 6, 1)

BASE: dict[str, Any] = {
    "title": "Clean River Partnership",
    "currency": "EUR",
    "who": {
        "partners": [
            {
                "id": "river",
                "name": "River Trust",
                "representatives": [{"name": "Ana Ruiz"}, {"name": "Ben Cole"}],
                "contribution": "Volunteers and twenty years of water-quality records.",
            },
            {"id": "mill", "name": "Millbrook Paper", "representatives": [{"name": "Chen Wu"}]},
            {"id": "town", "name": "Town Council", "representatives": [{"name": "Dora Lind"}]},
        ]
    },
    "why": {"shared_vision": "A river people can swim in by 2030."},
    "what": {
        "workstreams": [
            {
                "id": "monitor",
                "name": "Monitoring",
                "tasks": [
                    {
                        "id": "t1",
                        "name": "Sample monthly",
                        "responsible": ["Ana Ruiz"],
                        "accountable": ["river"],
                    },
                    {"id": "t2", "name": "Publish data", "responsible": ["mill"], "accountable": ["Chen Wu"]},
                    {"id": "t3", "name": "Plan works", "responsible": ["town"], "accountable": ["Dora Lind"]},
                ],
            }
        ],
    },
}


@pytest.fixture
def today() -> datetime.date:
    """The day every check in these tests runs on."""
    return TODAY


@pytest.fixture
def make_agreement() -> Callable[..., Agreement]:
    """Build the base agreement with some sections replaced: ``make_agreement(what={...})``."""

    def build(**changes: Any) -> Agreement:
        data = copy.deepcopy(BASE)
        for key, value in changes.items():
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
        return Agreement.model_validate(data)

    return build


@pytest.fixture
def agreement() -> Agreement:
    """Two partners, one commitment with one delivery, one KPI with one measurement."""
    return Agreement.model_validate(
        {
            "title": "Healthy Tills",
            "who": {
                "partners": [
                    {"id": "riverside", "name": "Riverside Food Bank", "representatives": [{"name": "Ana"}]},
                    {"id": "meadowgate", "name": "Meadowgate Supermarkets"},
                ]
            },
            "what": {
                "commitments": [
                    {
                        "id": "c1",
                        "by": "meadowgate",
                        "kind": "money",
                        "description": "Fund two van drivers",
                        "value": 40000,
                        "due": datetime.date(2027, 3, 31),
                        "fulfilment": [{"date": datetime.date(2027, 1, 15), "value": 20000}],
                    }
                ],
                "kpis": [
                    {
                        "id": "meals",
                        "name": "Meals delivered",
                        "category": "social",
                        "unit": "meals",
                        "baseline": {"value": 1000, "date": datetime.date(2027, 1, 1)},
                        "targets": [{"value": 5000, "date": datetime.date(2027, 12, 31)}],
                        "measurements": [{"date": datetime.date(2027, 3, 31), "value": 1800}],
                    }
                ],
            },
            "how": {"review": {"date": datetime.date(2027, 11, 30)}},
        }
    )
