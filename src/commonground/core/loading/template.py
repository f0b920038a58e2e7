"""The commented profile template (``commonground init``) and the JSON Schema (``commonground schema``)."""

from __future__ import annotations

from typing import Any

from commonground.core.profiles import Profile

_PLAIN_STRING_LISTS = {"values": "Value", "goals": "Goal", "activities": "Activity", "red_lines": "RedLine"}


def profile_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of organisation profile format version 1."""
    schema = Profile.model_json_schema()
    properties = schema.get("properties", {})
    for field, definition in _PLAIN_STRING_LISTS.items():
        items = properties.get(field, {}).get("items")
        if isinstance(items, dict):
            # Hand-written lists accept plain strings too; pydantic's schema cannot see that.
            properties[field]["items"] = {
                "anyOf": [{"type": "string", "minLength": 1}, {"$ref": f"#/$defs/{definition}"}]
            }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://commonground.example/schema/profile-v1.json",
        **schema,
        "title": "Common Ground organisation profile, format version 1",
    }


_TEMPLATE = """\
# Common Ground organisation profile (format version 1).
# Only name, kind and mission are required; everything else makes the assessment richer.
# Replace the placeholder text, delete what you do not need, then run:
#     commonground validate this-file.yaml
version: 1

# The organisation's name as partners know it.
name: Example Organisation

# One of: nonprofit, company, social_enterprise, public_agency, funder, community_group, other
kind: nonprofit

# Why the organisation exists, in a sentence or two of plain words.
mission: Describe in plain words what your organisation exists to achieve, and for whom.

# Optional: the field you work in, in your own words.
sector: Describe your sector here

# Optional: the country you are in, as its two-letter ISO 3166-1 code (GB, KE, US ...); directories of
# organisations filter on it. Put Norway's in quotes ("NO"): YAML reads a bare NO as false.
country: GB

# Values in priority order, most important first. weight 1-5 is optional; a plain line also works:
#   - Transparency
values:
  - name: First value
    weight: 5
    description: What this value means in practice (optional).

# What you want to achieve. priority is high, medium (the default) or low.
# id is optional (letters, digits, _ . -); sdgs lists UN Sustainable Development Goals 1-17 and
# is suggested automatically when left out.
goals:
  - id: goal-1
    text: A concrete goal, ideally with a number and a date
    priority: high
    sdgs: [3]

# What you do, sell, fund or promote: one plain line each.
activities:
  - Something the organisation does

# What you will not do or be associated with. severity is absolute (the default) or strong.
red_lines:
  - text: Something the organisation will never do or accept
    severity: absolute

# People and groups that affect you or are affected by you.
# power and interest are 1-5 (Mendelow grid); legitimacy and urgency are true/false
# (Mitchell, Agle and Wood); stance is supportive, neutral or opposed. Only name, power and
# interest are required.
stakeholders:
  - name: A stakeholder group
    power: 3
    interest: 4
    legitimacy: true
    urgency: false
    stance: supportive

# 0 = purely purpose-driven, 1 = purely profit-driven.
orientation:
  profit_purpose: 0.2

# Competing Values Framework: share 100 points over the four culture types.
culture:
  clan: 25
  adhocracy: 25
  market: 25
  hierarchy: 25
"""


def profile_template() -> str:
    """A commented YAML profile template that validates as written."""
    return _TEMPLATE
