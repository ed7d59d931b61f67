from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts.models import Language


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; for a signed-in user it is remembered (emails too)."""
    language = request.POST.get("language")
    user = request.user
    if user.is_authenticated and language in Language.values and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return django_set_language(request)


class SignInView(LoginView):
    """Sign-in that lands each role where its work is: owners on what waits for them,
    managers on the dashboard, marketers on the request list (a `next` still wins)."""

    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        user = self.request.user
        if user.is_manager or user.is_superuser:
            return reverse("dashboard")
        if user.is_owner_role:
            return reverse("owner_queue")
        return reverse("home")
