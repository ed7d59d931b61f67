"""A scheduled interview as an iCalendar event (RFC 5545): downloadable from the request
page and attached to the "interview scheduled" email, so it lands in people's calendars."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from interviews.links import request_url
from interviews.models import InterviewRequest

INTERVIEW_LENGTH = dt.timedelta(hours=1)


def interview_event(request: InterviewRequest, *, language: str | None = None) -> bytes:
    """The .ics file for a request's interview. The UID stays the same for the request,
    and the SEQUENCE follows its version, so a rescheduled interview updates the entry."""
    if request.interview_at is None:
        raise ValueError("This request has no interview date.")
    with translation.override(language or settings.LANGUAGE_CODE):
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Interview Relay//interview//EN")
        calendar.add("version", "2.0")
        calendar.add("method", "PUBLISH")
        event = icalendar.Event()
        host = urlsplit(settings.SITE_URL).hostname or "interview-relay"
        event.add("uid", f"interview-request-{request.pk}@{host}")
        event.add("sequence", request.version)
        event.add("dtstamp", timezone.now())
        event.add("dtstart", request.interview_at)
        event.add("dtend", request.interview_at + INTERVIEW_LENGTH)
        event.add("summary", _("Interview: %(account)s") % {"account": request.account.name})
        if request.interview_location:
            event.add("location", request.interview_location)
        lines = [request.topic, "", request.questions]
        if request.interview_participants:
            lines += ["", request.interview_participants]
        lines += ["", request_url(request)]
        event.add("description", "\n".join(lines))
        event.add("url", request_url(request))
        calendar.add_component(event)
        return calendar.to_ical()


def filename(request: InterviewRequest) -> str:
    return f"interview-{request.pk}.ics"
