"""Choosing one person out of hundreds: the request list's owner filter, the manager's
reassignment."""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator


class _PersonOptions(ModelChoiceIterator):
    """Options read as (id, name, email) rows: one model instance per option, only to show
    its name, was most of what a list of hundreds of people cost to render."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, name, email in self.queryset.values_list("pk", "name", "email"):
            yield (pk, name or email)  # what User.__str__ shows


class PersonChoiceField(forms.ModelChoiceField):
    """A person by id, validated against the queryset as any ModelChoiceField. Options are
    labelled as User.__str__ labels a person (label_from_instance is not consulted)."""

    iterator = _PersonOptions

    def __init__(self, *args, **kwargs) -> None:
        if kwargs.get("to_field_name"):
            # The options carry ids: validating another field would refuse every choice.
            raise TypeError("PersonChoiceField chooses by id only")
        super().__init__(*args, **kwargs)
