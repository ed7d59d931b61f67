"""Sign-in with a pause after repeated failures; password reset in the recipient's
language, with links to our own SITE_URL."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts import login_limits


class LocalizedPasswordResetForm(PasswordResetForm):
    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # The person asking is signed out, so the page's language may not be theirs: the
        # email follows the language they chose in the app.
        user = context.get("user")
        language = getattr(user, "language", None) or settings.LANGUAGE_CODE
        with translation.override(language):
            super().send_mail(
                subject_template_name,
                email_template_name,
                {**context, "site_url": settings.SITE_URL},
                from_email,
                to_email,
                html_email_template_name,
            )


class RateLimitedAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, refusing to check passwords while sign-in is paused."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed sign-ins. For your security, signing in is paused for "
            "%(minutes)d minutes. Please try again later or reset your password."
        ),
    }

    def clean(self):
        username = self.data.get("username", "")
        if login_limits.is_locked(self.request, username):
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_limits.record_failure(self.request, username)
            raise
        login_limits.clear(self.request, username)
        return cleaned
