"""The dashboard's figures through the API: managers only, the page's scope rules."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from interviews import dashboard, workflow
from interviews.models import Purpose
from tests.conftest import MONDAY_10AM
from tests.factories import AccountFactory, CandidateFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/dashboard/"


@pytest.fixture
def figures_data(clock, marketer, sales, cs, manager):
    """Three requests: Sato answered one and holds one; Chika holds a research request."""
    sales.reports_to = manager
    sales.save()
    made = []
    for owner, purpose in (
        (sales, Purpose.CASE_STUDY),
        (sales, Purpose.CASE_STUDY),
        (cs, "research"),
    ):
        account = AccountFactory(owner=owner)
        made.append(
            workflow.request_file(
                by=marketer,
                account=account,
                candidates=[CandidateFactory(account=account)],
                purpose=purpose,
                topic="T",
                questions="Q?",
            )
        )
    clock.shift(dt.timedelta(hours=3))
    workflow.request_owner_go_ahead(request_id=made[0].pk, by=sales)
    return made


def test_a_manager_reads_the_headline_figures(api, manager, sales, figures_data):
    response = api(manager).get(URL)
    assert response.status_code == 200, response.json()
    body = response.json()
    total = body["total"]
    assert total["filed"] == 3
    assert total["open"] == 3
    assert total["pending"] == 2
    assert total["decided"] == 1
    assert total["answered"] == 1
    assert total["median_response_days"] == 0
    assert total["switched_share"] == 0
    assert body["scope"] == {
        "start": "2026-09-08",
        "end": "2026-11-30",
        "team": None,
        "owner": None,
        "purpose": "",
    }
    sato = next(row for row in body["owners"] if row["person_id"] == sales.pk)
    assert sato["name"] == "Sato Sales"
    assert sato["figures"]["filed"] == 2
    assert {row["name"] for row in body["teams"]} == {"Mori Manager", "No manager"}


def test_the_api_shows_what_the_dashboard_computes(api, manager, figures_data):
    scope = dashboard.Scope.default(MONDAY_10AM)
    expected = dashboard.tables(scope).total
    total = api(manager).get(URL).json()["total"]
    for name in ("open", "pending", "overdue", "filed", "decided", "switched", "completed"):
        assert total[name] == dataclasses.asdict(expected)[name], name


def test_the_scope_narrows_the_figures(api, manager, sales, cs, figures_data):
    body = api(manager).get(f"{URL}?owner={cs.pk}").json()
    assert body["total"]["filed"] == 1
    assert body["scope"]["owner"] == cs.pk
    assert api(manager).get(f"{URL}?purpose=research").json()["total"]["filed"] == 1
    body = api(manager).get(f"{URL}?team={manager.pk}").json()
    assert body["total"]["filed"] == 2
    # A period with nothing filed in it: flow figures are empty, figures about now are not.
    body = api(manager).get(f"{URL}?start=2026-01-01&end=2026-01-31").json()
    assert body["total"]["filed"] == 0
    assert body["total"]["open"] == 3


def test_with_team_scoping_a_manager_sees_their_team_only(
    api, manager, sales, settings, figures_data
):
    settings.DASHBOARD_TEAM_SCOPE = True
    body = api(manager).get(URL).json()
    assert body["scope"]["team"] == manager.pk
    assert body["total"]["filed"] == 2
    # Asking for another team does not widen it.
    other = UserFactory(email="moto@example.com", department="sales", is_manager=True)
    assert api(manager).get(f"{URL}?team={other.pk}").json()["scope"]["team"] == manager.pk


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?start=yesterday", "start"),
        ("?start=1999-12-31", "start"),
        ("?end=9999-12-31", "end"),
        ("?start=2026-11-30&end=2026-11-01", "end"),
        ("?start=2020-01-01&end=2026-11-30", "start"),
        ("?owner=999999", "owner"),
        ("?team=abc", "team"),
        ("?team=", "team"),
        ("?purpose=blog", "purpose"),
    ],
)
def test_a_malformed_scope_is_400(api, manager, query, field):
    response = api(manager).get(URL + query)
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "invalid_input"
    assert response.json()["field"] == field


@pytest.mark.parametrize("role", ["marketer", "sales", "cs", "outsider"])
def test_only_managers_read_the_figures(api, request, role):
    response = api(request.getfixturevalue(role)).get(URL)
    assert response.status_code == 403
    assert response.json() == {
        "code": "not_allowed",
        "detail": "Only managers can see this.",
        "field": None,
    }


def test_administrators_read_the_figures(api, db):
    admin = get_user_model().objects.create_superuser("root@example.com", "pw", name="Root")
    assert api(admin).get(URL).status_code == 200


def test_anonymous_callers_are_401(api, db):
    assert api(None).get(URL).status_code == 401
