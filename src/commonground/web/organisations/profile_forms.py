"""The browser editor for a v1 profile: Django forms for input, the pydantic model for the rules.

Django forms turn the posted strings into numbers and choices; the assembled document is then
validated by ``commonground.core.profiles.Profile``, and every error it reports is attached to the
form field it names (``goals.2.text`` -> the text box of the third goal row).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.formsets import BaseFormSet, formset_factory
from pydantic import ValidationError as PydanticValidationError

from commonground.core.profiles import Kind, Priority, Profile, Severity, Stance

_SCORE_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(1, 6)]
_YES_NO = [("", "unknown"), ("yes", "yes"), ("no", "no")]
_FRIENDLY = {
    "missing": "This is required.",
    "string_too_short": "This cannot be empty.",
}


def _choices(enum: Any) -> list[tuple[str, str]]:
    return [(member.value, member.value.replace("_", " ")) for member in enum]


def _score(value: str) -> int | None:
    return int(value) if value else None


def _flag(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class MainForm(forms.Form):
    """The single-valued parts of a profile plus the version the editor started from."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=_choices(Kind))
    mission = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    sector = forms.CharField(required=False, max_length=200)
    profit_purpose = forms.FloatField(
        required=False,
        label="Profit–purpose orientation",
        help_text="0 = purely purpose-driven, 1 = purely profit-driven.",
        widget=forms.NumberInput(attrs={"step": "0.05", "min": "0", "max": "1"}),
    )
    clan = forms.FloatField(
        required=False, help_text="Culture: points out of 100 (leave all four empty if unknown)."
    )
    adhocracy = forms.FloatField(required=False)
    market = forms.FloatField(required=False)
    hierarchy = forms.FloatField(required=False)
    comment = forms.CharField(required=False, max_length=200, label="What did you change? (optional)")


class ValueForm(forms.Form):
    """One value; order is priority."""

    name = forms.CharField(required=False, max_length=200)
    weight = forms.ChoiceField(required=False, choices=_SCORE_CHOICES, help_text="1–5, optional.")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 1}))
    content_fields = ("name", "weight", "description")


class GoalForm(forms.Form):
    """One goal with its optional id and SDGs."""

    id = forms.CharField(required=False, max_length=64, label="Id", help_text="Optional, e.g. g-obesity.")
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    priority = forms.ChoiceField(choices=_choices(Priority), initial=Priority.MEDIUM.value)
    sdgs = forms.CharField(
        required=False, label="SDGs", help_text="Numbers 1–17 separated by commas; suggested when empty."
    )
    content_fields = ("id", "text", "sdgs")

    def clean_sdgs(self) -> list[int] | None:
        """Turn ``"3, 13"`` into ``[3, 13]``."""
        raw = self.cleaned_data.get("sdgs", "") or ""
        parts = [part.strip() for part in raw.replace(";", ",").split(",") if part.strip()]
        try:
            return [int(part) for part in parts] or None
        except ValueError:
            raise forms.ValidationError("Write SDG numbers (1–17) separated by commas, e.g. 3, 13.") from None


class ActivityForm(forms.Form):
    """Something the organisation does, sells, funds or promotes."""

    text = forms.CharField(required=False, label="Activity")
    content_fields = ("text",)


class RedLineForm(forms.Form):
    """Something the organisation will not do or be associated with."""

    text = forms.CharField(required=False, label="Red line")
    severity = forms.ChoiceField(choices=_choices(Severity), initial=Severity.ABSOLUTE.value)
    content_fields = ("text",)


class StakeholderForm(forms.Form):
    """A stakeholder with power, interest and the salience attributes."""

    name = forms.CharField(required=False, max_length=200)
    power = forms.ChoiceField(required=False, choices=_SCORE_CHOICES, help_text="1–5")
    interest = forms.ChoiceField(required=False, choices=_SCORE_CHOICES, help_text="1–5")
    legitimacy = forms.ChoiceField(required=False, choices=_YES_NO)
    urgency = forms.ChoiceField(required=False, choices=_YES_NO)
    stance = forms.ChoiceField(required=False, choices=[("", "unknown"), *_choices(Stance)])
    content_fields = ("name", "power", "interest", "legitimacy", "urgency", "stance")


# part name -> (form, ordered?, label)
PARTS: dict[str, tuple[type[forms.Form], bool, str]] = {
    "values": (ValueForm, True, "Values (first is most important)"),
    "goals": (GoalForm, True, "Goals"),
    "activities": (ActivityForm, False, "Activities"),
    "red_lines": (RedLineForm, False, "Red lines"),
    "stakeholders": (StakeholderForm, False, "Stakeholders"),
}
EXTRA_ROWS = 2


def _row_document(part: str, data: dict[str, Any]) -> dict[str, Any]:
    if part == "values":
        row = {
            "name": data["name"],
            "weight": _score(data["weight"]),
            "description": data["description"] or None,
        }
    elif part == "goals":
        row = {
            "id": data["id"] or None,
            "text": data["text"],
            "priority": data["priority"],
            "sdgs": data["sdgs"],
        }
    elif part == "activities":
        row = {"text": data["text"]}
    elif part == "red_lines":
        row = {"text": data["text"], "severity": data["severity"]}
    else:
        row = {
            "name": data["name"],
            "power": _score(data["power"]),
            "interest": _score(data["interest"]),
            "legitimacy": _flag(data["legitimacy"]),
            "urgency": _flag(data["urgency"]),
            "stance": data["stance"] or None,
        }
    # Empty parts are left out, so a missing required score is reported as "required" on its field.
    return {key: value for key, value in row.items() if value is not None}


def _row_initial(part: str, item: dict[str, Any]) -> dict[str, Any]:
    initial = {key: ("" if value is None else value) for key, value in item.items()}
    if part == "goals":
        initial["sdgs"] = ", ".join(str(n) for n in item.get("sdgs") or [])
    if part == "stakeholders":
        for key in ("legitimacy", "urgency"):
            value = item.get(key)
            initial[key] = "" if value is None else ("yes" if value else "no")
    return initial


MAX_ROWS = 1000  # Django's default formset max_num; "add another" stops there


def _formset_class(part: str) -> type[BaseFormSet[Any]]:
    form_class, ordered, _label = PARTS[part]
    return formset_factory(form_class, extra=EXTRA_ROWS, can_delete=True, can_order=ordered)


def _ask_for_sdg_hints(form: forms.Form, suggest_url: str) -> None:
    form.fields["text"].widget.attrs.update(
        {
            "hx-get": suggest_url,
            "hx-trigger": "keyup changed delay:500ms",
            "hx-target": "next .sdg-suggestions",
            "hx-swap": "innerHTML",
        }
    )


def blank_row(part: str, index: int, *, suggest_url: str = "") -> forms.Form:
    """An empty row of ``part`` numbered ``index``, as the editor's formset would render it."""
    if part not in PARTS or not 0 <= index < MAX_ROWS:
        raise ValueError(f"No row {index} of {part!r}.")
    formset = _formset_class(part)(prefix=part)
    form: forms.Form = formset.form(
        auto_id=formset.auto_id,
        prefix=formset.add_prefix(index),
        empty_permitted=True,
        use_required_attribute=False,
        renderer=formset.renderer,  # type: ignore[attr-defined]  # set by formset_factory; stubs omit it
    )
    formset.add_fields(form, None)
    if part == "goals" and suggest_url:
        _ask_for_sdg_hints(form, suggest_url)
    return form


def with_added_row(data: Any, part: str) -> Any:
    """A copy of posted editor data with one more (empty) row of ``part`` ("add another" without htmx)."""
    data = data.copy()
    key = f"{part}-TOTAL_FORMS"
    try:
        total = int(data.get(key, 0))
    except (TypeError, ValueError):
        total = 0
    data[key] = str(min(max(total, 0) + 1, MAX_ROWS))
    return data


class ProfileEditor:
    """All the forms of the profile editor, validated together against the profile model."""

    def __init__(
        self, *, profile: Profile | None, version: int, data: Any = None, suggest_url: str = ""
    ) -> None:
        document = profile.model_dump(mode="json") if profile else {}
        main_initial = {
            "version": version,
            "name": document.get("name", ""),
            "kind": document.get("kind", Kind.NONPROFIT.value),
            "mission": document.get("mission", ""),
            "sector": document.get("sector") or "",
            "profit_purpose": (document.get("orientation") or {}).get("profit_purpose"),
            **(document.get("culture") or {}),
        }
        self.main = MainForm(data=data, initial=main_initial)
        self.formsets: dict[str, BaseFormSet[Any]] = {}
        for part in PARTS:
            initial = [_row_initial(part, item) for item in document.get(part) or []]
            self.formsets[part] = _formset_class(part)(data=data, initial=initial, prefix=part)
        if suggest_url:
            for form in [*self.formsets["goals"].forms, self.formsets["goals"].empty_form]:
                _ask_for_sdg_hints(form, suggest_url)
        self.part_errors: dict[str, list[str]] = {part: [] for part in PARTS}
        self.profile: Profile | None = None
        self._rows: dict[str, list[forms.Form]] = {}

    def sections(self) -> list[tuple[str, str, BaseFormSet[Any], list[str]]]:
        """(part, label, formset, part-level errors) for the template, in profile order."""
        return [(part, PARTS[part][2], self.formsets[part], self.part_errors[part]) for part in PARTS]

    @property
    def expected_version(self) -> int:
        """The version the editor was opened at (valid only after ``is_valid``)."""
        return int(self.main.cleaned_data["version"])

    @property
    def comment(self) -> str:
        """The optional change comment."""
        return str(self.main.cleaned_data.get("comment") or "")

    def is_valid(self) -> bool:
        """Validate the forms, then the assembled profile; attach every problem to its field."""
        django_ok = self.main.is_valid() & all([fs.is_valid() for fs in self.formsets.values()])
        if not django_ok:
            return False
        document = self._document()
        try:
            self.profile = Profile.model_validate(document)
        except PydanticValidationError as exc:
            for error in exc.errors():
                message = _FRIENDLY.get(error["type"], error["msg"].removeprefix("Value error, "))
                self._attach(tuple(error["loc"]), message)
            return False
        return True

    def _kept_rows(self, part: str) -> list[forms.Form]:
        formset = self.formsets[part]
        forms_in_order = formset.ordered_forms if PARTS[part][1] else formset.forms
        kept = []
        for form in forms_in_order:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            if all(data.get(name) in (None, "", []) for name in form.content_fields):
                continue  # a blank row means "no entry"
            kept.append(form)
        return kept

    def _document(self) -> dict[str, Any]:
        main = self.main.cleaned_data
        document: dict[str, Any] = {"name": main["name"], "kind": main["kind"], "mission": main["mission"]}
        if main.get("sector"):
            document["sector"] = main["sector"]
        if main.get("profit_purpose") is not None:
            document["orientation"] = {"profit_purpose": main["profit_purpose"]}
        culture = {
            key: main[key]
            for key in ("clan", "adhocracy", "market", "hierarchy")
            if main.get(key) is not None
        }
        if culture:
            document["culture"] = culture
        for part in PARTS:
            self._rows[part] = self._kept_rows(part)
            document[part] = [_row_document(part, row.cleaned_data) for row in self._rows[part]]
        return document

    def _attach(self, loc: tuple[Any, ...], message: str) -> None:
        head = str(loc[0]) if loc else ""
        if head in PARTS:
            if len(loc) >= 3 and isinstance(loc[1], int):
                row = self._rows[head][loc[1]]
                field = str(loc[2])
                if field in row.fields:
                    row.add_error(field, message)
                    return
            self.part_errors[head].append(message)
            return
        if head in ("orientation", "culture"):
            field = str(loc[1]) if len(loc) > 1 else ""
            if field in self.main.fields:
                self.main.add_error(field, message)
            else:
                self.main.add_error(None, f"{head.capitalize()}: {message}")
            return
        if head in self.main.fields:
            self.main.add_error(head, message)
        else:
            self.main.add_error(None, message)
