"""Password reset that cannot be used to flood someone's inbox.

Requests are counted per target address and per client address in the shared cache
(django-ratelimit). Past either limit no email goes out, but the answer is the same page
as always ("if the address is known, an email is on its way"): the page never tells
whether an address has an account, nor whether it was throttled. Counted whether or not
the address belongs to anyone, for the same reason.

Through the cache, the throttle fails open when Redis is down (config/cache.py): a reset
email then goes out as before, which is the lesser harm than refusing every reset.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django_ratelimit.core import is_ratelimited

logger = logging.getLogger(__name__)


def _over_limit(request: HttpRequest, email: str) -> bool:
    target = email.strip().lower()
    per_account = is_ratelimited(
        request,
        group="password-reset:account",
        key=lambda _group, _request: target,
        rate=f"{settings.PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR}/h",
        increment=True,
    )
    per_address = is_ratelimited(
        request,
        group="password-reset:ip",
        key="ip",
        rate=f"{settings.PASSWORD_RESETS_PER_IP_PER_HOUR}/h",
        increment=True,
    )
    return per_account or per_address


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form) -> HttpResponse:
        if _over_limit(self.request, form.cleaned_data["email"]):
            logger.warning("Password reset throttled: no email sent")
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
