"""/api/: requests (and the actions on them), accounts, candidates, the dashboard's
figures, the OpenAPI schema and its interactive docs."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from interviews.api import findings, views
from interviews.api.actions import ACTIONS

router = SimpleRouter()
router.register("requests", views.RequestViewSet, basename="api-request")
router.register("accounts", views.AccountViewSet, basename="api-account")
router.register("candidates", views.CandidateViewSet, basename="api-candidate")
router.register("findings", findings.FindingViewSet, basename="api-finding")

urlpatterns = [
    *router.urls,
    *(
        # Any id is matched here, so that a malformed one is a JSON 404 like the others.
        re_path(
            rf"^requests/(?P<pk>[^/.]+)/actions/{action.name}/$",
            views.action_view(action).as_view(),
            name=f"api-request-{action.name.replace('_', '-')}",
        )
        for action in ACTIONS
    ),
    path("dashboard/", views.DashboardView.as_view(), name="api-dashboard"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI with its start-up script served as a file, not inline: the
    # Content-Security-Policy allows only our own scripts and styles.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    # Anything else under /api/ is a JSON 404 too, not the site's HTML page. Only paths
    # ending in a slash: without one, Django first redirects to the slashed address.
    re_path(r"^.*/$", views.not_found),
]
