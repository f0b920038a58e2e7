"""URLs of the API tokens page in the account area (namespace ``api``); the API itself is in ``v1.py``."""

from __future__ import annotations

from django.urls import path

from commonground.web.api import views

app_name = "api"

urlpatterns = [
    path("", views.token_list, name="tokens"),
    path("<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
