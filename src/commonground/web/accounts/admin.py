"""Django admin for operators: the user list gains "End all sessions" (one or many accounts at once)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from commonground.web.accounts.session_services import sessions_end_for_users
from commonground.web.accounts.typing import User
from commonground.web.audit import security_event


@admin.action(description="End all sessions of the selected users")
def end_sessions(model_admin: admin.ModelAdmin[User], request: HttpRequest, queryset: QuerySet[User]) -> None:
    """Sign the selected accounts out everywhere; they can sign in again (deactivate to keep them out)."""
    people = list(queryset.values_list("pk", flat=True))
    ended = sessions_end_for_users(user_ids=people)
    security_event("session_ended", request=request, count=ended, accounts=len(people))
    model_admin.message_user(
        request,
        f"Ended {ended} session{'' if ended == 1 else 's'} of {len(people)} "
        f"user{'' if len(people) == 1 else 's'}: they are signed out at their next page.",
        messages.SUCCESS,
    )


class AccountUserAdmin(UserAdmin):  # type: ignore[type-arg]
    """Django's user admin with the action that ends sessions."""

    actions = (end_sessions,)


admin.site.unregister(User)
admin.site.register(User, AccountUserAdmin)
