"""Small pieces the request forms share."""

from __future__ import annotations

from django import forms

from interviews.errors import WorkflowError


def add_workflow_error(
    form: forms.Form, error: WorkflowError, *, aliases: dict | None = None
) -> None:
    """Show a refusal from the workflow on the field it names, or above the form.

    `aliases` maps workflow field names to this form's names where they differ.
    """
    name = getattr(error, "field", None)
    name = (aliases or {}).get(name, name)
    form.add_error(name if name in form.fields else None, str(error))


def date_input(**attrs) -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


def datetime_input(**attrs) -> forms.DateTimeInput:
    # The browser's picker sends local wall time ("2026-12-10T14:00"); the form reads it in
    # the active time zone, which the middleware sets to the user's.
    return forms.DateTimeInput(attrs={"type": "datetime-local", **attrs}, format="%Y-%m-%dT%H:%M")


class VersionedForm(forms.Form):
    """An action on a request as the person saw it: a request that changed in between
    (someone else acted, the deadline passed) is refused instead of acted on blindly."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
