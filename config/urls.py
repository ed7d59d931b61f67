from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import AdminSignInForm, LocalizedPasswordResetForm, SignInForm
from accounts.password_reset import ThrottledPasswordResetView
from accounts.views import SignInView, set_language
from config import health

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"

# The admin's sign-in says when signing in is paused, as ours does (accounts/lockout.py).
admin.site.login_form = AdminSignInForm

urlpatterns = [
    path(
        "login/",
        SignInView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Password reset by email; the link in the email is built from SITE_URL, not from
    # the Host header of whoever asked; throttled per address asked for and per client.
    path(
        "password-reset/",
        ThrottledPasswordResetView.as_view(
            form_class=LocalizedPasswordResetForm,
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/", include("interviews.api.urls")),
    path("", include("interviews.urls")),
]
