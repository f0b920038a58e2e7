"""The rows of the browser profile editor's list parts: their formset, documents and added or moved rows.

Each list part of a profile (values, goals, activities, red lines, stakeholders) is a formset of
the forms in ``profile_forms``; this module turns its rows into the document's items and back,
keeps their order, and adds or moves a row without losing what was typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME, BaseFormSet, formset_factory

from commonground.core.profiles import Profile
from commonground.web.organisations.profile_forms import PARTS
from commonground.web.organisations.profile_limits import model_limit


def _score(value: str) -> int | None:
    return int(value) if value else None


def _flag(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


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
