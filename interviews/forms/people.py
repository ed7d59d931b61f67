"""Choosing a person from a list of hundreds (the request list's owner filter)."""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator


class _PersonOptions(ModelChoiceIterator):
    """Options read as (id, name, email) rows: one model instance per option, only to show
    its name, was most of what the list of owners cost to render."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, name, email in self.queryset.values_list("pk", "name", "email"):
            yield (pk, name or email)  # as User.__str__ shows a person


class PersonChoiceField(forms.ModelChoiceField):
    """A person by id, validated against the queryset like any ModelChoiceField."""

    iterator = _PersonOptions
