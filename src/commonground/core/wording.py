"""How the engine writes an organisation's name inside its sentences."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def possessive(name: str) -> str:
    """``name``'s, or ``name``' when it ends in s ("Meadowgate Supermarkets' activities")."""
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


def whole_number(value: float) -> str:
    """``value`` as a whole number rounded half up, as the reports show a score: 72.5 → "73"."""
    return str(Decimal(repr(float(value))).quantize(Decimal(1), rounding=ROUND_HALF_UP) + 0)


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and the noun in the number it needs: "1 organisation", "2 organisations"."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


# Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): inside a name they
# reverse the text around it on a terminal or page ("Good Water" shown as "retaW dooG").
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def visible_controls(text: str) -> str:
    """``text`` with each bidirectional control shown as ``[U+202E]``, so it cannot reorder a line."""
    if not BIDI_CONTROLS.intersection(text):
        return text
    return "".join(f"[U+{ord(c):04X}]" if c in BIDI_CONTROLS else c for c in text)
