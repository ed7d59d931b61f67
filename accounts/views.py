from django.http import HttpRequest, HttpResponse
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
