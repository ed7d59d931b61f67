"""The HTML part's templates, with their stylesheet already written into style attributes.

Mail clients need styles in style attributes (Gmail, Outlook and most phone clients ignore
much of a <style> tag). Inlining each email as it is sent costs CPU on every send; instead
each template file under `templates/emails/` is inlined once, when it is loaded, and kept
compiled for the life of the process. That is correct because `emails/email.css` styles
elements only by their own classes: an element's style never depends on the template
that includes it. The template tags are set aside as HTML comments while css-inline
(a maintained Rust library, no network) parses the file, then put back; the parser keeps
comments where they are, also between table rows. Lines are broken between table tags so
that no line exceeds the 998 characters SMTP allows (a longer one would make Django send
the whole part quoted-printable, larger and slower to encode).

Rules for the template files: classes and static attributes only on styled elements (no
template tag inside a start tag, except in attribute values), no text directly inside a
<table> or <tr>, explicit <tbody> where tags sit between rows.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import css_inline
from django.conf import settings
from django.template import Context, Engine
from django.template.backends.django import get_installed_libraries
from django.template.loaders.filesystem import Loader as FilesystemLoader
from django.utils.safestring import SafeString, mark_safe

_EMAIL_TEMPLATES = "emails/"
_TEMPLATE_TAG = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
_HIDDEN = re.compile(r"<!--ir:(\d+)-->|&lt;!--ir:(\d+)--&gt;")
# Whitespace between these is not rendered, so a line break there changes nothing.
_BREAKABLE = re.compile(r"(?<=>)(?=<(?:/?(?:table|tbody|tr|td)\b))")


def _stylesheet(name: str) -> str:
    return (Path(settings.BASE_DIR) / "templates" / "emails" / name).read_text(encoding="utf-8")


@functools.cache
def _inliner() -> css_inline.CSSInliner:
    return css_inline.CSSInliner(
        extra_css=_stylesheet("email.css"), minify_css=True, load_remote_stylesheets=False
    )


@functools.cache
def media_style() -> SafeString:
    """The <style> every email carries in its head: rules for phone widths and dark mode."""
    # One rule a line: a longer line than SMTP allows would make the part quoted-printable.
    css = "\n".join(" ".join(line.split()) for line in _stylesheet("email-media.css").splitlines())
    return mark_safe(f"<style>\n{css.strip()}\n</style>")  # noqa: S308 - our own stylesheet


def inline_template_source(source: str) -> str:
    """A template's source with the email stylesheet in its style attributes."""
    saved: list[str] = []

    def hide(match: re.Match) -> str:
        saved.append(match.group(0))
        return f"<!--ir:{len(saved) - 1}-->"

    hidden = _TEMPLATE_TAG.sub(hide, source)
    if "<html" in hidden:
        inlined = _inliner().inline(hidden)
    else:
        inlined = _inliner().inline_fragment(hidden, "")
    inlined = _BREAKABLE.sub("\n", inlined)
    return _HIDDEN.sub(lambda m: saved[int(m.group(1) or m.group(2))], inlined)


class InliningLoader(FilesystemLoader):
    """Loads `emails/*.html` with the stylesheet inlined; every other template as it is."""

    def get_contents(self, origin) -> str:
        contents = super().get_contents(origin)
        name = origin.template_name or ""
        if name.startswith(_EMAIL_TEMPLATES) and name.endswith(".html"):
            return inline_template_source(contents)
        return contents


@functools.cache
def engine() -> Engine:
    """The template engine of the HTML part: the project's templates and tag libraries,
    compiled once per process (the cached loader), with the stylesheet inlined."""
    return Engine(
        dirs=[str(Path(settings.BASE_DIR) / "templates")],
        loaders=[("django.template.loaders.cached.Loader", [f"{__name__}.InliningLoader"])],
        libraries=get_installed_libraries(),
    )


def render(template_name: str, context: dict[str, Any]) -> str:
    return engine().get_template(template_name).render(Context(context, autoescape=True))
