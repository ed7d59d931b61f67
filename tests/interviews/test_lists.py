"""Lists in running text: "a, b" in English, "a、b" in Japanese, from one helper."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from interviews.presenters import join_list

TEMPLATE = Template(
    "{% load lists %}{{ items|join_list }} / {% for i in items %}{{ i }}"
    "{% if not forloop.last %}{% list_separator %}{% endif %}{% endfor %}"
)


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "Topic, Questions, 3"), ("ja", "Topic、Questions、3")]
)
def test_join_list_in_the_active_language(language, expected):
    with translation.override(language):
        assert join_list(["Topic", "Questions", 3]) == expected
        assert join_list([]) == ""


def test_the_template_filter_and_tag_separate_alike_and_escape_the_items():
    context = Context({"items": ["<b>R&D</b>", "Sales"]})
    with translation.override("ja"):
        assert TEMPLATE.render(context) == (
            "&lt;b&gt;R&amp;D&lt;/b&gt;、Sales / &lt;b&gt;R&amp;D&lt;/b&gt;、Sales"
        )
    with translation.override("en"):
        assert TEMPLATE.render(context).startswith("&lt;b&gt;R&amp;D&lt;/b&gt;, Sales / ")
