"""The register's row form: name (additions only), ratings, notes and the version it was loaded at."""

from __future__ import annotations

from typing import Any

from django import forms

from commonground.web.stakeholders.models import Stance
from commonground.web.stakeholders.selectors import name_keys
from commonground.web.stakeholders.services import Ratings

_SCORES = [(str(n), str(n)) for n in range(1, 6)]


class EntryForm(forms.Form):
    """One register row; ``taken`` holds the case-folded names already in the register."""

    name = forms.CharField(max_length=200)
    power = forms.TypedChoiceField(choices=_SCORES, coerce=int, help_text="1–5: power over the partnership")
    interest = forms.TypedChoiceField(
        choices=_SCORES, coerce=int, help_text="1–5: interest in the partnership"
    )
    legitimacy = forms.BooleanField(required=False, help_text="Its claim on the partnership is legitimate")
    urgency = forms.BooleanField(required=False, help_text="Its claim is time-critical")
    stance = forms.ChoiceField(required=False, choices=[("", "unknown"), *Stance.choices])
    notes = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self, *args: Any, taken: frozenset[str] = frozenset(), fixed_name: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.taken = taken
        self.fixed_name = fixed_name
        if fixed_name:
            # Re-rating a partners' stakeholder: its name comes from their profiles.
            self.fields["name"].required = False
            self.fields["name"].disabled = True
            self.fields["name"].initial = fixed_name
            self.fields["name"].help_text = "As the partners name it"

    def clean_name(self) -> str:
        """A new or renamed stakeholder must not already be in the register."""
        if self.fixed_name:
            return self.fixed_name
        name = str(self.cleaned_data["name"]).strip()
        if not name:
            raise forms.ValidationError("Give the stakeholder a name.")
        if name_keys(name) & self.taken:
            raise forms.ValidationError(f"{name} is already in the register: edit that row instead.")
        return name

    def ratings(self) -> Ratings:
        """The validated ratings."""
        data = self.cleaned_data
        return Ratings(
            power=int(data["power"]),
            interest=int(data["interest"]),
            legitimacy=bool(data["legitimacy"]),
            urgency=bool(data["urgency"]),
            stance=str(data.get("stance") or ""),
            notes=str(data.get("notes") or "").strip(),
        )


def _whole(score: float) -> str:
    return str(int(score + 0.5))  # half up: a mean of 2.5 opens as 3


def initial_for(row: Any) -> dict[str, Any]:
    """Form values for a register row as currently shown (merged ratings rounded to whole numbers)."""
    entry = row.entry
    if entry is not None:
        return {
            "name": entry.name, "power": str(entry.power), "interest": str(entry.interest),
            "legitimacy": entry.legitimacy, "urgency": entry.urgency, "stance": entry.stance,
            "notes": entry.notes, "version": entry.version,
        }  # fmt: skip
    stances = set(row.merged.stances.values()) if row.merged else set()
    return {
        "name": row.view.name, "power": _whole(row.view.power), "interest": _whole(row.view.interest),
        "legitimacy": row.legitimacy, "urgency": row.urgency,
        "stance": stances.pop() if len(stances) == 1 else "", "notes": "", "version": 0,
    }  # fmt: skip
