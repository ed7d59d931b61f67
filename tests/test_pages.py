"""The pages this foundation serves: sign in, the request list and page, the dev mailbox,
the admin. Query counts stay constant as data grows."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews import jobs
from tests.factories import AccountFactory, CandidateFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_and_sign_in(client, marketer):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert b'<label for="id_username">' in page.content
    response = client.post(reverse("login"), {"username": "MARKETER@example.com", "password": "pw"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_is_told_in_japanese(client, marketer):
    response = client.post(
        reverse("login"),
        {"username": marketer.email, "password": "nope"},
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert response.status_code == 200
    assert "正しい" in response.content.decode()


def test_pages_need_a_login(client, clock, file_request):
    request = file_request()
    for url in (reverse("home"), reverse("request_detail", args=[request.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_owner_sees_own_requests_only(client, clock, file_request, sales, cs):
    request = file_request()
    client.force_login(cs)
    assert client.get(reverse("request_detail", args=[request.pk])).status_code == 404
    client.force_login(sales)
    page = client.get(reverse("request_detail", args=[request.pk]))
    assert page.status_code == 200
    assert "Acme KK" in page.content.decode()


def test_request_page_shows_deadline_and_timeline_in_japanese(client, clock, file_request, sales):
    request = file_request()
    sales.language = "ja"
    sales.save()
    client.force_login(sales)
    html = client.get(reverse("request_detail", args=[request.pk])).content.decode()
    assert 'lang="ja"' in html
    assert "12月7日(月)" in html


def test_home_query_count_does_not_grow_with_rows(
    client, clock, marketer, sales, file_request, django_assert_max_num_queries
):
    file_request()
    client.force_login(marketer)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for _ in range(10):
        account = AccountFactory(owner=sales)
        file_request(account=account, candidates=[CandidateFactory(account=account)])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("home"))
    assert len(many) == len(few)


def test_dev_mailbox_shows_sent_email_only_in_debug(client, clock, file_request, settings):
    settings.EMAIL_BACKEND = "interviews.notifications.devmailbox.DevMailboxBackend"
    file_request()
    jobs.process_deadlines()
    settings.DEBUG = True
    listing = client.get(reverse("dev_mailbox")).content.decode()
    assert "Interview request for Acme KK" in listing
    from interviews.notifications import devmailbox

    (stored,) = devmailbox.list_mail()
    detail = client.get(reverse("dev_mailbox_message", args=[stored.id]))
    assert detail.status_code == 200 and "Acme KK" in detail.content.decode()
    html = client.get(reverse("dev_mailbox_html", args=[stored.id]))
    assert html.status_code == 200 and "default-src 'none'" in html["Content-Security-Policy"]
    assert client.get(reverse("dev_mailbox_message", args=["..-etc-passwd"])).status_code == 404
    # Longer than a file name may be: not found, not an OSError.
    assert client.get(reverse("dev_mailbox_message", args=["A" * 3000])).status_code == 404

    # From another machine only staff may look (the demo may listen on 0.0.0.0).
    assert client.get(reverse("dev_mailbox"), REMOTE_ADDR="192.168.1.20").status_code == 404
    staff = UserFactory(email="ops@example.com", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("dev_mailbox"), REMOTE_ADDR="192.168.1.20").status_code == 200
    client.logout()

    settings.DEBUG = False
    assert client.get(reverse("dev_mailbox")).status_code == 404
    assert mail.outbox == []  # the dev backend was used instead of locmem


def test_language_switch_is_remembered_for_the_user(client, marketer):
    client.force_login(marketer)
    client.post(reverse("set_language"), {"language": "ja", "next": "/"})
    marketer.refresh_from_db()
    assert marketer.language == "ja"
    assert 'lang="ja"' in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    "model",
    [
        "accounts/user",
        "accounts/account",
        "interviews/candidate",
        "interviews/interviewrequest",
        "interviews/requestevent",
        "interviews/notification",
    ],
)
def test_admin_lists_every_model(admin_client, clock, file_request, model):
    request = file_request()
    jobs.process_deadlines()
    response = admin_client.get(f"/admin/{model}/")
    assert response.status_code == 200
    if model == "interviews/interviewrequest":
        change = admin_client.get(f"/admin/{model}/{request.pk}/change/")
        assert change.status_code == 200
        assert admin_client.get(f"/admin/{model}/add/").status_code == 403


@pytest.mark.parametrize(
    "model, field",
    [
        ("accounts/user", "date_joined"),
        ("accounts/account", "created_at"),
        ("interviews/candidate", "created_at"),
        ("interviews/interviewrequest", "created_at"),
        ("interviews/requestevent", "created_at"),
        ("interviews/notification", "created_at"),
    ],
)
@pytest.mark.parametrize("lookup", ["__year=-1", "__year=99999999999999999999", "__gte=0001-01-01"])
def test_an_admin_list_filtered_past_the_calendar_says_so(admin_client, model, field, lookup):
    """Django applies such filters only when counting the list, after its own check."""
    response = admin_client.get(f"/admin/{model}/?{field}{lookup}")
    assert response.status_code == 302 and response["Location"].endswith("?e=1")
    assert admin_client.get(response["Location"]).status_code == 200


def test_email_addresses_are_one_account_whatever_their_case(client, marketer):
    from django.db import IntegrityError, transaction

    from accounts.models import User

    # Saved through the model (admin, import): stored lower-case, so it collides.
    with pytest.raises(IntegrityError), transaction.atomic():
        User(email="Marketer@Example.com", name="Twin").save()
    # Written around the model: the database constraint still refuses the second spelling.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="MARKETER@example.com", name="Twin")])
    response = client.post(reverse("login"), {"username": "Marketer@EXAMPLE.com", "password": "pw"})
    assert response.status_code == 302
