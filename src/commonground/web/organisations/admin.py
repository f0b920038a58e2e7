"""Django admin for operators (staff only): organisations with their history, memberships, invitations."""

from __future__ import annotations

from typing import Any

import reversion
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from reversion.admin import VersionAdmin
from reversion.models import Version

from commonground.web.organisations.apps import HISTORY_FIELDS, register_history
from commonground.web.organisations.models import Invitation, Membership, Organisation

# Before OrganisationAdmin is built: VersionAdmin registers an unregistered model with all its fields.
register_history()

# The request attribute naming the version a revert page shows (read by OrganisationAdmin.get_object).
_REVERTING = "_commonground_reverting_to"


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Organisation)
class OrganisationAdmin(VersionAdmin):  # type: ignore[misc]
    """Organisations; edits here are recorded in the same history as the web editor's."""

    list_display = ("name", "slug", "version", "updated_at", "updated_by")
    search_fields = ("name", "slug")
    readonly_fields = ("version", "created_at", "updated_at", "updated_by")
    inlines = (MembershipInline,)

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        """Bump the lock counter, so an editor opened before this admin change cannot overwrite it."""
        if change:
            obj.version = F("version") + 1
            obj.updated_by = request.user  # type: ignore[assignment]
            obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)
        obj.refresh_from_db(fields=["version"])

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        """The organisation as stored; on a revert page, with the recorded fields of that version."""
        obj = super().get_object(request, object_id, from_field)
        version = getattr(request, _REVERTING, None)
        if obj is not None and version is not None:
            for field in HISTORY_FIELDS:
                setattr(obj, field, version.field_dict[field])
        return obj

    def revision_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        """Revert to an earlier version as a new edit: its name, profile and location only.

        Replaces django-reversion's revert, which saves the whole old revision back (memberships it
        followed, the old lock counter). Here the change form opens on the current record with the old
        fields filled in; saving goes through ``save_model``, so the version grows and any form opened
        before is refused as stale, and the inline shows (and keeps) today's memberships.
        """
        object_id = unquote(object_id)
        version = get_object_or_404(
            Version.objects.get_for_object_reference(Organisation, object_id), pk=version_id
        )
        setattr(request, _REVERTING, version)
        context = {"title": f"Revert {version.object_repr}", "revert": True, **(extra_context or {})}
        with self.create_revision(request):
            response: HttpResponse = self.changeform_view(request, object_id, request.path, context)
            if request.method == "POST" and response.status_code == 302:
                when = version.revision.date_created.strftime("%Y-%m-%d %H:%M UTC")
                reversion.set_comment(f"Reverted to the version of {when} (admin)")
        if isinstance(response, TemplateResponse) and response.status_code == 200:
            response.template_name = self.revision_form_template or self._reversion_get_template_list(
                "revision_form.html"
            )
        return response


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Who belongs where, with which role."""

    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email", "organisation__name")
    raw_id_fields = ("user", "organisation")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Invitations (the token itself is never stored, only its hash)."""

    list_display = ("email", "organisation", "role", "created_at", "expires_at", "used_at", "revoked_at")
    list_filter = ("role",)
    search_fields = ("email", "organisation__name")
    readonly_fields = ("token_hash", "used_at", "used_by", "created_at")
