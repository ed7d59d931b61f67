"""The site's URLs plus one that fails, for the 500 page's tests."""

from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def _boom(request):
    raise RuntimeError("a bug")


def _api_boom(request):
    raise RuntimeError("a bug in the API")


urlpatterns = [path("boom/", _boom), path("api/boom/", _api_boom), *urlpatterns]
