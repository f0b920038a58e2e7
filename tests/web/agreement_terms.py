"""Terms to give a started agreement in web tests: workstreams with roles, commitments, KPIs, a rule.

``put_terms(agreement, ...)`` writes them into the stored document directly (validated by the core
model), the way a signed version would hold them, so that tests of the tabs start from known terms.
Dates are relative to today so that statuses stay what the tests expect on any day.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.web.agreements.models import Agreement


def days(n: int) -> str:
    """Today plus ``n`` days, as the format writes dates."""
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def put_terms(agreement: Agreement, *, rule: dict[str, Any] | None = None, **what: Any) -> Agreement:
    """Give the agreement the default terms below (``what`` overrides WHAT's lists), version unchanged."""
    document = dict(agreement.document)
    harbor, meadow = (p["id"] for p in document["who"]["partners"])
    terms: dict[str, Any] = {
        "workstreams": [
            {"id": "kitchen", "name": "Kitchen", "tasks": [
                {"id": "menu", "name": "Plan the menu", "responsible": [harbor], "accountable": [harbor],
                 "consulted": [meadow]},
                {"id": "stock", "name": "Stock the fruit", "responsible": [meadow],
                 "accountable": [harbor, meadow]},
            ]},
        ],
        "commitments": [
            {"id": "cook", "by": harbor, "kind": "staff_time", "description": "A cook two days a week",
             "value": 5000, "due": days(-10)},
            {"id": "fruit", "by": meadow, "to": harbor, "kind": "in_kind",
             "description": "Fruit for the tills", "value": 2000, "due": days(90)},
        ],
        "kpis": [
            {"id": "meals", "name": "Healthy meals served", "category": "social", "unit": "meals",
             "owner": harbor, "baseline": {"value": 0, "date": days(-100)},
             "targets": [{"value": 1000, "date": days(100)}]},
            {"id": "trust", "name": "Trust between partners", "category": "relationship", "unit": "points",
             "baseline": {"value": 3, "date": days(-100)}, "targets": [{"value": 4, "date": days(265)}]},
        ],
    }  # fmt: skip
    terms.update(what)
    document["what"] = {**document["what"], **terms}
    if rule is not None:
        document["how"] = {**document["how"], "decisions": {**document["how"]["decisions"], "rule": rule}}
    valid = AgreementDocument.model_validate(document).model_dump(mode="json")
    Agreement.objects.filter(pk=agreement.pk).update(document=valid)
    agreement.refresh_from_db()
    return agreement
