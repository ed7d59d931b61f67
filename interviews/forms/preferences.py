"""Where requests and reminders reach a person."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import NotifyVia, User
from interviews.forms.widgets import PlainRadioSelect


class NotifyViaForm(forms.ModelForm):
    notify_via = forms.ChoiceField(
        label=_("Requests and reminders reach me by"),
        choices=NotifyVia.choices,
        widget=PlainRadioSelect,
    )

    class Meta:
        model = User
        fields = ["notify_via"]
