"""Widgets rendered in Python must write exactly what Django's templates write: the same
labels, ids, checked state and error attributes, so screen readers and browsers see no
difference."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from interviews.forms.decisions import DeclineForm, DeferForm
from interviews.forms.widgets import PlainRadioSelect

CHOICES = [("late", "Bad timing & <busy>"), ("other", "Other")]
GROUPED = [("Group <1>", [("a", "A"), ("b", "B")]), ("c", "C")]


@pytest.mark.parametrize("choices", [CHOICES, GROUPED])
@pytest.mark.parametrize("value", [None, "other", "b", "unknown"])
@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"id": "id_reason", "required": True, "aria-describedby": "id_reason_help"},
        {"id": "id_reason", "aria-invalid": "true", "class": "wide", "disabled": False},
    ],
)
def test_plain_radio_select_writes_what_django_writes(choices, value, attrs):
    django_html = forms.RadioSelect(choices=choices).render("reason", value, attrs=dict(attrs))
    plain_html = PlainRadioSelect(choices=choices).render("reason", value, attrs=dict(attrs))
    assert plain_html == django_html


@pytest.mark.parametrize("form_class", [DeferForm, DeclineForm])
@pytest.mark.parametrize("language", ["en", "ja"])
def test_answer_forms_render_reasons_as_django_radio_buttons(form_class, language):
    """The real forms, unbound and with errors, in both languages."""
    with translation.override(language):
        for form in (form_class(), form_class({"reason_category": "nonsense"})):
            form.is_valid()
            field = form["reason_category"]
            plain = str(field)
            field.field.widget = forms.RadioSelect(choices=field.field.choices)
            assert plain == str(field)
            assert 'type="radio"' in plain
    if language == "ja":
        assert "その他" in plain  # the labels are translated
