"""The profile editor as a whole: every form bound together, judged by the profile model in one pass.

Django forms turn the posted strings into numbers and choices; the assembled document is then
validated by ``commonground.core.profiles.Profile`` even when some fields failed already, so every
problem is found in one submit, and each is attached to the field it names (``goals.2.text`` -> the
text box of the third goal row) and listed, in plain words, at the top of the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import ErrorDetails

from commonground.core.profiles import Kind, Profile
from commonground.web.organisations.profile_forms import (
    PARTS,
    MainForm,
    culture_total_text,
    number_text,
    orientation_text,
)
from commonground.web.organisations.profile_limits import too_long_message
from commonground.web.organisations.profile_rows import (
    ProfileRowFormSet,
    ask_for_sdg_hints,
    formset_class,
    row_document,
    row_initial,
)
from commonground.web.organisations.profile_words import CULTURE_TYPES

# Sections of the editor's page, in order: (anchor, title).
SECTIONS = (
    ("about", "About the organisation"),
    ("how-you-work", "How you work"),
    *((f"part-{part}", spec.label) for part, spec in PARTS.items()),
)


def plain_message(error: ErrorDetails) -> str:
    """A profile-model error in words a person reads (never the library's wording)."""
    kind, ctx, given = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "missing":
        return "This is required."
    if kind == "string_too_short":
        return "This cannot be empty."
    if kind == "string_too_long":
        return too_long_message(int(ctx["max_length"]), len(given) if isinstance(given, str) else 0)
    if kind == "too_long":
        return f"At most {ctx['max_length']:,} entries: remove {ctx['actual_length'] - ctx['max_length']:,}."
    if kind in ("less_than_equal", "less_than"):
        return f"Use a number no higher than {ctx.get('le', ctx.get('lt')):g}."
    if kind in ("greater_than_equal", "greater_than"):
        return f"Use a number no lower than {ctx.get('ge', ctx.get('gt')):g}."
    if kind == "string_pattern_mismatch":
        return "Its reference (from an imported file) may use only letters, digits, “_”, “.” and “-”."
    message = str(error["msg"]).removeprefix("Value error, ")
    return message[:1].upper() + message[1:]


@dataclass(frozen=True)
class Problem:
    """One reason the profile was not saved: where (label and the id of the field to jump to) and why."""

    where: str
    message: str
    anchor: str


class ProfileEditor:
    """All the forms of the profile editor, validated together against the profile model."""

    def __init__(
        self,
        *,
        profile: Profile | None,
        version: int,
        location: str = "",
        data: Any = None,
        suggest_url: str = "",
    ) -> None:
        document = profile.model_dump(mode="json") if profile else {}
        orientation = (document.get("orientation") or {}).get("profit_purpose")
        main_initial = {
            "version": version,
            "name": document.get("name", ""),
            "location": location,
            "kind": document.get("kind", Kind.NONPROFIT.value),
            "mission": document.get("mission", ""),
            "sector": document.get("sector") or "",
            "country": document.get("country") or "",
            "profit_purpose": 0.5 if orientation is None else number_text(orientation),
            "profit_purpose_unstated": orientation is None,
            **{key: number_text(value) for key, value in (document.get("culture") or {}).items()},
        }
        self.main = MainForm(data=data, initial=main_initial)
        self.formsets: dict[str, ProfileRowFormSet] = {}
        for part in PARTS:
            initial = [row_initial(part, item) for item in document.get(part) or []]
            self.formsets[part] = formset_class(part)(data=data, initial=initial, prefix=part)
        if suggest_url:
            for form in [*self.formsets["goals"].forms, self.formsets["goals"].empty_form]:
                ask_for_sdg_hints(form, suggest_url)
        # Problems of a whole part (or of the culture points together) rather than of one field.
        self.part_errors: dict[str, list[str]] = {part: [] for part in [*PARTS, "culture"]}
        self.profile: Profile | None = None
        self._rows: dict[str, list[forms.Form]] = {}

    def sections(self) -> list[tuple[str, Any, ProfileRowFormSet, list[forms.Form], list[str]]]:
        """(part, its Part, formset, rows in the person's order, part-level errors), in profile order."""
        return [
            (part, spec, self.formsets[part], self.formsets[part].rows_in_order(), self.part_errors[part])
            for part, spec in PARTS.items()
        ]

    @property
    def expected_version(self) -> int:
        """The version the editor was opened at (valid only after ``is_valid``)."""
        return int(self.main.cleaned_data["version"])

    @property
    def comment(self) -> str:
        """The optional change comment."""
        return str(self.main.cleaned_data.get("comment") or "")

    @property
    def location(self) -> str:
        """Where the organisation is based, as typed."""
        return str(self.main.cleaned_data.get("location") or "")

    @property
    def orientation_text(self) -> str:
        """The slider's value in words, as the page first shows it (the script keeps it current)."""
        return orientation_text(
            self.main["profit_purpose"].value(), unstated=bool(self.main["profit_purpose_unstated"].value())
        )

    @property
    def culture_text(self) -> str:
        """The culture points' total, as the page first shows it (the script keeps it current)."""
        return culture_total_text([self.main[key].value() for key in CULTURE_TYPES])

    def is_valid(self) -> bool:
        """Validate the forms and the assembled profile in one pass; attach every problem to its field."""
        forms_ok = self.main.is_valid() & all([formset.is_valid() for formset in self.formsets.values()])
        if "version" in self.main.errors:
            return False  # not from this editor: nothing to judge
        try:
            profile = Profile.model_validate(self._document())
        except PydanticValidationError as exc:
            for error in exc.errors():
                self._attach(tuple(error["loc"]), plain_message(error))
            return False
        if not forms_ok:
            return False
        self.profile = profile
        return True

    def problems(self) -> list[Problem]:
        """Every problem found, in the order of the page, each with the field to jump to."""
        found: list[Problem] = []
        main = self.main
        for message in main.non_field_errors():
            found.append(Problem("About the organisation", str(message), "about"))
        for name, field in main.fields.items():
            for message in main.errors.get(name, []):
                found.append(
                    Problem(str(field.label or name.capitalize()), str(message), main[name].id_for_label)
                )
        found += [Problem("Culture", message, "culture") for message in self.part_errors["culture"]]
        for part, spec, formset, rows, errors in self.sections():
            for message in [*errors, *formset.non_form_errors()]:
                found.append(Problem(spec.label, str(message), f"part-{part}"))
            for position, row in enumerate(rows, start=1):
                for name, messages in row.errors.items():
                    row_field = row.fields.get(name)
                    where = f"{spec.singular} {position}"
                    if row_field is not None and not row_field.widget.is_hidden:
                        where += f", {str(row_field.label or name).lower()}"
                        anchor = row[name].id_for_label
                    else:
                        anchor = f"part-{part}"
                    found += [Problem(where, str(message), anchor) for message in messages]
        return found

    def _kept_rows(self, part: str) -> list[forms.Form]:
        kept = []
        content_fields = PARTS[part].form.content_fields
        for form in self.formsets[part].rows_in_order():
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE"):
                continue
            if all(data.get(name) in (None, "", []) for name in content_fields) and not any(
                name in form.errors for name in content_fields
            ):
                continue  # a blank row means "no entry"
            kept.append(form)
        return kept

    def _document(self) -> dict[str, Any]:
        """The profile as the forms describe it; a field that failed its own check is left out."""
        main = getattr(self.main, "cleaned_data", {})
        document: dict[str, Any] = {
            key: main[key]
            for key in ("name", "kind", "mission", "sector", "country")
            if main.get(key) not in (None, "")
        }
        for key in ("name", "kind", "mission"):
            if key not in document and key not in self.main.errors:
                document[key] = ""  # reported as required by the model, in one pass with the rest
        if not main.get("profit_purpose_unstated") and main.get("profit_purpose") is not None:
            document["orientation"] = {"profit_purpose": main["profit_purpose"]}
        culture = {key: main[key] for key in CULTURE_TYPES if main.get(key) is not None}
        if culture and not any(key in self.main.errors for key in CULTURE_TYPES):
            document["culture"] = culture
        for part in PARTS:
            self._rows[part] = self._kept_rows(part)
            document[part] = [
                row_document(part, getattr(row, "cleaned_data", {})) for row in self._rows[part]
            ]
        return document

    def _attach(self, loc: tuple[Any, ...], message: str) -> None:
        head = str(loc[0]) if loc else ""
        if head in PARTS:
            if len(loc) >= 3 and isinstance(loc[1], int):
                row = self._rows[head][loc[1]]
                field = str(loc[2])
                if field in row.errors:
                    return  # already marked by its own check
                if field in row.fields and not row.fields[field].widget.is_hidden:
                    row.add_error(field, message)
                    return
                row.add_error(None, message)  # shown on the row; the summary links to its section
                return
            self.part_errors[head].append(message)
            return
        if head == "orientation":
            self.main.add_error("profit_purpose", message)
            return
        if head == "culture":
            field = str(loc[1]) if len(loc) > 1 else ""
            if field in self.main.fields:
                self.main.add_error(field, message)
            else:
                self.part_errors["culture"].append(message)
            return
        if head in self.main.fields:
            if head not in self.main.errors:
                self.main.add_error(head, message)
        else:
            self.main.add_error(None, message)
