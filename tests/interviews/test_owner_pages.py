"""Signed-in owners: answering on the site, the “Waiting for you” queue, pausing an account;
and a manager's overrides on a request page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Department
from interviews import jobs, workflow
from interviews.models import EventKind, NotificationKind, Status
from tests.factories import AccountFactory, CandidateFactory, UserFactory

pytestmark = pytest.mark.django_db


def answer_url(request, action):
    return reverse("answer", args=[request.pk, action])


def manage_url(request, action):
    return reverse("manage", args=[request.pk, action])


# --- Answering while signed in -------------------------------------------------------------


def test_owner_answers_on_the_site(client, clock, file_request, sales):
    request = file_request()
    client.force_login(sales)
    page = client.get(answer_url(request, "defer"))
    assert page.status_code == 200 and b'name="until"' in page.content
    response = client.post(
        answer_url(request, "defer"),
        {
            "version": 1,
            "until": "2026-12-10",
            "reason_category": "bad_timing",
            "reason": "QBR week",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "request_detail", args=[request.pk]
    )
    request.refresh_from_db()
    assert request.status == Status.DEFERRED


def test_a_second_tab_with_the_old_version_changes_nothing(client, clock, file_request, sales):
    request = file_request()
    client.force_login(sales)
    client.post(answer_url(request, "owner_go_ahead"), {"version": 1})
    response = client.post(answer_url(request, "owner_go_ahead"), {"version": 1}, follow=True)
    assert "no longer possible" in response.content.decode()
    assert request.events.filter(kind=EventKind.OWNER_GO_AHEAD).count() == 1


def test_a_stale_version_is_refused_with_the_reason(client, clock, file_request, sales, manager):
    request = file_request()
    client.force_login(sales)
    workflow.request_extend_deadline(
        request_id=request.pk, by=manager, extra_business_days=1, reason="x"
    )
    response = client.post(
        answer_url(request, "decline"),
        {"version": 1, "reason_category": "other", "reason": "x"},
        follow=True,
    )
    assert "changed since" in response.content.decode()
    request.refresh_from_db()
    assert request.status == Status.AWAITING_OWNER


@pytest.mark.parametrize("who", ["marketer", "cs"])
def test_others_cannot_answer_for_the_owner(client, clock, file_request, request, who):
    interview = file_request()
    client.force_login(request.getfixturevalue(who))
    response = client.post(answer_url(interview, "owner_go_ahead"), {"version": 1})
    assert response.status_code in (403, 404)
    interview.refresh_from_db()
    assert interview.status == Status.AWAITING_OWNER


def test_answer_pages_need_a_login(client, clock, file_request):
    request = file_request()
    response = client.get(answer_url(request, "defer"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_invalid_input_re_renders_the_form_with_what_was_typed(client, clock, file_request, sales):
    request = file_request()
    client.force_login(sales)
    response = client.post(
        answer_url(request, "decline"),
        {"version": 1, "reason_category": "", "reason": "Escalation pending"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Escalation pending</textarea>" in page
    assert 'class="error"' in page


# --- The queue ----------------------------------------------------------------------------------


def test_queue_lists_what_waits_for_the_owner(client, clock, file_request, sales, cs, marketer):
    mine = file_request()
    other = AccountFactory(owner=cs, name="Not Mine Inc")
    file_request(account=other, candidates=[CandidateFactory(account=other)])
    client.force_login(sales)
    page = client.get(reverse("owner_queue")).content.decode()
    assert mine.topic in page and "Not Mine Inc" not in page
    assert answer_url(mine, "owner_go_ahead") in page
    client.force_login(marketer)
    assert client.get(reverse("owner_queue")).status_code == 403


def test_queue_query_count_is_constant(client, clock, file_request, sales):
    file_request()
    client.force_login(sales)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("owner_queue"))
    for _ in range(15):
        account = AccountFactory(owner=sales)
        file_request(account=account, candidates=[CandidateFactory(account=account)])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("owner_queue"))
    assert len(many) == len(few)


# --- Pausing an account ---------------------------------------------------------------------------


def test_owner_pauses_and_reopens_an_account(client, clock, account, sales, marketer, candidate):
    client.force_login(sales)
    response = client.post(
        reverse("pause_account", args=[account.pk]),
        {"until": "2027-01-15", "reason": "Outage follow-up"},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.sensitive_until == dt.date(2027, 1, 15)

    from interviews.errors import PolicyViolation

    with pytest.raises(PolicyViolation, match="Outage follow-up"):
        workflow.request_file(
            by=marketer,
            account=account,
            candidates=[candidate],
            purpose="research",
            topic="t",
            questions="q",
        )
    client.post(reverse("unpause_account", args=[account.pk]))
    account.refresh_from_db()
    assert account.sensitive_until is None


def test_pause_refuses_a_past_date_and_other_peoples_accounts(client, clock, account, sales, cs):
    client.force_login(sales)
    response = client.post(
        reverse("pause_account", args=[account.pk]),
        {"until": "2026-01-01", "reason": "x"},
        follow=True,
    )
    assert "after today" in response.content.decode()
    client.force_login(cs)
    assert (
        client.post(
            reverse("pause_account", args=[account.pk]), {"until": "2027-01-15", "reason": "x"}
        ).status_code
        == 403
    )
    account.refresh_from_db()
    assert account.sensitive_until is None


def test_pause_redirects_only_to_our_own_pages(client, clock, account, sales):
    client.force_login(sales)
    response = client.post(
        reverse("pause_account", args=[account.pk]),
        {"until": "2027-01-15", "reason": "x", "next": "https://evil.example.com/"},
    )
    assert response["Location"] == reverse("owner_queue")


# --- Manager overrides ----------------------------------------------------------------------------


def test_a_refused_reassignment_keeps_the_choice_and_says_why(
    client, clock, file_request, manager, sales, cs
):
    request = file_request()
    odd = UserFactory(name="<b>Ito & Co</b>", department=Department.SALES)
    client.force_login(manager)
    url = manage_url(request, "reassign_owner")

    page = client.post(url, {"version": 1, "new_owner": odd.pk, "reason": ""}).content.decode()
    assert "This field is required." in page
    assert f'<option value="{odd.pk}" selected>&lt;b&gt;Ito &amp; Co&lt;/b&gt;</option>' in page
    assert '<select id="id_new_owner" name="new_owner" required>' in page

    # The present owner is not offered, and sending their id anyway is refused.
    page = client.post(url, {"version": 1, "new_owner": sales.pk, "reason": "x"}).content.decode()
    assert "Select a valid choice." in page
    request.refresh_from_db()
    assert request.owner == sales and request.version == 1


def test_manager_extends_reassigns_and_forces_from_the_site(
    client, clock, file_request, manager, cs, sales, marketer
):
    request = file_request()
    client.force_login(manager)
    page = client.get(manage_url(request, "reassign_owner")).content.decode()
    # Anyone who can own requests, by name, except the present owner.
    assert '<option value="" selected>Choose a person</option>' in page
    assert f'<option value="{cs.pk}">Chika CS</option>' in page
    assert f'value="{sales.pk}"' not in page and f'value="{marketer.pk}"' not in page
    client.post(
        manage_url(request, "extend_deadline"),
        {"version": 1, "extra_business_days": 2, "reason": "Trip"},
    )
    request.refresh_from_db()
    assert request.version == 2
    jobs.process_deadlines()

    client.post(
        manage_url(request, "reassign_owner"), {"version": 2, "new_owner": cs.pk, "reason": "Leave"}
    )
    request.refresh_from_db()
    assert request.owner == cs
    jobs.process_deadlines()

    client.post(manage_url(request, "force_switch"), {"version": 3, "reason": "Launch"})
    request.refresh_from_db()
    assert request.status == Status.MARKETING_OUTREACH and request.escalated
    jobs.process_deadlines()
    kinds = {m.extra_headers["X-Interview-Relay-Kind"] for m in mail.outbox}
    assert {
        NotificationKind.DEADLINE_EXTENDED,
        NotificationKind.REASSIGNED_FROM,
        NotificationKind.SWITCHED_OWNER,
    } <= kinds


def test_manager_forms_need_a_reason_and_keep_input(client, clock, file_request, manager):
    request = file_request()
    client.force_login(manager)
    response = client.post(
        manage_url(request, "extend_deadline"),
        {"version": 1, "extra_business_days": 3, "reason": ""},
    )
    assert response.status_code == 200 and 'value="3"' in response.content.decode()
    request.refresh_from_db()
    assert request.version == 1


@pytest.mark.parametrize("who", ["marketer", "sales"])
def test_only_managers_override(client, clock, file_request, request, who):
    interview = file_request()
    client.force_login(request.getfixturevalue(who))
    assert (
        client.post(
            manage_url(interview, "force_switch"), {"version": 1, "reason": "x"}
        ).status_code
        == 403
    )
    interview.refresh_from_db()
    assert interview.status == Status.AWAITING_OWNER


def test_the_answer_link_page_costs_three_queries(
    client, clock, file_request, sales, marketer, django_assert_num_queries
):
    """The request with its account and people (only the columns shown), its candidates,
    its timeline: nothing loaded later field by field."""
    from interviews import links

    request = file_request()
    path = reverse("action_link", args=[links.make_token(request, sales), "defer"])
    with django_assert_num_queries(3):
        page = client.get(path)
    assert page.status_code == 200
    assert request.account.name in page.content.decode()
    assert marketer.name in page.content.decode()


def test_other_people_in_the_timeline_cost_one_query_however_many_events(
    client, clock, file_request, sales, manager, django_assert_num_queries
):
    """Names of people other than the owner and the marketer come in one lookup; what sales
    shared is counted from the timeline."""
    from interviews import links

    request = file_request()
    colleague = UserFactory(name="Kenta Colleague", department=Department.SALES, is_manager=True)
    for by in (manager, colleague, manager):
        workflow.request_extend_deadline(
            request_id=request.pk, by=by, extra_business_days=1, reason="Quarter close"
        )
    for excerpt in ("Call notes from the QBR", "Renewal call summary"):
        workflow.sales_context_add(request_id=request.pk, by=sales, excerpt=excerpt)
    request.refresh_from_db()
    path = reverse("action_link", args=[links.make_token(request, sales), "defer"])
    with django_assert_num_queries(4):
        page = client.get(path)
    text = page.content.decode()
    assert manager.name in text and colleague.name in text
    assert "Shared so far: 2 notes." in text


def test_the_unanswered_form_follows_the_day_and_the_language(client, clock, file_request, sales):
    """The form before anything is typed is rendered once and kept: never a day's date range
    on another day, nor one language's labels in the other."""
    from django.utils import translation

    from interviews import dates, links

    request = file_request()
    path = reverse("action_link", args=[links.make_token(request, sales), "defer"])

    def expected_range(language):
        first, last = workflow.deferral_range()
        with translation.override(language):
            return f'min="{first.isoformat()}"', f'max="{last.isoformat()}"', dates.day(last)

    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert all(part in english for part in expected_range("en"))
    assert "Why not now?" in english

    japanese = client.get(path, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert all(part in japanese for part in expected_range("ja"))
    assert "Why not now?" not in japanese

    clock.move_to(dt.datetime(2026, 12, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=9))))
    next_day = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert all(part in next_day for part in expected_range("en"))
    assert expected_range("en")[0] not in english
