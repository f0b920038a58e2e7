"""URLs of proposals between partners, leaving, and former partners' records (namespace ``partnerships``,
included by ``urls.py``)."""

from __future__ import annotations

from django.urls import path

from commonground.web.partnerships import proposal_views as views

urlpatterns = [
    path("partnerships/<int:pk>/leave/", views.leave, name="leave"),
    path("partnerships/<int:pk>/proposals/", views.proposal_list, name="proposals"),
    path("partnerships/<int:pk>/proposals/rename/", views.propose_rename, name="propose_rename"),
    path("partnerships/<int:pk>/proposals/close/", views.propose_close, name="propose_close"),
    path(
        "partnerships/<int:pk>/proposals/remove/<int:member_id>/", views.propose_remove, name="propose_remove"
    ),
    path("partnerships/<int:pk>/proposals/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path(
        "partnerships/<int:pk>/proposals/<int:proposal_id>/answer/",
        views.proposal_answer,
        name="proposal_answer",
    ),
    path(
        "partnerships/<int:pk>/proposals/<int:proposal_id>/withdraw/",
        views.proposal_withdraw,
        name="proposal_withdraw",
    ),
    path("partnerships/<int:pk>/record/", views.record, name="record"),
    path(
        "partnerships/<int:pk>/record/assessments/<int:snapshot_id>/",
        views.record_assessment,
        name="record_assessment",
    ),
]
