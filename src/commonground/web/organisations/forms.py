"""Small forms for organisations: create, invite, change role, import a profile file."""

from __future__ import annotations

from django import forms
from django.conf import settings
from pydantic import ValidationError as PydanticValidationError

from commonground.core.profiles import Profile
from commonground.web.access import Role
from commonground.web.organisations.models import LOCATION_LENGTH
from commonground.web.organisations.naming import kind_choices
from commonground.web.organisations.profile_limits import model_limit

LOCATION_HELP = (
    "Where it is based, e.g. “Leeds, UK”. Optional; it tells organisations of the same name apart."
)


class OrganisationCreateForm(forms.Form):
    """The three required parts of a profile and where the organisation is based; the rest comes next."""

    name = forms.CharField(
        max_length=model_limit(Profile, "name"), widget=forms.TextInput(attrs={"dir": "auto"})
    )
    location = forms.CharField(
        required=False,
        max_length=LOCATION_LENGTH,
        label="Based in",
        help_text=LOCATION_HELP,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    kind = forms.ChoiceField(choices=kind_choices())
    mission = forms.CharField(
        max_length=model_limit(Profile, "mission"),
        help_text="What the organisation exists to do, in a sentence or two.",
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )

    def profile(self) -> Profile | None:
        """The profile these fields make, or None with the profile rules' problems added to the form."""
        if not self.is_valid():
            return None
        try:
            # Where it is based belongs to the organisation, not to its profile.
            fields = {key: self.cleaned_data[key] for key in ("name", "kind", "mission")}
            return Profile.model_validate(fields)
        except PydanticValidationError as exc:
            for error in exc.errors():
                field = str(error["loc"][0]) if error["loc"] else None
                self.add_error(field if field in self.fields else None, error["msg"])
            return None


class InvitationForm(forms.Form):
    """Whom to invite and with which role."""

    email = forms.EmailField()
    role = forms.ChoiceField(choices=Role.choices(), initial=Role.MEMBER.value)


class RoleForm(forms.Form):
    """A new role for a member."""

    role = forms.ChoiceField(choices=Role.choices())


class ProfileImportForm(forms.Form):
    """A YAML or JSON profile file, at most ``PROFILE_IMPORT_MAX_BYTES``."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(help_text="A profile in YAML (.yaml, .yml) or JSON (.json), at most 1 MB.")

    def clean_file(self) -> object:
        """Refuse files that are too large or of another type, before reading them."""
        upload = self.cleaned_data["file"]
        limit = settings.PROFILE_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {limit:,} bytes (1 MB)."
            )
        if not upload.name.lower().endswith((".yaml", ".yml", ".json")):
            raise forms.ValidationError("Choose a .yaml, .yml or .json file.")
        return upload


class SdgAcceptForm(forms.Form):
    """Suggested SDGs a person accepts for one goal, and the profile version they saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    sdgs = forms.CharField(max_length=100)

    def clean_sdgs(self) -> list[int]:
        """``"3 13"`` -> ``[3, 13]``, each an SDG number (1–17)."""
        try:
            numbers = sorted({int(part) for part in self.cleaned_data["sdgs"].split()})
        except ValueError:
            raise forms.ValidationError("Choose SDG numbers from 1 to 17.") from None
        if not numbers or not all(1 <= number <= 17 for number in numbers):
            raise forms.ValidationError("Choose SDG numbers from 1 to 17.")
        return numbers
