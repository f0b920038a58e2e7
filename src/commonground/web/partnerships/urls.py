"""URLs of the partnerships app (namespace ``partnerships``)."""

from __future__ import annotations

from django.urls import path

from commonground.web.partnerships import invitation_views, proposal_urls, views

app_name = "partnerships"

urlpatterns = [
    path("o/<org_slug:slug>/portfolio/", views.portfolio, name="portfolio"),
    path("o/<org_slug:slug>/partnerships/new/", views.partnership_new, name="new"),
    path("partnerships/", views.partnership_list, name="list"),
    path("partnerships/join/<str:token>/", invitation_views.invitation_join, name="join"),
    path("partnerships/invitations/<int:invite_id>/", invitation_views.invitation_answer, name="invitation"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="detail"),
    path("partnerships/<int:pk>/edit/", views.partnership_edit, name="edit"),
    path("partnerships/<int:pk>/members/invite/", invitation_views.member_invite, name="member_invite"),
    path(
        "partnerships/<int:pk>/facilitators/invite/",
        invitation_views.facilitator_invite,
        name="facilitator_invite",
    ),
    path(
        "partnerships/<int:pk>/invitations/<int:invite_id>/revoke/",
        invitation_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "partnerships/<int:pk>/facilitators/<int:facilitator_id>/remove/",
        views.facilitator_remove,
        name="facilitator_remove",
    ),
    path("partnerships/<int:pk>/initiatives/", views.initiative_list, name="initiatives"),
    path("partnerships/<int:pk>/initiatives/new/", views.initiative_new, name="initiative_new"),
    path(
        "partnerships/<int:pk>/initiatives/<int:initiative_id>/edit/",
        views.initiative_edit,
        name="initiative_edit",
    ),
    path(
        "partnerships/<int:pk>/initiatives/<int:initiative_id>/delete/",
        views.initiative_delete,
        name="initiative_delete",
    ),
    path(
        "partnerships/<int:pk>/initiatives/<int:initiative_id>/score/",
        views.initiative_score,
        name="initiative_score",
    ),
    path("partnerships/<int:pk>/history/", views.history, name="history"),
    path("partnerships/<int:pk>/history/<int:version_id>/restore/", views.history_restore, name="restore"),
    *proposal_urls.urlpatterns,  # proposals between partners, leaving, former partners' records
]
