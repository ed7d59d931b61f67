"""Public and account pages: how requests work, sign in and out, password reset, layout."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from interviews.views.pages import COUNTRY_NAMES, _holidays_country_name

pytestmark = pytest.mark.django_db

HOW = reverse("how_it_works")


def test_how_it_works_is_public_and_states_the_live_settings(client, settings):
    settings.RESPONSE_WINDOW_BUSINESS_DAYS = 4
    settings.MAX_RESPONSE_WINDOW_BUSINESS_DAYS = 15
    settings.REMINDER_BUSINESS_DAYS_BEFORE = [3, 0]
    settings.MAX_DEFERRALS = 3
    settings.MAX_DEFERRAL_DAYS = 45
    settings.ACCOUNT_COOLDOWN_DAYS = 60
    settings.OWNER_OUTREACH_BUSINESS_DAYS = 7
    settings.BUSINESS_EXTRA_CLOSED_DAYS = [(12, 31)]
    response = client.get(HOW)
    assert response.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))
    for phrase in (
        "has 4 business days to answer",
        "up to 15 business days, never less",
        "public holidays of Japan (JP)",
        "The company is also closed on December 31",
        "6:00 PM (Asia/Tokyo)",
        "at 9:00 AM, 3 business day(s) before the deadline day, and on the morning of the last day",
        "within 7 business days",
        "up to 45 days ahead",
        "at most 3 times",
        "no new request for 60 days",
        "marketing may contact the customer directly from then on",
    ):
        assert phrase in text, phrase


def test_how_it_works_in_another_country(client, settings):
    settings.BUSINESS_HOLIDAYS_COUNTRY = "US"
    settings.MAX_DEFERRALS = 0
    text = client.get(HOW).content.decode()
    assert "public holidays of United States (US)" in text
    assert "requests cannot be put off" in text


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def test_how_it_works_in_japanese_names_the_country_and_lists_in_japanese(client, settings):
    settings.REMINDER_BUSINESS_DAYS_BEFORE = [1, 3, 0]
    settings.BUSINESS_EXTRA_CLOSED_DAYS = [(1, 2), (12, 31)]
    text = _text(client.get(HOW, HTTP_ACCEPT_LANGUAGE="ja"))
    assert "土日と日本（JP）の祝日は含まれません" in text
    assert "Japan" not in text
    assert "回答期限日の3、1営業日前" in text
    assert "このほか、1月2日、12月31日も当社の休業日です。" in text


def test_how_it_works_in_japanese_for_another_country(client, settings):
    settings.BUSINESS_HOLIDAYS_COUNTRY = "US"
    text = _text(client.get(HOW, HTTP_ACCEPT_LANGUAGE="ja"))
    assert "土日とアメリカ合衆国（US）の祝日" in text


def test_how_it_works_lists_stay_english_in_english(client, settings):
    settings.REMINDER_BUSINESS_DAYS_BEFORE = [1, 3, 0]
    settings.BUSINESS_EXTRA_CLOSED_DAYS = [(1, 2), (12, 31)]
    text = _text(client.get(HOW, HTTP_ACCEPT_LANGUAGE="en"))
    assert "at 9:00 AM, 3, 1 business day(s) before the deadline day" in text
    assert "The company is also closed on January 2, December 31." in text


@pytest.mark.parametrize("code", sorted(COUNTRY_NAMES))
def test_named_countries_read_as_holidays_spells_them_in_english_and_are_translated(code):
    """English pages say what they said before the names were translated."""
    with translation.override("en"):
        english = str(COUNTRY_NAMES[code])
        assert english == _holidays_country_name(code)
    with translation.override("ja"):
        assert str(COUNTRY_NAMES[code]) != english


def test_every_page_links_to_how_it_works(client, marketer):
    assert f'href="{HOW}"' in client.get(reverse("login")).content.decode()
    client.force_login(marketer)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{HOW}"' in html


def test_the_layout_names_the_user_and_offers_the_language_switch(client, marketer):
    client.force_login(marketer)
    html = client.get(reverse("home")).content.decode()
    # The name leads to the person's own settings (where requests reach them).
    assert 'class="name" href="/settings/"' in html and ">Mai Marketer</a>" in html
    assert 'name="language" value="ja"' in html
    assert f'href="{reverse("request_new")}"' in html
    assert "{# owner nav #}" not in html  # a template comment, kept for the owner queue link
    assert "Times are shown in your time zone (Asia/Tokyo)." in html


def test_owners_are_not_offered_filing(client, sales):
    client.force_login(sales)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("request_new")}"' not in html


def test_sign_out_is_a_post(client, marketer):
    client.force_login(marketer)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")


def test_the_login_page_offers_a_password_reset(client):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in html


@pytest.mark.parametrize(
    ("language", "greeting"),
    [("en", "Hello Mai Marketer,"), ("ja", "Mai Marketer さん")],
)
def test_password_reset_by_email_in_the_users_language(
    client, marketer, settings, language, greeting
):
    """The person is signed out; the email still speaks the language they chose."""
    settings.SITE_URL = "https://relay.example.com"
    marketer.language = language
    marketer.save()
    response = client.post(reverse("password_reset"), {"email": "MARKETER@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    (message,) = mail.outbox
    assert message.to == [marketer.email]
    assert greeting in message.body
    if language == "en":
        assert message.subject == "Choose a new password for Interview Relay"
    # The link is built from SITE_URL, never from the Host header of whoever asked.
    link = re.search(r"https://relay\.example\.com(/password-reset/\S+/\S+/)", message.body)
    assert link is not None

    page = client.get(link.group(1), follow=True)
    assert page.status_code == 200 and 'for="id_new_password1"' in page.content.decode()
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "a long new passphrase", "new_password2": "a long new passphrase"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert client.login(
        request=HttpRequest(), email=marketer.email, password="a long new passphrase"
    )


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_used_reset_link_is_refused_clearly(client):
    page = client.get(reverse("password_reset_confirm", args=["MQ", "bad-token"]))
    assert "This link does not work any more" in page.content.decode()
