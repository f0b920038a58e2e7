"""URLs of the organisations app (namespace ``organisations``)."""

from __future__ import annotations

from django.urls import path

from commonground.web.organisations import profile_views, views

app_name = "organisations"

urlpatterns = [
    path("", views.home, name="home"),
    path("o/new/", views.organisation_new, name="new"),
    path(
        "invitations/pending/<int:invitation_id>/accept/",
        views.invitation_send_link,
        name="invitation_send_link",
    ),
    path("o/<slug:slug>/", views.organisation_detail, name="detail"),
    path("o/<slug:slug>/delete/", views.organisation_delete, name="delete"),
    path("o/<slug:slug>/members/", views.member_list, name="members"),
    path("o/<slug:slug>/members/<int:membership_id>/role/", views.member_change_role, name="member_role"),
    path("o/<slug:slug>/members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path("o/<slug:slug>/leave/", views.organisation_leave, name="leave"),
    path("o/<slug:slug>/invitations/", views.invitation_new, name="invitation_new"),
    path(
        "o/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("o/<slug:slug>/profile/edit/", profile_views.profile_edit, name="profile_edit"),
    path("o/<slug:slug>/profile/suggest-sdgs/", profile_views.suggest_sdgs, name="suggest_sdgs"),
    path("o/<slug:slug>/profile/rows/<str:part>/", profile_views.profile_row, name="profile_row"),
    path("o/<slug:slug>/profile/import/", profile_views.profile_import, name="profile_import"),
    path("o/<slug:slug>/profile/export.<str:fmt>", profile_views.profile_export, name="profile_export"),
    path("o/<slug:slug>/history/", profile_views.profile_history, name="history"),
    path("o/<slug:slug>/history/<int:version_id>/restore/", profile_views.profile_restore, name="restore"),
]
