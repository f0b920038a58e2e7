"""The format registry: every format renders, unknown ones fail clearly."""

from __future__ import annotations

import pytest

from commonground.core.results import AssessmentResult
from commonground.reports import _REGISTRY as REGISTRY
from commonground.reports import formats, register_format, render
from commonground.reports.about import About


def test_builtin_formats_are_listed() -> None:
    assert {"text", "json", "html"} <= set(formats())


@pytest.mark.parametrize("fmt", ["text", "json", "html"])
@pytest.mark.parametrize("fixture", ["two_party", "three_party", "hostile"])
def test_every_format_renders(fmt: str, fixture: str, request: pytest.FixtureRequest) -> None:
    result: AssessmentResult = request.getfixturevalue(fixture)
    out = render(result, fmt)
    assert isinstance(out, str)
    assert "FizzCo Beverages Ltd" in out


def test_unknown_format_names_the_available_ones(two_party: AssessmentResult) -> None:
    with pytest.raises(ValueError, match="unknown report format 'pdf'") as info:
        render(two_party, "pdf")
    for name in ("html", "json", "text"):
        assert name in str(info.value)


def test_format_names_are_case_insensitive(two_party: AssessmentResult) -> None:
    assert render(two_party, "JSON") == render(two_party, "json")


def test_registered_format_is_used(two_party: AssessmentResult) -> None:
    def render_count(result: AssessmentResult, *, color: bool = False, about: About | None = None) -> str:
        return f"{len(result.conflicts)} conflicts"

    register_format("count", render_count)
    try:
        assert "count" in formats()
        assert render(two_party, "count") == "4 conflicts"
    finally:
        del REGISTRY["count"]


def test_same_input_same_output(two_party: AssessmentResult) -> None:
    for fmt in ("text", "json", "html"):
        assert render(two_party, fmt) == render(two_party.model_copy(deep=True), fmt)
