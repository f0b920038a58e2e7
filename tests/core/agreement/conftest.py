"""A small agreement most agreement tests start from."""

from __future__ import annotations

import datetime

import pytest

from commonground.core.agreement.models import Agreement


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
