"""The filters of the "find partners" page (a GET form: a ranking is a bookmarkable read)."""

from __future__ import annotations

import re

from django import forms

from commonground.core.countries import country_code
from commonground.core.directory.discovery import Filters
from commonground.core.profiles import Kind

TOP_DEFAULT = 10
TOP_MAX = 25  # each listed organisation is assessed in full, so the page keeps the list short


class FindPartnersForm(forms.Form):
    """Country codes, a kind, an SDG and how many to list; every field optional."""

    country = forms.CharField(
        required=False,
        max_length=100,
        help_text="Two-letter country codes: GB for one country, or GB, KE for any of several.",
    )
    kind = forms.ChoiceField(
        required=False, choices=[("", "Any kind"), *((k.value, k.value.replace("_", " ")) for k in Kind)]
    )
    sdg = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any SDG"), *((str(n), f"SDG {n}") for n in range(1, 18))],
        label="SDG",
    )
    top = forms.IntegerField(
        required=False, min_value=1, max_value=TOP_MAX, initial=TOP_DEFAULT, label="How many"
    )

    def clean_country(self) -> frozenset[str]:
        """Country codes separated by commas or spaces, as the directory stores them (core/countries.py)."""
        given = [c for c in re.split(r"[\s,;]+", self.cleaned_data["country"]) if c]
        bad = sorted({c for c in given if country_code(c) is None})
        if bad:
            raise forms.ValidationError(
                f"Not a country code: {', '.join(bad)}. Use the two-letter ISO 3166-1 codes of countries, "
                "such as GB or KE."
            )
        return frozenset(code for c in given if (code := country_code(c)) is not None)

    def filters(self) -> Filters:
        """The cleaned fields as the discovery engine's filters."""
        data = self.cleaned_data
        return Filters(
            countries=data["country"],
            kinds=frozenset({data["kind"]}) if data["kind"] else frozenset(),
            sdgs=frozenset({data["sdg"]}) if data["sdg"] else frozenset(),
        )

    def listed(self) -> int:
        """How many organisations to list."""
        return int(self.cleaned_data["top"] or TOP_DEFAULT)
