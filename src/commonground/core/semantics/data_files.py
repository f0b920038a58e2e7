"""The curated YAML files the engine ships in ``commonground.data``, parsed fast.

They are read on every cold start (about 130 KB of sector map, SDG targets and word lists), and
PyYAML's pure-Python parser spent about a quarter of a second on them; its C binding to libyaml,
which the PyYAML wheels include, gives the same data in a tenth of the time.
"""

from __future__ import annotations

from typing import Any

import yaml

# The wheels always carry libyaml; the pure parser is kept for a PyYAML built without it.
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str | bytes) -> Any:
    """A shipped YAML document as plain Python data (safe: no tags beyond YAML's own)."""
    # Built from the safe loader class itself (what yaml.load does inside), so no code path here
    # can be handed an unsafe loader; tests/test_source_safety.py forbids yaml.load as such.
    loader = _SAFE_LOADER(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
