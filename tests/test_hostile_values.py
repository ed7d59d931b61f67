"""Values that Python's own parsers read differently get an answer, not a 500: digits that
`str.isdigit()` accepts and `int()` refuses ("²", "①"), and dates at the ends of the
calendar, where converting to UTC or adding a day overflows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from interviews import workflow
from interviews.models import Status

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = "Please choose a date between 2000 and 2999."


@pytest.mark.parametrize("value", ["²", "①", "٣", "１２"])
@pytest.mark.parametrize(
    "page, field",
    [
        ("findings", "page"),
        ("findings", "account"),
        ("findings_export", "account"),
        ("home", "account"),
    ],
)
def test_number_like_letters_in_the_address_bar(client, marketer, page, field, value):
    client.force_login(marketer)
    response = client.get(reverse(page), {field: value})
    assert response.status_code == 200


@pytest.mark.parametrize("field, value", [("date_from", "0001-01-01"), ("date_to", "9999-12-31")])
def test_findings_filtered_at_the_ends_of_the_calendar(client, marketer, field, value):
    client.force_login(marketer)
    page = client.get(reverse("findings"), {field: value})
    assert page.status_code == 200
    assert OUT_OF_RANGE in page.content.decode()
    assert client.get(reverse("findings_export"), {field: value}).status_code == 200


@pytest.mark.parametrize("when", ["0001-01-01T00:00", "9999-12-31T23:30"])
def test_an_interview_in_year_1_or_9999_is_a_form_error(
    client, clock, file_request, sales, marketer, when
):
    marketer.time_zone = "America/Los_Angeles"  # 9999-12-31 23:30 there is year 10000 in UTC
    marketer.save()
    request = workflow.request_owner_go_ahead(request_id=file_request().pk, by=sales)
    client.force_login(marketer)
    response = client.post(
        reverse("request_schedule", args=[request.pk]),
        {
            "schedule-interview_at": when,
            "schedule-location": "Kept place",
            "schedule-expected_version": request.version,
        },
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200 and OUT_OF_RANGE in html and 'value="Kept place"' in html
    request.refresh_from_db()
    assert request.status == Status.MARKETING_OUTREACH
