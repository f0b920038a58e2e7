"""How the engine writes an organisation's name inside its sentences."""

from __future__ import annotations


def possessive(name: str) -> str:
    """``name``'s, or ``name``' when it ends in s ("Meadowgate Supermarkets' activities")."""
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"
