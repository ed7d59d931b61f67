"""Small pieces the request forms share."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from interviews import dates
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


def plain_number(value: object, *, max_digits: int) -> int | None:
    """A whole number typed in plain digits (an id or a page from the address bar), or
    None. `str.isdigit()` also accepts "²" and "①", which `int()` refuses."""
    text = str(value or "")
    if text.isascii() and text.isdecimal() and len(text) <= max_digits:
        return int(text)
    return None


_OUT_OF_RANGE = _("Please choose a date between 2000 and 2999.")


def _check_range(day) -> None:
    if not dates.EARLIEST <= day <= dates.LATEST:
        raise ValidationError(_OUT_OF_RANGE, code="out_of_range")


class RangedDateField(forms.DateField):
    """A date people can type (dates.EARLIEST to dates.LATEST): year 1 or 9999 gets a
    message, not an overflow further down."""

    def validate(self, value) -> None:
        super().validate(value)
        if value:
            _check_range(value)


class RangedDateTimeField(forms.DateTimeField):
    """A date and time in the same range, read in the active time zone."""

    def validate(self, value) -> None:
        super().validate(value)
        if value:
            _check_range(value.date())


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
