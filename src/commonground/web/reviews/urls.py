"""URLs of reviews, the stage and the exit plan (namespace ``reviews``), under the partnership's URL."""

from __future__ import annotations

from django.urls import path

from commonground.web.reviews import views

app_name = "reviews"

urlpatterns = [
    path("partnerships/<int:pk>/reviews/", views.reviews_page, name="list"),
    path("partnerships/<int:pk>/reviews/new/", views.review_new, name="new"),
    path("partnerships/<int:pk>/reviews/stage/", views.stage_set, name="stage"),
    path("partnerships/<int:pk>/reviews/exit/", views.exit_save, name="exit"),
    path("partnerships/<int:pk>/reviews/exit/cancel/", views.exit_cancel, name="exit_cancel"),
    path("partnerships/<int:pk>/reviews/<int:review_id>/", views.review_page, name="detail"),
    path(
        "partnerships/<int:pk>/reviews/<int:review_id>/goals/<int:goal_id>/", views.goal_decide, name="decide"
    ),
    path("partnerships/<int:pk>/reviews/<int:review_id>/close/", views.review_close, name="close"),
]
