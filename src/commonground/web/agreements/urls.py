"""URLs of the agreement (namespace ``agreements``), under the partnership's URL."""

from __future__ import annotations

from django.urls import include, path

from commonground.web.agreements import views

app_name = "agreements"

urlpatterns = [
    path("partnerships/<int:pk>/agreement/", views.agreement_detail, name="detail"),
    path("partnerships/<int:pk>/agreement/start/", views.agreement_start, name="start"),
    path("partnerships/<int:pk>/agreement/parts/<slug:part_key>/", views.part_edit, name="part_edit"),
    path("partnerships/<int:pk>/agreement/contribution/", views.contribution, name="contribution"),
    path("partnerships/<int:pk>/agreement/sign/", views.sign, name="sign"),
    path("partnerships/<int:pk>/agreement/comments/", views.comment, name="comment"),
    path("partnerships/<int:pk>/agreement/versions/", views.versions, name="versions"),
    path("partnerships/<int:pk>/agreement/versions/diff/", views.diff, name="diff"),
    path("partnerships/<int:pk>/agreement/download/", views.download, name="download"),
    path("", include("commonground.web.agreements.export_urls")),
]
