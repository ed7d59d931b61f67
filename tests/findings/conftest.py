from __future__ import annotations

import datetime as dt

import pytest

from interviews import workflow
from interviews.models import InterviewRequest
from interviews.workflow import FindingInput
from tests.conftest import TOKYO
from tests.slack_app.conftest import slack  # noqa: F401 - the Slack app installed, its API faked


@pytest.fixture
def completed(clock, file_request, sales, marketer) -> InterviewRequest:
    """A request whose interview took place (Tanaka Hanako of Acme KK was interviewed)."""
    request = workflow.request_owner_go_ahead(request_id=file_request().pk, by=sales)
    workflow.request_schedule(
        request_id=request.pk,
        by=marketer,
        # Held this morning (the clock stands at Monday 10:00): its outcome may be recorded.
        interview_at=dt.datetime(2026, 11, 30, 9, 0, tzinfo=TOKYO),
    )
    return workflow.request_complete(
        request_id=request.pk, by=marketer, outcome_summary="A good talk."
    )


@pytest.fixture
def add_findings(completed, marketer):
    def _add(*items: FindingInput, by=None, request=None, **kwargs):
        return workflow.findings_add(
            request_id=(request or completed).pk, by=by or marketer, items=list(items), **kwargs
        )

    return _add
