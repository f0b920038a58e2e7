"""Using a sector's product is not being in the sector: diesel vans do not make a courier an oil firm.

"Runs a fleet of petrol delivery vans" was read as a fossil-fuel company (sectors' classifier
0.65) and crossed "no partners that finance fossil fuel expansion" as a blocker; so did a Spanish
bus company "que funcionan con gasóleo". A text that names the sector's product only as what its
vehicles or equipment run on ("petrol delivery vans", "diesel buses", "gas boilers", "run on
diesel"), names no trade in it ("sells", "stations", "tankers") and names nothing else of the
sector (``sector_kinds``: "a coal miner whose trucks run on diesel" is still coal) is never placed
in that sector by :func:`sectors.read_texts`. The words are data (``data/product_use.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from commonground.core.semantics.cues import load_word_file, word_list
from commonground.core.semantics.sector_kinds import kinds_named, names_whole_sector, words_of

__all__ = ["PRODUCT_USE_VERSION", "only_used"]

PRODUCT_USE_VERSION: str = str(load_word_file("product_use.yaml")["version"])
# Words at most between a product and the thing it fuels ("petrol delivery vans"), or between a
# frame and the product ("run on natural gas").
_GAP = 1
# Words at most between the vehicle or machine and the frame ("autobuses interurbanos que funcionan
# con"); a frame without one ("a power plant fuelled by gas") is not use.
_THING_BEFORE = 3


@dataclass(frozen=True)
class _Use:
    products: frozenset[str]
    things: frozenset[str]
    frames: tuple[tuple[str, ...], ...]
    trade: frozenset[str]


@lru_cache(maxsize=1)
def _load() -> dict[str, _Use]:
    raw = load_word_file("product_use.yaml")["sectors"]
    return {
        sector: _Use(
            word_list(spec["products"]),
            word_list(spec["things"]),
            tuple(tuple(f.lower().split()) for f in spec["frames"]),
            word_list(spec["trade"]),
        )
        for sector, spec in raw.items()
    }


def _framed(tokens: list[str], i: int, use: _Use) -> bool:
    """Whether a use frame ("run on", "funcionan con") ends at most _GAP words before ``i``, with
    a vehicle or machine at most _THING_BEFORE words before the frame ("vans that run on")."""
    for frame in use.frames:
        for gap in range(_GAP + 1):
            start = i - gap - len(frame)
            if start >= 0 and tuple(tokens[start : start + len(frame)]) == frame:
                return any(t in use.things for t in tokens[max(0, start - _THING_BEFORE) : start])
    return False


@lru_cache(maxsize=4096)
def only_used(text: str) -> frozenset[str]:
    """The sectors whose product a text names only as what its vehicles or equipment run on."""
    tokens = words_of(text)
    out: set[str] = set()
    for sector, use in _load().items():
        if not set(tokens) & use.products or set(tokens) & use.trade:
            continue
        used: list[int] = []
        for i, word in enumerate(tokens):
            if word not in use.products:
                continue
            fuels_a_thing = any(t in use.things for t in tokens[i + 1 : i + 2 + _GAP])
            if not (fuels_a_thing or _framed(tokens, i, use)):
                break  # a product word named otherwise: the text may be about the trade
            used.append(i)
        else:
            rest = " ".join(t for i, t in enumerate(tokens) if i not in used)
            if used and not kinds_named(rest, sector) and not names_whole_sector(rest, sector):
                out.add(sector)
    return frozenset(out)
