"""Synthetic-but-realistic coalitions for the coalition benchmark, made from the example profiles.

Partner ``k`` starts from example profile ``k mod 7`` (``examples/*.yaml``, the partnership, network and
agreement files left out) and is varied so that no two partners are the same organisation:

- its name and mission name a town of its own (``TOWNS``), so every mission is a new text to embed;
- its goals are rotated by ``k`` and one goal is borrowed from the next example (the goal text names
  the town too), so goal pairs and their tensions differ from pair to pair;
- value weights move by one step up or down and the culture points shift, deterministically.

Red lines, activities, sector and stakeholders stay those of the example, so the clashes between
kinds of organisation (a petroleum company and a climate charity) recur across the coalition as they
would in a real network. Same ``n``, same profiles.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from commonground.core.profiles import Profile

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TOWNS = (
    "Ashby", "Brampton", "Calder", "Dunmore", "Elmsford", "Fairlie", "Glenrock", "Harwick",
    "Ingleby", "Jarrow", "Kelso", "Langley", "Marston", "Northam", "Oakham", "Penrith",
    "Quarry Bank", "Redcar", "Selby", "Thirsk", "Ulverston", "Ventnor", "Wetherby", "Yarm",
    "Zennor", "Alston", "Bude", "Corbridge", "Dalton", "Epworth",
)  # fmt: skip


def example_profiles() -> list[dict[str, Any]]:
    """The example organisation profiles as plain data, in file-name order."""
    files = sorted(
        p for p in EXAMPLES.glob("*.yaml") if not p.name.startswith(("partnership", "agreement", "network"))
    )
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in files]


def _town(k: int) -> str:
    town = TOWNS[k % len(TOWNS)]
    return town if k < len(TOWNS) else f"{town} {k // len(TOWNS) + 1}"


def varied_profile(k: int, bases: list[dict[str, Any]]) -> Profile:
    """Partner ``k`` of a synthetic coalition (see the module docstring)."""
    base, donor = bases[k % len(bases)], bases[(k + 1) % len(bases)]
    town = _town(k)
    data = dict(base)
    data["name"] = f"{base['name']} ({town})"
    data["mission"] = f"{base['mission'].rstrip('.')}, working in and around {town}."
    goals = [dict(g) for g in base.get("goals", [])]
    shift = k % max(len(goals), 1)
    goals = goals[shift:] + goals[:shift]
    borrowed = dict(donor["goals"][k % len(donor["goals"])]) if donor.get("goals") else None
    if borrowed is not None:
        borrowed["id"] = f"borrowed-{borrowed.get('id', 'goal')}"
        borrowed["text"] = f"{borrowed['text']} in {town}"
        goals = [*goals[:4], borrowed]
    data["goals"] = goals
    values = []
    for i, value in enumerate(base.get("values", [])):
        if isinstance(value, dict) and "weight" in value:
            value = {**value, "weight": min(5, max(1, value["weight"] + ((k + i) % 3) - 1))}
        values.append(value)
    data["values"] = values
    if base.get("culture"):
        c = dict(base["culture"])
        move = (k % 5) * 2
        give, take = ("clan", "market") if c.get("market", 0) >= move else ("market", "clan")
        c[give] = c.get(give, 0) - move if c.get(give, 0) >= move else c.get(give, 0)
        c[take] = 100 - sum(v for key, v in c.items() if key != take)
        data["culture"] = c
    return Profile.model_validate(data)


def coalition(n: int) -> list[Profile]:
    """``n`` distinct partners made from the examples."""
    bases = example_profiles()
    return [varied_profile(k, bases) for k in range(n)]
