"""Sign-in forms that say when signing in is paused; password reset in the recipient's
language, with links to our own SITE_URL."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _


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


_LOCKED = _(
    "Too many failed sign-ins. For your security, signing in is paused for "
    "%(minutes)d minutes. Please try again later or reset your password."
)


class LockoutMessageMixin:
    """Says that sign-in is paused instead of "wrong password" when it is, and that a
    name is too long before anything is looked up.

    The pause itself is django-axes' (accounts/lockout.py): while an account or address
    is paused its backend refuses to check the password, so `authenticate()` fails even
    for the right one, and marks the request. Any form built on Django's
    AuthenticationForm (ours, the admin's) explains it with this mixin."""

    request: HttpRequest | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        # AuthenticationForm sets the name's max_length after building the field, so nothing
        # checks it: a longer name would reach authenticate() and the lockout's record of
        # the attempt (255 characters), a server error instead of a message.
        username = self.fields["username"]  # type: ignore[attr-defined]
        username.validators.append(MaxLengthValidator(username.max_length))

    def get_invalid_login_error(self) -> forms.ValidationError:
        if self.request is not None and getattr(self.request, "axes_locked_out", False):
            self.request.sign_in_lockout_explained = True
            return forms.ValidationError(
                _LOCKED, code="locked", params={"minutes": settings.LOGIN_LOCKOUT_MINUTES}
            )
        return super().get_invalid_login_error()  # type: ignore[misc]


class SignInForm(LockoutMessageMixin, AuthenticationForm):
    pass


class AdminSignInForm(LockoutMessageMixin, AdminAuthenticationForm):
    pass
