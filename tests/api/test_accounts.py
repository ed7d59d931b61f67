"""Reading accounts and candidates: everyone signed in, each seeing what the web shows them."""

from __future__ import annotations

import datetime as dt

import pytest

from interviews import workflow
from tests.factories import AccountFactory, CandidateFactory

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["name"] for row in response.json()["results"]]


@pytest.fixture
def book(sales, other_sales, account, candidate):
    """Acme (Sato's, with Tanaka), Beta (Suzuki's, two people), Gamma (Suzuki's, nobody)."""
    beta = AccountFactory(name="Beta GK", owner=other_sales, domain="beta.example.jp")
    gamma = AccountFactory(name="Gamma KK", owner=other_sales)
    CandidateFactory(account=beta, name="Ito Ken", title="CTO")
    CandidateFactory(account=beta, name="Abe Mio", email="mio@beta.example.jp")
    return {"acme": account, "beta": beta, "gamma": gamma}


def test_marketers_and_managers_see_every_account(api, marketer, manager, book):
    for user in (marketer, manager):
        assert names(api(user).get("/api/accounts/")) == ["Acme KK", "Beta GK", "Gamma KK"]


def test_an_owner_sees_their_accounts_and_those_they_were_asked_about(
    api, clock, manager, sales, other_sales, book, interview
):
    assert names(api(sales).get("/api/accounts/")) == ["Acme KK"]
    assert names(api(other_sales).get("/api/accounts/")) == ["Beta GK", "Gamma KK"]
    # Sato is asked about Acme's request after it moves to Suzuki: both see the account.
    workflow.request_reassign_owner(
        request_id=interview.pk, by=manager, new_owner=other_sales, reason="Moved."
    )
    assert names(api(other_sales).get("/api/accounts/")) == ["Acme KK", "Beta GK", "Gamma KK"]
    assert api(sales).get(f"/api/accounts/{book['beta'].pk}/").status_code == 404


def test_someone_with_no_part_sees_no_account(api, outsider, book):
    assert names(api(outsider).get("/api/accounts/")) == []
    assert api(outsider).get(f"/api/accounts/{book['acme'].pk}/").status_code == 404
    assert names(api(outsider).get("/api/candidates/")) == []


def test_account_search(api, marketer, book):
    assert names(api(marketer).get("/api/accounts/?q=beta.example")) == ["Beta GK"]
    assert names(api(marketer).get(f"/api/accounts/?q={book['gamma'].crm_id}")) == ["Gamma KK"]
    assert api(marketer).get("/api/accounts/?q=" + "x" * 101).json()["field"] == "q"


def test_an_account_shows_its_people_and_what_stands_in_the_way(
    api, clock, marketer, sales, book, interview
):
    workflow.account_mark_sensitive(
        account_id=book["acme"].pk, by=sales, until=dt.date(2027, 1, 31), reason="Renewal."
    )
    body = api(marketer).get(f"/api/accounts/{book['acme'].pk}/").json()
    assert body["owner"]["id"] == sales.pk
    assert body["open_request_id"] == interview.pk
    assert body["last_request_at"].startswith("2026-11-30T10:00:00")
    assert [c["name"] for c in body["candidates"]] == ["Tanaka Hanako"]
    assert body["filing_policy"] == {
        "sensitive_until": "2027-01-31",
        "sensitive_reason": "Renewal.",
        "open_request_id": interview.pk,
        "last_interviewed_on": None,
        "cooldown_ends_on": None,
    }
    assert [
        c["name"]
        for c in api(marketer).get(f"/api/accounts/{book['beta'].pk}/").json()["candidates"]
    ] == ["Abe Mio", "Ito Ken"]


def test_candidates_per_role_and_filters(api, marketer, sales, book):
    assert names(api(marketer).get("/api/candidates/")) == ["Abe Mio", "Ito Ken", "Tanaka Hanako"]
    assert names(api(sales).get("/api/candidates/")) == ["Tanaka Hanako"]
    beta = book["beta"].pk
    assert names(api(marketer).get(f"/api/candidates/?account={beta}")) == ["Abe Mio", "Ito Ken"]
    assert names(api(marketer).get("/api/candidates/?q=cto")) == ["Ito Ken"]
    assert names(api(marketer).get("/api/candidates/?q=mio@")) == ["Abe Mio"]
    assert api(marketer).get("/api/candidates/?account=x").json()["field"] == "account"


def test_a_candidate_is_read_with_its_account(api, marketer, sales, book, candidate):
    body = api(marketer).get(f"/api/candidates/{candidate.pk}/").json()
    assert body["account"]["name"] == "Acme KK"
    assert body["email"] == candidate.email
    ito = book["beta"].candidates.get(name="Ito Ken")
    assert api(sales).get(f"/api/candidates/{ito.pk}/").status_code == 404


@pytest.mark.parametrize(
    "path", ["/api/accounts/", "/api/accounts/1/", "/api/candidates/", "/api/candidates/1/"]
)
def test_anonymous_callers_are_401(api, path):
    assert api(None).get(path).status_code == 401


@pytest.mark.parametrize("path", ["/api/accounts/", "/api/candidates/"])
def test_accounts_and_candidates_are_read_only(api, manager, path):
    response = api(manager).post(path, {"name": "New"}, format="json")
    assert response.status_code == 405
