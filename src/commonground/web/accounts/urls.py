"""URLs of the accounts app (namespace ``accounts``)."""

from __future__ import annotations

from django.urls import path

from commonground.web.accounts import mfa_sign_in, mfa_views, session_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-up/", views.sign_up, name="sign_up"),
    path("sign-in/", mfa_sign_in.sign_in, name="sign_in"),
    path("sign-in/code/", mfa_sign_in.sign_in_code, name="sign_in_code"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("", views.account, name="account"),
    path("email/verify/", views.verification_resend, name="verification_resend"),
    path("email/verify/<str:token>/", views.verify_email, name="verify_email"),
    path("email/settings/", views.mail_preferences, name="mail_preferences"),
    path("email/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("sessions/end/", session_views.session_end, name="session_end"),
    path("sessions/end-others/", session_views.sessions_end_others, name="sessions_end_others"),
    path("two-factor/", mfa_views.mfa_overview, name="mfa"),
    path("two-factor/set-up/", mfa_views.mfa_setup, name="mfa_setup"),
    path("two-factor/recovery-codes/", mfa_views.mfa_recovery_codes, name="mfa_recovery_codes"),
    path("two-factor/off/", mfa_views.mfa_disable, name="mfa_disable"),
    path("password/", views.password_change, name="password_change"),
    path("password/done/", views.password_change_done, name="password_change_done"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_sent, name="password_reset_sent"),
    path("password-reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("password-reset/done/", views.password_reset_complete, name="password_reset_complete"),
]
