"""The forms of the browser profile editor: one per single-valued part, one formset per list part.

Django forms turn the posted strings into numbers and choices; ``profile_editor.ProfileEditor``
assembles the document and lets ``commonground.core.profiles.Profile`` judge it. The limits people see
before they submit (``maxlength``, the counts in each section's intro) are read from that model, so
the editor and the profile format cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME, BaseFormSet, formset_factory
from pydantic import BaseModel

from commonground.core.profiles import (
    Activity,
    Goal,
    Priority,
    Profile,
    RedLine,
    Severity,
    Stakeholder,
    Stance,
    Value,
)
from commonground.web.organisations.forms import LOCATION_HELP
from commonground.web.organisations.models import LOCATION_LENGTH
from commonground.web.organisations.naming import kind_choices
from commonground.web.organisations.profile_limits import model_limit, too_long_message
from commonground.web.organisations.profile_words import (
    CULTURE,
    CULTURE_TYPES,
    PRIORITY_WORDS,
    SEVERITY_WORDS,
    STANCE_WORDS,
)

_SCORE_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(1, 6)]
_YES_NO = [("", "Don't know"), ("yes", "Yes"), ("no", "No")]


def _score(value: str) -> int | None:
    return int(value) if value else None


def _flag(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def number_text(value: Any) -> Any:
    """A stored number as people write it: ``55.0`` -> ``55``; anything else unchanged."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _text(model: type[BaseModel], field: str, **kwargs: Any) -> forms.CharField:
    """A one-line text box as long as the model allows, written in any direction."""
    return forms.CharField(max_length=model_limit(model, field), **kwargs)


def _long_text(model: type[BaseModel], field: str, rows: int = 2, **kwargs: Any) -> forms.CharField:
    """A text area as long as the model allows."""
    return forms.CharField(
        max_length=model_limit(model, field), widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def orientation_text(value: Any, *, unstated: bool) -> str:
    """Where the profit–purpose slider stands, in words: "25% profit, 75% purpose" (or "Not stated")."""
    number = _number(value)
    if unstated or number is None:
        return "Not stated"
    profit = round(min(max(number, 0.0), 1.0) * 100)
    return f"{profit}% profit, {100 - profit}% purpose"


def culture_total_text(values: list[Any]) -> str:
    """The culture points' total as the editor shows it: "Total: 100 of 100 points"."""
    numbers = [_number(value) for value in values if value not in (None, "")]
    if not numbers:
        return "Not stated"
    total = sum(number or 0.0 for number in numbers)
    return f"Total: {number_text(round(total, 1))} of 100 points"


class RangeInput(forms.NumberInput):
    """``<input type="range">``: a slider."""

    input_type = "range"


class _LengthLimit:
    """A length check that words its refusal as the rest of the editor does."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, value: str) -> None:
        """Refuse a text longer than the limit."""
        if len(value) > self.limit:
            raise ValidationError(too_long_message(self.limit, len(value)), code="max_length")


class _EditorForm(forms.Form):
    """Every text box of the editor takes its direction from its text, for right-to-left scripts."""

    content_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.TextInput | forms.Textarea):
                field.widget.attrs["dir"] = "auto"
            if isinstance(field, forms.CharField) and field.max_length is not None:
                # Django's own wording ("Ensure this value has at most...") replaced by the editor's.
                field.validators = [
                    _LengthLimit(field.max_length) if isinstance(v, MaxLengthValidator) else v
                    for v in field.validators
                ]


class MainForm(_EditorForm):
    """The single-valued parts of a profile plus the version the editor started from."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    name = _text(Profile, "name", error_messages={"required": "The name is required."})
    location = forms.CharField(
        required=False, max_length=LOCATION_LENGTH, label="Based in", help_text=LOCATION_HELP
    )
    kind = forms.ChoiceField(choices=kind_choices())
    mission = _long_text(
        Profile,
        "mission",
        rows=4,
        help_text="What the organisation exists to do, in a sentence or two.",
        error_messages={"required": "The mission is required."},
    )
    sector = _text(
        Profile, "sector", required=False, help_text="In your own words, e.g. “Food aid” or “Grocery retail”."
    )
    # Checked by the profile model against the ISO list (core/countries.py), which words the problem.
    country = _text(Profile, "country", required=False, help_text="Its two-letter code, e.g. GB or KE.")
    profit_purpose = forms.FloatField(
        required=False,
        label="Profit–purpose orientation",
        widget=RangeInput(attrs={"step": "0.05", "min": "0", "max": "1"}),
    )
    profit_purpose_unstated = forms.BooleanField(
        required=False, label="Not stated (leave it out of assessments)"
    )
    # The limits are the profile model's (0–100 each, 100 together): it words them when they are broken.
    clan = forms.FloatField(required=False)
    adhocracy = forms.FloatField(required=False)
    market = forms.FloatField(required=False)
    hierarchy = forms.FloatField(required=False)
    comment = forms.CharField(required=False, max_length=200, label="What did you change? (optional)")

    ABOUT_FIELDS = ("name", "location", "country", "kind", "mission", "sector")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for culture in CULTURE:
            field = self.fields[culture.key]
            field.label = f"{culture.name} ({culture.focus})"
            field.help_text = culture.description
            field.widget.attrs.update(
                {"min": "0", "max": "100", "step": "any", "inputmode": "decimal", "data-culture": ""}
            )

    def about_fields(self) -> list[forms.BoundField]:
        """The fields of the "About" section, in order."""
        return [self[name] for name in self.ABOUT_FIELDS]

    def culture_fields(self) -> list[forms.BoundField]:
        """The four culture points fields."""
        return [self[name] for name in CULTURE_TYPES]


class ValueForm(_EditorForm):
    """One value; order is priority."""

    name = _text(Value, "name", required=False)
    weight = forms.ChoiceField(required=False, choices=_SCORE_CHOICES, label="Importance (1–5)")
    description = _long_text(Value, "description", rows=1, required=False)
    content_fields = ("name", "weight", "description")


class GoalForm(_EditorForm):
    """One goal with its SDGs; a goal's id (from an imported file) is kept but not shown."""

    id = forms.CharField(required=False, max_length=model_limit(Goal, "id"), widget=forms.HiddenInput)
    text = _long_text(Goal, "text", required=False, label="Goal")
    priority = forms.ChoiceField(
        choices=[(p.value, PRIORITY_WORDS[p]) for p in Priority], initial=Priority.MEDIUM.value
    )
    sdgs = forms.CharField(required=False, label="SDGs (1–17)")
    content_fields = ("id", "text", "sdgs")

    def clean_sdgs(self) -> list[int] | None:
        """Turn ``"3, 13"`` into ``[3, 13]``."""
        raw = self.cleaned_data.get("sdgs", "") or ""
        parts = [part.strip() for part in raw.replace(";", ",").split(",") if part.strip()]
        try:
            return [int(part) for part in parts] or None
        except ValueError:
            raise forms.ValidationError("Write SDG numbers (1–17) separated by commas, e.g. 3, 13.") from None


class ActivityForm(_EditorForm):
    """Something the organisation does, sells, funds or promotes."""

    text = _long_text(Activity, "text", rows=1, required=False, label="Activity")
    content_fields = ("text",)


class RedLineForm(_EditorForm):
    """Something the organisation will not do or be associated with."""

    text = _long_text(RedLine, "text", rows=1, required=False, label="Red line")
    severity = forms.ChoiceField(
        choices=[(s.value, SEVERITY_WORDS[s]) for s in Severity], initial=Severity.ABSOLUTE.value
    )
    content_fields = ("text",)


class StakeholderForm(_EditorForm):
    """A stakeholder with power, interest and the salience attributes."""

    name = _text(Stakeholder, "name", required=False)
    power = forms.ChoiceField(required=False, choices=_SCORE_CHOICES, label="Power (1–5)")
    interest = forms.ChoiceField(required=False, choices=_SCORE_CHOICES, label="Interest (1–5)")
    legitimacy = forms.ChoiceField(required=False, choices=_YES_NO, label="Legitimate claim?")
    urgency = forms.ChoiceField(required=False, choices=_YES_NO, label="Urgent?")
    stance = forms.ChoiceField(
        required=False, choices=[("", "Don't know"), *((s.value, STANCE_WORDS[s]) for s in Stance)]
    )
    content_fields = ("name", "power", "interest", "legitimacy", "urgency", "stance")


@dataclass(frozen=True)
class Part:
    """A list part of the profile as the editor shows it."""

    form: type[_EditorForm]
    ordered: bool
    label: str
    singular: str
    intro: str
    example: str


def _intro(what: str, model: type[BaseModel], field: str, part: str) -> str:
    return (
        f"{what} Up to {model_limit(Profile, part)} entries of at most "
        f"{model_limit(model, field):,} characters each."
    )


PARTS: dict[str, Part] = {
    "values": Part(
        ValueForm,
        True,
        "Values",
        "Value",
        _intro("What the organisation stands for, most important first.", Value, "description", "values"),
        "Dignity: people who use our services are treated as guests.",
    ),
    "goals": Part(
        GoalForm,
        True,
        "Goals",
        "Goal",
        _intro(
            "What the organisation wants to achieve, ideally with a number and a date. SDGs: the numbers "
            "of the UN Sustainable Development Goals it serves, e.g. 3, 13; left empty, they are suggested "
            "as you type and guessed at each assessment.",
            Goal,
            "text",
            "goals",
        ),
        "Get 500 more teenagers doing weekly sport by 2027.",
    ),
    "activities": Part(
        ActivityForm,
        False,
        "Activities",
        "Activity",
        _intro("What the organisation does, sells, funds or promotes.", Activity, "text", "activities"),
        "Runs three food banks, open six days a week.",
    ),
    "red_lines": Part(
        RedLineForm,
        False,
        "Red lines",
        "Red line",
        _intro("What the organisation will not do or be associated with.", RedLine, "text", "red_lines"),
        "No sponsorship from gambling or betting companies.",
    ),
    "stakeholders": Part(
        StakeholderForm,
        False,
        "Stakeholders",
        "Stakeholder",
        _intro(
            "People and groups who affect the organisation or are affected by it: how much power they "
            "have over it and how much interest they take in it, from 1 (little) to 5 (a lot).",
            Stakeholder,
            "name",
            "stakeholders",
        ),
        "Parents of the children we work with: power 3, interest 5.",
    ),
}
EXTRA_ROWS = 1
MAX_ROWS = 1000  # sorts rows without an order after every real one


def max_rows(part: str) -> int:
    """The most rows the editor takes for a list part: twice the profile's limit, room for rows being
    removed or left blank ("add another" stops there; the profile's own limit is checked with its
    message). A post claiming more is refused before its rows are built (security review F1: one claiming
    10^12 rows built Django's 2,000 and held a server thread for seconds)."""
    return 2 * model_limit(Profile, part)


TOO_MANY_ROWS = (
    "The page sent more rows than the editor takes (at most %(num)d here); nothing was saved. "
    "Reload the editor and make your change again."
)

if TYPE_CHECKING:
    _FormSet = BaseFormSet[Any]
else:  # BaseFormSet is generic only in the type stubs
    _FormSet = BaseFormSet


class ProfileRowFormSet(_FormSet):
    """A list part: the order is a hidden field moved by the up/down buttons; "Remove" marks a row."""

    ordering_widget = forms.HiddenInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"too_many_forms": TOO_MANY_ROWS})
        super().__init__(*args, **kwargs)

    def _claims_too_many(self) -> bool:
        management = self.management_form
        claimed = management.cleaned_data["TOTAL_FORMS"] if management.is_valid() else None
        return claimed is not None and int(claimed) > self._row_limit

    @property
    def _row_limit(self) -> int:
        return int(self.absolute_max or 0)  # formset_class sets it

    def total_form_count(self) -> int:
        """Django's count, except that a post claiming more rows than ``absolute_max`` builds only the
        rows the editor was opened with (the claim itself is refused in ``full_clean``)."""
        if self.is_bound and self._claims_too_many():
            return min(len(self.initial or ()), self._row_limit)
        return int(super().total_form_count())

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        """Add the order and remove fields, the latter labelled in plain words."""
        super().add_fields(form, index)
        if DELETION_FIELD_NAME in form.fields:
            form.fields[DELETION_FIELD_NAME].label = "Remove"

    def row_indexes_in_order(self) -> list[int]:
        """The rows' indexes as the person arranged them: by the posted (or initial) order, then position."""
        if not self.can_order:
            return list(range(len(self.forms)))

        def key(index: int) -> tuple[int, int]:
            try:
                return (int(self.forms[index][ORDERING_FIELD_NAME].value()), index)
            except (TypeError, ValueError):
                return (
                    MAX_ROWS + index,
                    index,
                )  # rows without an order (new ones) keep their place at the end

        return sorted(range(len(self.forms)), key=key)

    def rows_in_order(self) -> list[forms.Form]:
        """The rows in the order the person arranged them."""
        return [self.forms[index] for index in self.row_indexes_in_order()]


def row_document(part: str, data: dict[str, Any]) -> dict[str, Any]:
    """One row's cleaned data as a profile list item (empty fields left out)."""
    get = data.get
    if part == "values":
        row = {"name": get("name"), "weight": _score(get("weight") or ""), "description": get("description")}
    elif part == "goals":
        row = {"id": get("id"), "text": get("text"), "priority": get("priority"), "sdgs": get("sdgs")}
    elif part == "activities":
        row = {"text": get("text")}
    elif part == "red_lines":
        row = {"text": get("text"), "severity": get("severity")}
    else:
        row = {
            "name": get("name"),
            "power": _score(get("power") or ""),
            "interest": _score(get("interest") or ""),
            "legitimacy": _flag(get("legitimacy") or ""),
            "urgency": _flag(get("urgency") or ""),
            "stance": get("stance"),
        }
    # Empty parts are left out, so a missing required score is reported as "required" on its field.
    return {key: value for key, value in row.items() if value not in (None, "")}


def row_initial(part: str, item: dict[str, Any]) -> dict[str, Any]:
    """A profile list item as the initial values of its editor row."""
    initial = {key: ("" if value is None else value) for key, value in item.items()}
    if part == "goals":
        initial["sdgs"] = ", ".join(str(n) for n in item.get("sdgs") or [])
    if part == "stakeholders":
        for key in ("legitimacy", "urgency"):
            value = item.get(key)
            initial[key] = "" if value is None else ("yes" if value else "no")
    return initial


def formset_class(part: str) -> type[ProfileRowFormSet]:
    """The formset class of a list part."""
    spec = PARTS[part]
    limit = max_rows(part)
    made = formset_factory(
        spec.form,
        formset=ProfileRowFormSet,
        extra=EXTRA_ROWS,
        can_delete=True,
        can_order=spec.ordered,
        max_num=limit,
        validate_max=True,
        absolute_max=limit,
    )
    return cast(type[ProfileRowFormSet], made)  # formset_factory subclasses the formset it is given


def ask_for_sdg_hints(form: forms.Form, suggest_url: str) -> None:
    """Wire a goal row's text box to the as-you-type SDG suggestions."""
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
    if part not in PARTS or not 0 <= index < max_rows(part):
        raise ValueError(f"No row {index} of {part!r}.")
    formset = formset_class(part)(prefix=part)
    form: forms.Form = formset.form(
        auto_id=formset.auto_id,
        prefix=formset.add_prefix(index),
        empty_permitted=True,
        use_required_attribute=False,
        renderer=formset.renderer,  # type: ignore[attr-defined]  # set by formset_factory; stubs omit it
    )
    formset.add_fields(form, None)
    if part == "goals" and suggest_url:
        ask_for_sdg_hints(form, suggest_url)
    return form


def _total(data: Any, part: str) -> int:
    try:
        return max(int(data.get(f"{part}-TOTAL_FORMS", 0)), 0)
    except (TypeError, ValueError):
        return 0


def with_added_row(data: Any, part: str) -> Any:
    """A copy of posted editor data with one more (empty) row of ``part`` ("add another" without htmx)."""
    data = data.copy()
    data[f"{part}-TOTAL_FORMS"] = str(min(_total(data, part) + 1, max_rows(part)))
    return data


def with_moved_row(data: Any, move: str) -> Any:
    """A copy of posted editor data with one row moved: ``move`` is ``"<part>-<index>-up"`` or ``-down``
    (the up/down buttons without JavaScript). Every row of the part gets a fresh order 1, 2, 3..."""
    part, _, rest = move.partition("-")
    index_text, _, direction = rest.partition("-")
    if part not in PARTS or not PARTS[part].ordered or direction not in ("up", "down"):
        return data
    data = data.copy()
    order = formset_class(part)(data=data, prefix=part).row_indexes_in_order()
    try:
        position = order.index(int(index_text))
    except ValueError:
        return data
    target = position - 1 if direction == "up" else position + 1
    if 0 <= target < len(order):
        order[position], order[target] = order[target], order[position]
    for number, index in enumerate(order, start=1):
        data[f"{part}-{index}-{ORDERING_FIELD_NAME}"] = str(number)
    return data
