"""Common Ground: see where partner organisations' missions meet and clash.

The Python API for analysts, importable from the package root::

    from commonground import load_profile, load_inputs, assess, assess_profiles

Names are loaded on first use, so ``import commonground`` stays cheap (the command line's
``--help`` must not load the embedding model or numpy).
"""

from __future__ import annotations

import importlib
import os
from typing import Any

# The one place the version is written: pyproject.toml reads it from here (``[tool.setuptools.dynamic]``),
# results record it (``EngineInfo.version``) and ``commonground --version`` prints it.
__version__ = "0.1.0"

# Our matrix products are small (tens of texts × a few hundred prototypes); multi-threaded BLAS
# only adds hand-off cost there, and on a busy 2-core machine it made a warm assessment 5× slower
# (bench/assess_bench.py). OpenBLAS reads this when numpy loads, so it must be set before that;
# a value the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

_EXPORTS = {
    "Profile": "commonground.core.profiles",
    "Partnership": "commonground.core.profiles",
    "Initiative": "commonground.core.profiles",
    "AssessmentResult": "commonground.core.results",
    "LoadError": "commonground.core.loading",
    "load_profile": "commonground.core.loading",
    "load_partnership": "commonground.core.loading",
    "load_inputs": "commonground.core.loading",
    "parse_profile": "commonground.core.loading",
    "dump_profile": "commonground.core.loading",
    "assess": "commonground.core.assessment",
    "assess_profiles": "commonground.core.assessment",
    "map_sdgs": "commonground.core.semantics.sdgs",
    "render": "commonground.reports",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is asked for."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'commonground' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
