"""Root URLs. Every view declares an access policy (see ``commonground.web.access``)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from commonground.web.organisations import views as organisation_views

admin.site.site_header = "Common Ground operations"
admin.site.site_title = "Common Ground admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("commonground.web.api.v1")),
    path("accounts/api-tokens/", include("commonground.web.api.urls")),
    path("accounts/", include("commonground.web.accounts.urls")),
    path("invitations/<str:token>/", organisation_views.invitation_accept, name="invitation_accept"),
    path("", include("commonground.web.home.urls")),
    path("", include("commonground.web.organisations.urls")),
    path("", include("commonground.web.partnerships.urls")),
    path("", include("commonground.web.assessments.urls")),
    path("", include("commonground.web.stakeholders.urls")),
    path("", include("commonground.web.agreements.urls")),
    path("", include("commonground.web.reviews.urls")),
    path("", include("commonground.web.health.urls")),
    path("", include("commonground.web.conflicts.urls")),
    path("", include("commonground.web.checkins.urls")),
    path("", include("commonground.web.discovery.urls")),
    path("", include("commonground.web.networks.urls")),
]

handler403 = "commonground.web.errors.forbidden"
handler404 = "commonground.web.errors.not_found"
handler500 = "commonground.web.errors.server_error"
