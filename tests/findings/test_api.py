"""/api/findings/: the library for scripts, with the pages' permissions and workflow."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import Department
from interviews.models import EventKind, Finding, FindingKind, Notification, NotificationKind
from interviews.workflow import FindingInput
from tests.api.conftest import token_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/findings/"


def batch(completed, candidate, **extra):
    return {
        "request": completed.pk,
        "findings": [
            {"kind": "why_us", "statement": "The audit trail won it."},
            {
                "kind": "describe_us",
                "statement": "They call us their ledger.",
                "quote": "台帳そのものです",
                "speaker": candidate.pk,
                "quotable": True,
            },
        ],
        **extra,
    }


def test_marketing_adds_a_batch_with_one_email_each(completed, candidate, marketer, sales):
    response = token_client(marketer).post(URL, batch(completed, candidate), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()["findings"]
    assert [f["kind"] for f in body] == ["describe_us", "why_us"] or len(body) == 2
    quote = next(f for f in body if f["quote"])
    assert quote["speaker"] == {"id": candidate.pk, "name": "Tanaka Hanako"}
    assert quote["quotable"] is True and quote["account"]["name"] == "Acme KK"
    assert Notification.objects.filter(kind=NotificationKind.FINDINGS_SHARED).count() == 1
    # A retry with the same key adds nothing.
    again = token_client(marketer).post(
        URL, batch(completed, candidate, batch_key="k"), format="json"
    )
    token_client(marketer).post(URL, batch(completed, candidate, batch_key="k"), format="json")
    assert again.status_code == 201 and Finding.objects.count() == 4


def test_list_search_and_filters(completed, candidate, add_findings, sales):
    add_findings(
        FindingInput(kind=FindingKind.WHY_US, statement="決め手は監査ログの使いやすさ"),
        FindingInput(kind=FindingKind.OBJECTION, statement="Price was a worry", quotable=True),
    )
    client = token_client(sales)
    assert client.get(URL).json()["count"] == 2
    (hit,) = client.get(URL, {"q": "監査ログ"}).json()["results"]
    assert hit["kind"] == "why_us" and hit["kind_label"] == "Why they chose us"
    assert client.get(URL, {"kind": "objection"}).json()["count"] == 1
    assert client.get(URL, {"quotable": "true"}).json()["count"] == 1
    assert client.get(URL, {"account": completed.account_id + 1000}).json()["count"] == 0
    assert client.get(URL, {"kind": "nonsense"}).status_code == 400
    assert client.get(URL + "?kind=why_us&kind=objection").status_code == 400


def test_update_corrects_and_records(completed, add_findings, marketer):
    (finding,) = add_findings(FindingInput(kind=FindingKind.WHY_US, statement="Audit."))
    response = token_client(marketer).put(
        f"{URL}{finding.pk}/",
        {"kind": "why_us", "statement": "The audit trail.", "quotable": True},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["statement"] == "The audit trail."
    assert completed.events.filter(kind=EventKind.FINDING_EDITED).exists()


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "why_us", "statement": "x", "quotable": "yes"},
        {"kind": "why_us", "statement": 5},
        {"kind": "why_us", "statement": "x", "quote": "said", "speaker": None},
        {"kind": "why_us", "statement": "x", "speaker": "1"},
    ],
)
def test_bad_bodies_are_400_and_change_nothing(completed, add_findings, marketer, body):
    (finding,) = add_findings(FindingInput(kind=FindingKind.WHY_US, statement="Audit."))
    response = token_client(marketer).put(f"{URL}{finding.pk}/", body, format="json")
    assert response.status_code == 400
    assert {"code", "detail", "field"} <= set(response.json())
    finding.refresh_from_db()
    assert finding.statement == "Audit."


def test_permissions(completed, candidate, add_findings, sales, cs, manager):
    (finding,) = add_findings(FindingInput(kind=FindingKind.WHY_US, statement="Audit."))
    other = UserFactory(department=Department.OTHER)
    assert APIClient().get(URL).status_code == 401
    assert token_client(other).get(URL).status_code == 403
    for reader in (sales, cs, manager):
        assert token_client(reader).get(f"{URL}{finding.pk}/").status_code == 200
    # Sales and CS read; they do not write.
    assert (
        token_client(sales).post(URL, batch(completed, candidate), format="json").status_code == 403
    )
    put = token_client(cs).put(
        f"{URL}{finding.pk}/", {"kind": "why_us", "statement": "x"}, format="json"
    )
    assert put.status_code == 403
    assert (
        token_client(manager).post(URL, batch(completed, candidate), format="json").status_code
        == 201
    )


def test_adding_to_a_request_still_open_is_409(file_request, marketer, clock, candidate):
    request = file_request()
    response = token_client(marketer).post(
        URL,
        {"request": request.pk, "findings": [{"kind": "why_us", "statement": "x"}]},
        format="json",
    )
    assert response.status_code == 409
