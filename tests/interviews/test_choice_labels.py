"""Statuses, purposes and kinds read in the reader's language wherever they are shown."""

from __future__ import annotations

import pytest
from django.utils import translation

from interviews.models import (
    EventKind,
    Finding,
    FindingKind,
    InterviewRequest,
    Purpose,
    RequestEvent,
    Status,
)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_every_choice_reads_as_its_label_in_the_active_language(language):
    with translation.override(language):
        for status in Status:
            assert InterviewRequest(status=status).get_status_display() == str(status.label)
            assert RequestEvent(to_status=status).get_to_status_display() == str(status.label)
        for purpose in Purpose:
            assert InterviewRequest(purpose=purpose).get_purpose_display() == str(purpose.label)
        for kind in EventKind:
            assert RequestEvent(kind=kind).get_kind_display() == str(kind.label)
        for kind in FindingKind:
            assert Finding(kind=kind).get_kind_display() == str(kind.label)


def test_the_label_follows_a_change_of_language_in_the_same_process():
    request = InterviewRequest(status=Status.DEFERRED)
    with translation.override("en"):
        english = request.get_status_display()
    with translation.override("ja"):
        japanese = request.get_status_display()
    assert english == "Deferred by the owner" and japanese != english


def test_a_value_outside_the_choices_is_shown_as_stored():
    assert RequestEvent(from_status="retired_status").get_from_status_display() == "retired_status"
    assert RequestEvent(from_status="").get_from_status_display() == ""
