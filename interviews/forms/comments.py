"""Writing on a request."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from interviews.workflow.comments import COMMENT_MAX_LENGTH


class CommentForm(forms.Form):
    prefix = "comment"

    body = forms.CharField(
        label=_("Add a comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The marketer and the owner are emailed; they can answer here."),
    )
