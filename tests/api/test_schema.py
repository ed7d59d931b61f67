"""The OpenAPI schema validates, and the docs page works under our Content-Security-Policy."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from interviews.api.actions import ACTION_NAMES

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_warnings(tmp_path):
    # drf-spectacular's own check: OpenAPI 3 validation, and any warning fails.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
    assert (tmp_path / "schema.yml").read_text().startswith("openapi: 3.0.3")


def test_the_schema_is_served_and_lists_every_endpoint(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Interview Relay API"
    assert set(schema["paths"]) == {
        "/api/accounts/",
        "/api/accounts/{id}/",
        "/api/candidates/",
        "/api/candidates/{id}/",
        "/api/dashboard/",
        "/api/findings/",
        "/api/findings/{id}/",
        "/api/requests/",
        "/api/requests/{id}/",
        *(f"/api/requests/{{id}}/actions/{name}/" for name in ACTION_NAMES),
    }
    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}
    # Each action documents its own body.
    defer = schema["paths"]["/api/requests/{id}/actions/defer/"]["post"]
    body = defer["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body == "#/components/schemas/DeferRequest"
    assert set(defer["responses"]) == {"200", "400", "401", "403", "404", "409"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict] = []
        self.styles: list[str] = []
        self.inline_code: list[str] = []
        self.inline_handlers: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.styles.append(attrs["href"])
        if tag in ("script", "style"):
            self._in = tag
        self.inline_handlers += [name for name in attrs if name.startswith("on")]
        if "style" in attrs:
            self.inline_handlers.append("style=")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in and data.strip():
            self.inline_code.append(data)


def test_the_docs_page_has_no_inline_script_or_style(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    page = _Page()
    page.feed(response.content.decode())
    assert page.inline_code == []
    assert page.inline_handlers == []
    sources = [script["src"] for script in page.scripts]
    assert len(sources) == 3
    # Swagger UI's own files come from our static files (the sidecar), no CDN.
    for url in [*sources[:2], *page.styles]:
        path = urlsplit(url).path
        assert path.startswith("/static/"), url
        assert finders.find(path.removeprefix("/static/")), url
    # Its start-up script is served by the same view, as a file.
    init = client.get(sources[2])
    assert init.status_code == 200
    assert init["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in init.content
    assert b'"/api/schema/"' in init.content
