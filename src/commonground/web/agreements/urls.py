"""URLs of the agreement (namespace ``agreements``), under the partnership's URL."""

from __future__ import annotations

from django.urls import include, path

from commonground.web.agreements import decision_views, tracking_views, views

app_name = "agreements"

urlpatterns = [
    path("partnerships/<int:pk>/agreement/", views.agreement_detail, name="detail"),
    path("partnerships/<int:pk>/agreement/start/", views.agreement_start, name="start"),
    path("partnerships/<int:pk>/agreement/parts/<slug:part_key>/", views.part_edit, name="part_edit"),
    path("partnerships/<int:pk>/agreement/contribution/", views.contribution, name="contribution"),
    path("partnerships/<int:pk>/agreement/sign/", views.sign, name="sign"),
    path("partnerships/<int:pk>/agreement/sign/ask/", views.signoff_request, name="signoff_request"),
    path("partnerships/<int:pk>/agreement/comments/", views.comment, name="comment"),
    path("partnerships/<int:pk>/agreement/versions/", views.versions, name="versions"),
    path("partnerships/<int:pk>/agreement/versions/diff/", views.diff, name="diff"),
    path("partnerships/<int:pk>/agreement/download/", views.download, name="download"),
    path("", include("commonground.web.agreements.export_urls")),
]

# The tabs: records kept beside the terms (a reading, a delivery, a vote never makes a new version).
urlpatterns += [
    path("partnerships/<int:pk>/agreement/roles/", tracking_views.roles, name="roles"),
    path("partnerships/<int:pk>/agreement/commitments/", tracking_views.commitments, name="commitments"),
    path(
        "partnerships/<int:pk>/agreement/commitments/<slug:commitment_id>/deliver/",
        tracking_views.delivery_add,
        name="delivery_add",
    ),
    path("partnerships/<int:pk>/agreement/kpis/", tracking_views.kpis, name="kpis"),
    path("partnerships/<int:pk>/agreement/kpis/<slug:kpi_id>/", tracking_views.kpi, name="kpi"),
    path(
        "partnerships/<int:pk>/agreement/kpis/<slug:kpi_id>/readings/",
        tracking_views.measurement_add,
        name="measurement_add",
    ),
    path("partnerships/<int:pk>/agreement/decisions/", decision_views.decisions, name="decisions"),
    path("partnerships/<int:pk>/agreement/decisions/propose/", decision_views.propose, name="propose"),
    path(
        "partnerships/<int:pk>/agreement/decisions/<slug:decision_id>/",
        decision_views.decision,
        name="decision",
    ),
    path(
        "partnerships/<int:pk>/agreement/decisions/<slug:decision_id>/vote/", decision_views.vote, name="vote"
    ),
    path(
        "partnerships/<int:pk>/agreement/decisions/<slug:decision_id>/resolve/",
        decision_views.objection_resolve,
        name="objection_resolve",
    ),
    path(
        "partnerships/<int:pk>/agreement/decisions/<slug:decision_id>/outcome/",
        decision_views.outcome,
        name="decision_outcome",
    ),
    path("partnerships/<int:pk>/agreement/equity/", tracking_views.equity, name="equity"),
]
