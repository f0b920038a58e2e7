"""Coalition networks: a survey of who works with whom (after PARTNER), and its analysis with networkx.

``survey`` holds the file format (organisations, rounds, ratings: working level, value and trust,
1–4), ``loading`` reads it with every problem named by field and line, ``analysis`` turns a round
into a :class:`RoundAnalysis` (``measures``: density and Freeman's centralizations; ``gaps``:
perception gaps) and two rounds into a :class:`RoundChange`; ``results`` holds those frozen results
and their JSON form, ``edges`` the ties as CSV/XLSX. The picture is drawn by
``reports/charts/network.py``; ``commonground network`` (``network_cli.py``) puts it together.
The method, formulas and citations are in ``docs/methods.md``.
"""

from __future__ import annotations

from commonground.core.network.analysis import analyse_round, compare_rounds, tie_graph
from commonground.core.network.edges import EDGE_COLUMNS, edge_rows, edges_csv, edges_xlsx
from commonground.core.network.gaps import DEFAULT_THRESHOLD, perception_gaps
from commonground.core.network.loading import (
    load_survey,
    parse_survey,
    survey_from_document,
    survey_json_schema,
)
from commonground.core.network.results import (
    OrganisationChange,
    OrganisationFigures,
    PerceptionGap,
    RoundAnalysis,
    RoundChange,
    Tie,
    analysis_document,
    analysis_json,
)
from commonground.core.network.survey import (
    DIMENSION_LABELS,
    FREQUENCY_LEVELS,
    TRUST_DIMENSIONS,
    VALUE_DIMENSIONS,
    WORKING_LEVELS,
    Organisation,
    Rating,
    Round,
    Survey,
    UnknownRound,
    reference_problems,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "DIMENSION_LABELS",
    "EDGE_COLUMNS",
    "FREQUENCY_LEVELS",
    "TRUST_DIMENSIONS",
    "VALUE_DIMENSIONS",
    "WORKING_LEVELS",
    "Organisation",
    "OrganisationChange",
    "OrganisationFigures",
    "PerceptionGap",
    "Rating",
    "Round",
    "RoundAnalysis",
    "RoundChange",
    "Survey",
    "Tie",
    "UnknownRound",
    "analyse_round",
    "analysis_document",
    "analysis_json",
    "compare_rounds",
    "edge_rows",
    "edges_csv",
    "edges_xlsx",
    "load_survey",
    "parse_survey",
    "perception_gaps",
    "reference_problems",
    "survey_from_document",
    "survey_json_schema",
    "tie_graph",
]
