"""Reading profile and partnership files (YAML or JSON) with messages a person can act on.

Every problem in a file is reported at once, each with the field path (``goals[2].priority``,
0-based indices) and, where the parser can tell, the line. YAML is parsed with a locked-down
composer: anchors and aliases are refused (so an alias bomb cannot blow up memory), duplicate keys
are errors, only the plain YAML tags are accepted, and files over :data:`MAX_BYTES` are refused
before they are read.

The package is split by what each module holds: ``problems`` (Problem, LoadError, the parsed
document), ``reading`` (bytes, size, encoding, YAML/JSON with line marks), ``messages`` (pydantic
errors in words, did-you-mean), ``documents`` (loading profiles and partnerships, dumping a profile)
and ``template`` (the commented template and the JSON Schema). Import from this package, not from
the modules.
"""

from __future__ import annotations

from commonground.core.loading.documents import (
    dump_profile,
    is_partnership_document,
    load_any,
    load_inputs,
    load_partnership,
    load_profile,
    parse_profile,
)
from commonground.core.loading.problems import (
    MAX_PROBLEMS_SHOWN,
    LoadError,
    Loc,
    Problem,
    format_path,
    problems_shown,
)
from commonground.core.loading.reading import (
    JSON_SUFFIXES,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_PROFILE_VALUES,
    YAML_SUFFIXES,
    count_values,
)
from commonground.core.loading.template import profile_json_schema, profile_template

__all__ = [
    "JSON_SUFFIXES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_PROBLEMS_SHOWN",
    "MAX_PROFILE_VALUES",
    "YAML_SUFFIXES",
    "LoadError",
    "Loc",
    "Problem",
    "count_values",
    "dump_profile",
    "format_path",
    "is_partnership_document",
    "load_any",
    "load_inputs",
    "load_partnership",
    "load_profile",
    "parse_profile",
    "problems_shown",
    "profile_json_schema",
    "profile_template",
]
