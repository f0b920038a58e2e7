"""Small forms for organisations: create, invite, change role, import a profile file."""

from __future__ import annotations

from django import forms
from django.conf import settings
from pydantic import ValidationError as PydanticValidationError

from commonground.core.profiles import Kind, Profile
from commonground.web.access import Role


class OrganisationCreateForm(forms.Form):
    """The three required parts of a profile; the rest is edited afterwards."""

    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=[(kind.value, kind.value.replace("_", " ")) for kind in Kind])
    mission = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))

    def profile(self) -> Profile | None:
        """The profile these fields make, or None with the profile rules' problems added to the form."""
        if not self.is_valid():
            return None
        try:
            return Profile.model_validate(self.cleaned_data)
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
