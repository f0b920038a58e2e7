"""URLs of the organisations app (namespace ``organisations``)."""

from __future__ import annotations

from django.urls import path

from commonground.web.organisations import profile_views, views

app_name = "organisations"

urlpatterns = [
    path("o/new/", views.organisation_new, name="new"),
    path(
        "invitations/pending/<int:invitation_id>/accept/",
        views.invitation_send_link,
        name="invitation_send_link",
    ),
    path("o/<org_slug:slug>/", views.organisation_detail, name="detail"),
    path("o/<org_slug:slug>/delete/", views.organisation_delete, name="delete"),
    path("o/<org_slug:slug>/members/", views.member_list, name="members"),
    path("o/<org_slug:slug>/members/<int:membership_id>/role/", views.member_change_role, name="member_role"),
    path("o/<org_slug:slug>/members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path("o/<org_slug:slug>/leave/", views.organisation_leave, name="leave"),
    path("o/<org_slug:slug>/two-factor/", views.mfa_requirement, name="mfa_requirement"),
    path("o/<org_slug:slug>/invitations/", views.invitation_new, name="invitation_new"),
    path(
        "o/<org_slug:slug>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("o/<org_slug:slug>/profile/edit/", profile_views.profile_edit, name="profile_edit"),
    path("o/<org_slug:slug>/profile/suggest-sdgs/", profile_views.suggest_sdgs, name="suggest_sdgs"),
    path("o/<org_slug:slug>/profile/rows/<str:part>/", profile_views.profile_row, name="profile_row"),
    path(
        "o/<org_slug:slug>/profile/sdg-suggestions/",
        profile_views.goal_sdg_suggestions,
        name="goal_sdg_suggestions",
    ),
    path(
        "o/<org_slug:slug>/profile/goals/<int:goal_number>/sdgs/",
        profile_views.goal_sdgs_accept,
        name="goal_sdgs_accept",
    ),
    path("o/<org_slug:slug>/profile/import/", profile_views.profile_import, name="profile_import"),
    path("o/<org_slug:slug>/profile/export.<str:fmt>", profile_views.profile_export, name="profile_export"),
    path("o/<org_slug:slug>/history/", profile_views.profile_history, name="history"),
    path(
        "o/<org_slug:slug>/history/<int:version_id>/restore/", profile_views.profile_restore, name="restore"
    ),
]
