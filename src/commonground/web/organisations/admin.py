"""Django admin for operators (staff only): organisations with their history, memberships, invitations."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from reversion.admin import VersionAdmin

from commonground.web.organisations.models import Invitation, Membership, Organisation


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
