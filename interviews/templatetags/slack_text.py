"""`{% load slack_text %}` … `{{ value|mrkdwn }}`: a value escaped for Slack's mrkdwn, in the
team-channel templates (templates/slack/), which turn Django's HTML escaping off."""

from __future__ import annotations

from typing import Any

from django import template

from interviews.notifications import mrkdwn as slack_mrkdwn

register = template.Library()


@register.filter
def mrkdwn(value: Any) -> str:
    return slack_mrkdwn.escape(value)
