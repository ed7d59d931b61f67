"""Filing a request in the browser: the account picker, the owner and deadline shown
before submitting, refusals with their reasons, and input kept on every re-render."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from accounts.models import Department
from interviews import workflow
from interviews.errors import InvalidInput
from interviews.models import Candidate, InterviewRequest, Notification, Status
from tests.conftest import TOKYO
from tests.factories import AccountFactory, CandidateFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW = reverse("request_new")
HTMX_PANEL = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "account-panel"}


def filing_data(account, candidates, **overrides):
    data = {
        "_action": "file",
        "account": account.pk,
        "previewed_account": account.pk,
        "candidates": [c.pk for c in candidates],
        "purpose": "case_study",
        "topic": "Faster month-end close",
        "questions": "What changed?\nWho noticed first?",
        "needed_by": "2027-01-29",
        "note_to_owner": "For the spring campaign.",
        "response_window_days": "5",
    }
    data.update(overrides)
    return data


@pytest.fixture
def signed_in(client, marketer):
    client.force_login(marketer)
    return client


def test_only_marketers_and_managers_may_open_the_form(client, sales, marketer, manager):
    assert client.get(NEW).status_code == 302  # to the login page
    client.force_login(sales)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, {"_action": "file"}).status_code == 403
    for person in (marketer, manager):
        client.force_login(person)
        assert client.get(NEW).status_code == 200


def test_the_form_has_a_visible_label_for_every_field(signed_in, account, candidate):
    html = signed_in.get(NEW + f"?account={account.pk}").content.decode()
    for field in (
        "account_q",
        "account",
        "new_candidate_name",
        "new_candidate_email",
        "new_candidate_title",
        "purpose",
        "topic",
        "questions",
        "needed_by",
        "note_to_owner",
        "response_window_days",
    ):
        assert f'for="id_{field}"' in html, field
    assert 'name="csrfmiddlewaretoken"' in html
    # The candidates are checkboxes, each inside its label, in a fieldset with a legend.
    assert f'value="{candidate.pk}"' in html and "<legend>People to interview</legend>" in html


def test_picking_an_account_shows_its_owner_and_the_exact_deadline(
    signed_in, clock, account, candidate
):
    panel = signed_in.get(NEW, {"account": account.pk}, **HTMX_PANEL)
    html = panel.content.decode()
    assert panel.status_code == 200 and "<html" not in html  # a fragment, for htmx
    assert "Sato Sales" in html
    # Filed Monday 30 Nov 10:00 Tokyo: five business days is Monday 7 Dec, close of business.
    assert "Mon, Dec 7, 6:00 PM" in html
    assert f'name="previewed_account" value="{account.pk}"' in html
    assert "Tanaka Hanako" in html
    assert "Vary" in panel and "HX-Request" in panel["Vary"]


def test_a_longer_window_moves_the_deadline_and_a_shorter_one_is_not_previewed(
    signed_in, clock, account
):
    html = signed_in.get(
        NEW, {"account": account.pk, "response_window_days": "7"}, **HTMX_PANEL
    ).content.decode()
    assert "Wed, Dec 9, 6:00 PM" in html
    html = signed_in.get(
        NEW, {"account": account.pk, "response_window_days": "2"}, **HTMX_PANEL
    ).content.decode()
    assert "Mon, Dec 7, 6:00 PM" in html  # never fewer than the agreed five


def test_the_deadline_is_shown_in_the_users_time_zone(client, clock, account, marketer):
    marketer.time_zone = "Europe/London"
    marketer.save()
    client.force_login(marketer)
    html = client.get(NEW, {"account": account.pk}, **HTMX_PANEL).content.decode()
    assert "Mon, Dec 7, 9:00 AM GMT" in html  # 18:00 Tokyo


def test_account_search_returns_options_and_selects_a_single_match(signed_in, account):
    AccountFactory(name="Acme Robotics")
    AccountFactory(name="Zenith")
    html = signed_in.get(reverse("account_search"), {"account_q": "acme"}).content.decode()
    assert html.count("<option") == 3  # the prompt and the two Acmes
    assert "Zenith" not in html
    html = signed_in.get(reverse("account_search"), {"account_q": "acme kk"}).content.decode()
    assert f'value="{account.pk}" selected' in html
    html = signed_in.get(reverse("account_search"), {"account_q": "nothing"}).content.decode()
    assert "No account matches" in html


def test_without_javascript_search_then_choose_keeps_what_was_typed(signed_in, clock, account):
    AccountFactory(name="Zenith")
    typed = {"account_q": "Acme", "topic": "Half-typed topic", "questions": "Q1"}
    page = signed_in.post(NEW, {"_action": "search", **typed})
    html = page.content.decode()
    assert page.status_code == 200
    # One match: it is chosen and its owner and deadline are shown straight away.
    assert f'<option value="{account.pk}" selected>' in html
    assert "Sato Sales" in html and "Mon, Dec 7, 6:00 PM" in html
    assert "Zenith" not in html
    assert 'value="Half-typed topic"' in html and "Q1</textarea>" in html
    assert "This field is required" not in html  # nothing is judged before filing

    page = signed_in.post(NEW, {"_action": "choose", "account": account.pk, **typed})
    assert "Sato Sales" in page.content.decode()


def test_filing_without_having_seen_the_owner_shows_them_first(
    signed_in, clock, account, candidate
):
    data = filing_data(account, [candidate], previewed_account="")
    page = signed_in.post(NEW, data)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Check who will be asked and their deadline below" in html
    assert "Sato Sales" in html and 'value="Faster month-end close"' in html
    assert not InterviewRequest.objects.exists()

    response = signed_in.post(NEW, filing_data(account, [candidate]))
    assert response.status_code == 302
    request = InterviewRequest.objects.get()
    assert response["Location"] == reverse("request_detail", args=[request.pk])
    assert request.status == Status.AWAITING_OWNER and request.owner.email == "sales@example.com"
    assert list(request.candidates.all()) == [candidate]
    assert request.needed_by == dt.date(2027, 1, 29)
    assert request.response_due_at == dt.datetime(2026, 12, 7, 18, 0, tzinfo=TOKYO)
    page = signed_in.get(response["Location"])
    assert "Request filed. Sato Sales is asked to answer by Mon, Dec 7, 6:00 PM" in (
        page.content.decode()
    )


def test_a_new_person_is_created_with_the_request(signed_in, clock, account):
    data = filing_data(
        account,
        [],
        new_candidate_name="Yamada Taro",
        new_candidate_email="Taro@Acme.example",
        new_candidate_title="CFO",
    )
    assert signed_in.post(NEW, data).status_code == 302
    (person,) = InterviewRequest.objects.get().candidates.all()
    assert (person.name, person.email, person.title, person.account) == (
        "Yamada Taro",
        "taro@acme.example",
        "CFO",
        account,
    )


def test_a_refused_request_leaves_no_new_person_behind(signed_in, clock, account, candidate):
    account.sensitive_until = dt.date(2026, 12, 31)
    account.sensitive_reason = "Renewal negotiation"
    account.save()
    data = filing_data(account, [], new_candidate_name="Yamada Taro")
    page = signed_in.post(NEW, data)
    assert page.status_code == 400
    html = page.content.decode()
    assert "Acme KK is marked sensitive until Thu, Dec 31: Renewal negotiation" in html
    assert 'value="Yamada Taro"' in html  # kept for another try
    assert not Candidate.objects.filter(name="Yamada Taro").exists()
    assert not InterviewRequest.objects.exists()


def test_a_person_already_on_file_is_not_added_twice(signed_in, clock, account, candidate):
    data = filing_data(
        account, [], new_candidate_name="Hanako", new_candidate_email=candidate.email
    )
    page = signed_in.post(NEW, data)
    assert page.status_code == 400
    assert "already listed at Acme KK" in page.content.decode()
    assert Candidate.objects.count() == 1


def test_an_open_request_is_refused_with_a_link_to_it(
    signed_in, clock, account, candidate, file_request
):
    existing = file_request()
    page = signed_in.post(NEW, filing_data(account, [candidate]))
    html = page.content.decode()
    assert page.status_code == 400
    assert "already has an open interview request" in html
    assert f'href="{reverse("request_detail", args=[existing.pk])}"' in html
    # The panel says so before submitting, too.
    panel = signed_in.get(NEW, {"account": account.pk}, **HTMX_PANEL).content.decode()
    assert "a customer is asked once at a time" in panel
    assert f"Open request #{existing.pk}" in panel
    # The button is off until another account is chosen (swapped in with the panel).
    off = 'class="primary" disabled aria-describedby="account-panel"'
    assert 'id="filing-actions" hx-swap-oob="true"' in panel and off in panel
    assert off in html


def test_cooldown_is_refused_for_marketers_and_managers_may_override(
    client, clock, account, candidate, marketer, manager
):
    candidate.last_interviewed_on = dt.date(2026, 11, 1)
    candidate.save()
    client.force_login(marketer)
    panel = client.get(NEW, {"account": account.pk}, **HTMX_PANEL).content.decode()
    assert "the next request can be filed from Sat, Jan 30, 2027" in panel
    assert "Only a manager can file a request now" in panel
    assert 'name="override_reason"' not in panel
    assert 'class="primary" disabled' in panel
    page = client.post(NEW, filing_data(account, [candidate], override_reason="Please"))
    assert page.status_code == 400
    assert "the next request can be filed from Sat, Jan 30, 2027" in page.content.decode()

    client.force_login(manager)
    panel = client.get(NEW, {"account": account.pk}, **HTMX_PANEL).content.decode()
    assert 'name="override_reason"' in panel and 'for="id_override_reason"' in panel
    assert 'class="primary" disabled' not in panel  # a manager may, with a reason
    page = client.post(NEW, filing_data(account, [candidate]))
    assert page.status_code == 400  # a manager still has to say why
    response = client.post(
        NEW, filing_data(account, [candidate], override_reason="The CEO asked for it")
    )
    assert response.status_code == 302
    assert InterviewRequest.objects.get().cooldown_override_reason == "The CEO asked for it"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"response_window_days": "3"}, "response_window_days", "greater than or equal to 5"),
        ({"response_window_days": "21"}, "response_window_days", "less than or equal to 20"),
        ({"topic": ""}, "topic", "This field is required."),
        ({"purpose": "gossip"}, "purpose", "Select a valid choice"),
        ({"candidates": []}, "candidates", "Please choose at least one person to interview"),
        ({"needed_by": "2026-11-01"}, "needed_by", "is in the past"),
        (
            {"new_candidate_email": "x@example.com"},
            "new_candidate_name",
            "Please give the new person",
        ),
    ],
)
def test_invalid_input_is_refused_and_kept(
    signed_in, clock, account, candidate, overrides, field, message
):
    data = filing_data(account, [candidate])
    data.update(overrides)
    page = signed_in.post(NEW, data)
    html = page.content.decode()
    assert page.status_code == 400
    assert message in html
    assert 'value="Faster month-end close"' in html or field == "topic"
    assert "What changed?\nWho noticed first?</textarea>" in html
    assert not InterviewRequest.objects.exists()


def test_errors_are_in_the_users_language(client, clock, account, candidate, marketer):
    marketer.language = "ja"
    marketer.save()
    client.force_login(marketer)
    page = client.post(NEW, filing_data(account, [candidate], topic=""))
    html = page.content.decode()
    with translation.override("ja"):
        required = str(forms.Field.default_error_messages["required"])
    assert required != "This field is required."  # Django's (or our) Japanese catalogue
    assert 'lang="ja"' in html and required in html


def test_an_owner_who_left_is_named_and_filing_is_refused(signed_in, clock, account, candidate):
    owner = account.owner
    owner.is_active = False
    owner.save()
    panel = signed_in.get(NEW, {"account": account.pk}, **HTMX_PANEL).content.decode()
    assert "no longer active" in panel
    page = signed_in.post(NEW, filing_data(account, [candidate]))
    assert page.status_code == 400
    assert "has no active sales or customer-success owner" in page.content.decode()


def test_candidates_of_another_account_are_not_accepted(signed_in, clock, account, candidate):
    elsewhere = CandidateFactory(account=AccountFactory(owner=account.owner))
    page = signed_in.post(NEW, filing_data(account, [elsewhere]))
    assert page.status_code == 400
    assert not InterviewRequest.objects.exists()


def test_filing_tells_the_owner(signed_in, clock, account, candidate):
    signed_in.post(NEW, filing_data(account, [candidate]))
    assert Notification.objects.filter(kind="new_request", recipient=account.owner).count() == 1


def test_an_owner_sees_only_accounts_they_own_in_search(client, clock, sales, account):
    other = AccountFactory(
        name="Acme Other", owner=UserFactory(department=Department.CUSTOMER_SUCCESS)
    )
    client.force_login(sales)
    html = client.get(reverse("account_search"), {"account_q": "acme"}).content.decode()
    assert "Acme KK" in html and other.name not in html


def test_the_workflow_checks_new_people_too(clock, marketer, account):
    for person, field in (
        (workflow.NewCandidate(name="  "), "new_candidate_name"),
        (workflow.NewCandidate(name="Taro", email="not-an-email"), "new_candidate_email"),
    ):
        with pytest.raises(InvalidInput) as refused:
            workflow.request_file(
                by=marketer,
                account=account,
                candidates=[],
                new_candidates=[person],
                purpose="case_study",
                topic="t",
                questions="q",
            )
        assert refused.value.field == field
    assert not Candidate.objects.exists()
