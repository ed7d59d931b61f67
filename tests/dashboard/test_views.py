"""The dashboard page and its CSV exports: who may see them, what they show."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Department
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/dashboard/"


@pytest.mark.parametrize("who", ["marketer", "sales", "cs"])
def test_non_managers_get_403(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.get("/dashboard/export/stalled.csv").status_code == 403
    assert client.get("/dashboard/export/owners.csv").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get("/dashboard/export/owners.csv").status_code == 302


def test_an_inactive_manager_gets_nothing(client, manager):
    manager.is_active = False
    manager.save()
    client.force_login(manager)
    assert client.get(URL).status_code in (302, 403)


def test_admins_see_the_dashboard(client, db):
    client.force_login(UserFactory(email="root@example.com", is_superuser=True, is_staff=True))
    assert client.get(URL).status_code == 200


def test_the_page_shows_figures_stalled_requests_and_tables(client, dataset):
    client.force_login(dataset.manager)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    board = response.context["board"]
    assert board.total.open == 9 and board.stalled_count == 6
    for key in ("r3", "r4", "r5", "r7", "r9", "r10"):
        request = dataset.requests[key]
        assert reverse("request_detail", args=[request.pk]) in page
    assert "More than half of the owner&#x27;s window has passed." in page
    assert "The owner has deferred it two or more times." in page
    assert "Sato Sales" in page and "Moto Manager" in page
    # Charts: no inline script, the numbers in a JSON block and a table beside each canvas.
    assert 'id="dashboard-data" type="application/json"' in page
    charts = response.context["charts"]
    assert charts["funnel"]["series"][0]["data"] == [10, 7, 2, 1]
    for canvas in ("chart-reasons", "chart-trend", "chart-funnel"):
        assert f'<canvas id="{canvas}" role="img"' in page
    assert page.count("<table") >= 6
    assert "static/vendor/chart.js-4.6.1/chart.umd.min.js" in page
    assert "<script>" not in page


def test_filters_and_sorting(client, dataset):
    client.force_login(dataset.manager)
    response = client.get(URL, {"owner": dataset.chika.pk, "sort": "-since"})
    board = response.context["board"]
    assert [row.request.topic for row in board.stalled] == ["Topic r5", "Topic r4", "Topic r10"]
    assert {row.name for row in board.owners} == {"Chika CS"}
    # A bad value falls back to the default and says so; an unknown sort is ignored.
    response = client.get(URL, {"start": "2026-12-31", "end": "2026-01-01", "sort": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["sort"] == "since"
    assert response.context["board"].total.filed == 10


def test_the_period_filters_the_flow_figures(client, dataset):
    client.force_login(dataset.manager)
    board = client.get(URL, {"start": "2026-11-20", "end": "2026-11-30"}).context["board"]
    assert board.total.filed == 2  # r9 (20 Nov, before the holiday on the 23rd) and r3
    assert board.total.open == 9  # right now, whatever the period
    assert board.stalled_count == 6


def test_team_scoping_when_configured(client, dataset, settings):
    settings.DASHBOARD_TEAM_SCOPE = True
    client.force_login(dataset.moto)
    board = client.get(URL).context["board"]
    assert [row.request for row in board.stalled] == [dataset.requests["r9"]]
    assert board.total.open == 1
    # Asking for the other team changes nothing; neither does another team's owner.
    response = client.get(URL, {"team": dataset.manager.pk, "owner": dataset.sato.pk})
    assert response.context["board"].scope.team_id == dataset.moto.pk
    assert response.context["board"].total.open == 1
    csv_text = client.get("/dashboard/export/stalled.csv", {"team": dataset.manager.pk})
    assert "Topic r3" not in csv_text.content.decode("utf-8-sig")
    # Without the setting, a manager sees every team and may choose one.
    settings.DASHBOARD_TEAM_SCOPE = False
    assert client.get(URL).context["board"].total.open == 9
    chosen = client.get(URL, {"team": dataset.manager.pk}).context["board"]
    assert chosen.total.open == 8


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_stalled_csv(client, dataset):
    dataset.requests["r3"].account.name = "株式会社さくら"
    dataset.requests["r3"].account.save()
    client.force_login(dataset.manager)
    rows = _csv(client.get("/dashboard/export/stalled.csv"))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Request", "Account", "Topic"]
    assert len(body) == 6
    r3 = next(row for row in body if row[2] == "Topic r3")
    assert r3[1] == "株式会社さくら"
    assert r3[6] == "More than half of the owner's window has passed."
    assert r3[8] == "4"
    assert r3[9].endswith(f"/requests/{dataset.requests['r3'].pk}/")


def test_owner_csv(client, dataset):
    client.force_login(dataset.manager)
    rows = _csv(client.get("/dashboard/export/owners.csv"))
    header = rows[0]
    sato = dict(zip(header, next(row for row in rows if row[0] == "Sato Sales"), strict=True))
    assert sato["Team"] == "Mori Manager"
    assert sato["Pending"] == "2"
    assert sato["Median response time (business days)"] == "1.5"
    assert sato["Answered within the window"] == "100%"
    assert sato["Declines"] == "1"


def test_csv_headers_follow_the_language(client, dataset):
    dataset.manager.language = "ja"
    dataset.manager.save()
    client.force_login(dataset.manager)
    with translation.override("ja"):
        response = client.get("/dashboard/export/owners.csv", HTTP_ACCEPT_LANGUAGE="ja")
    rows = _csv(response)
    assert len(rows) == 4  # header and three owners, whatever the words


def test_unknown_export_is_404(client, manager):
    client.force_login(manager)
    assert client.get("/dashboard/export/everything.csv").status_code == 404


def test_chart_data_is_valid_json(client, dataset):
    client.force_login(dataset.manager)
    page = client.get(URL).content.decode()
    start = page.index('id="dashboard-data" type="application/json">') + len(
        'id="dashboard-data" type="application/json">'
    )
    data = json.loads(page[start : page.index("</script>", start)])
    assert set(data) == {"reasons", "trend", "funnel"}
    assert len(data["trend"]["labels"]) == 12


def test_owner_choices_are_people_who_own_accounts(client, dataset):
    UserFactory(email="m3@example.com", name="Mika Marketer", department=Department.MARKETING)
    client.force_login(dataset.manager)
    form = client.get(URL).context["form"]
    owners = {label for _value, label in form.fields["owner"].choices}
    assert "Mika Marketer" not in owners and "Sato Sales" in owners
    teams = {label for _value, label in form.fields["team"].choices}
    assert {"Mori Manager", "Moto Manager"} <= teams


@pytest.mark.parametrize("year", ["0001", "9999"])
def test_dates_far_away_are_refused_not_a_server_error(client, manager, year):
    client.force_login(manager)
    response = client.get(reverse("dashboard"), {"start": f"{year}-01-01", "end": f"{year}-12-31"})
    assert response.status_code == 200
    assert "between 2000 and 2999" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "zone", "text"),
    [
        ("en", "Asia/Tokyo", "since Tue, Nov 24"),
        ("ja", "Asia/Tokyo", "11月24日(火)から"),
        # Filed at 10:00 in Tokyo: the evening before in New York.
        ("en", "America/New_York", "since Mon, Nov 23"),
    ],
)
def test_how_long_a_request_stalled_reads_in_the_managers_language_and_zone(
    client, dataset, language, zone, text
):
    dataset.manager.language = language
    dataset.manager.time_zone = zone
    dataset.manager.save()
    client.force_login(dataset.manager)
    page = client.get(URL, {"owner": dataset.sato.pk}).content.decode()
    assert text in page  # r3, filed on Tuesday 24 November, past half its window since
