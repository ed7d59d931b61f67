"""Password reset in the recipient's language, with links to our own SITE_URL."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation


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
