"""What the owner answer page costs before it presents anything: a view served beside the
app, only when the web benchmark runs it (bench/web_settings.py), that reads the same
signed link and runs the page's own queries through the same functions, then answers a
few bytes. No rate limit, no timeline presentation, no template.

Its rate is the most the answer page could reach on this stack while it keeps loading the
request through Django's ORM: the gap between it and /healthz is the ORM's and the
database's share, the gap between it and the page is the rest.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config import urls as app_urls
from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from interviews import links, selectors
from interviews.views import owner

PATH = "bench/answer-page-queries/"


@never_cache
@require_GET
def answer_page_queries(request: HttpRequest, token: str) -> HttpResponse:
    link = links.read_token(token)
    if isinstance(link, links.LinkProblem):
        raise Http404
    interview = owner._load(link.request_id)  # the page's own loading
    if interview is None:
        raise Http404
    events = list(selectors.timeline(interview, with_actors=False))
    candidates = list(interview.candidates.all())
    summary = f"{interview.pk} {len(events)} {len(candidates)}\n"
    return HttpResponse(summary, content_type="text/plain")


urlpatterns = [
    path(f"{PATH}<str:token>/", answer_page_queries),
    *app_urls.urlpatterns,
]
