"""Forms of the agreement pages: one per part (built from ``sections.PARTS``), signing, a contribution,
a comment. Each edit form carries the ``version`` it was loaded at (the optimistic lock)."""

from __future__ import annotations

from typing import Any

from django import forms

from commonground.web.agreements.sections import MAX_BOX_CHARS, STATUS_WORDS, Part

STATUS_CHOICES = list(STATUS_WORDS.items())


def _field(kind: str, label: str) -> forms.Field:
    if kind == "status":
        return forms.ChoiceField(label=label, choices=STATUS_CHOICES)
    if kind == "date":
        return forms.CharField(
            label=label, required=False, max_length=10, widget=forms.DateInput(attrs={"type": "date"})
        )
    if kind == "number":
        return forms.CharField(
            label=label, required=False, max_length=12, widget=forms.TextInput(attrs={"inputmode": "numeric"})
        )
    if kind == "long_text":
        return forms.CharField(
            label=label, required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
        )
    return forms.CharField(label=label, required=False, max_length=200)


class PartForm(forms.Form):
    """A part's status, its plain fields and its YAML box; the core model checks the values (views add
    its problems to the fields they name)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, part: Part, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.part = part
        if part.has_status:
            self.fields["status"] = forms.ChoiceField(label="Status of this part", choices=STATUS_CHOICES)
        for plain in part.plain:
            self.fields[plain.name] = _field(plain.kind, plain.label)
        self.fields["box"] = forms.CharField(
            label=f"{', '.join(name.replace('_', ' ') for name in part.box).capitalize()} (YAML)",
            required=False,
            max_length=MAX_BOX_CHARS,
            strip=False,
            widget=forms.Textarea(attrs={"rows": 18, "class": "code", "spellcheck": "false"}),
            help_text="One 'field: value' per line, lists as '- item'. A problem names its line and field.",
        )


class SignForm(forms.Form):
    """Sign the version shown, for one partner organisation."""

    organisation = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ContributionForm(forms.Form):
    """What one partner brings, in its own words."""

    partner = forms.CharField(max_length=64, widget=forms.HiddenInput)
    contribution = forms.CharField(max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class CommentForm(forms.Form):
    """A remark on one part."""

    section = forms.CharField(max_length=16, widget=forms.HiddenInput)
    text = forms.CharField(label="Comment", max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
