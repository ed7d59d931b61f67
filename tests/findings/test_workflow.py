"""Adding and correcting findings: who may, what is checked, the timeline, the batch email."""

from __future__ import annotations

import pytest

from interviews import text_search, workflow
from interviews.errors import InvalidInput, InvalidTransition, NotAllowed
from interviews.models import (
    Channel,
    EventKind,
    Finding,
    FindingKind,
    Notification,
    NotificationKind,
)
from interviews.workflow import FindingInput
from tests.factories import CandidateFactory, UserFactory

pytestmark = pytest.mark.django_db

WHY = FindingInput(kind=FindingKind.WHY_US, statement="They chose us for the audit trail.")


def test_a_batch_is_stored_with_one_timeline_event(add_findings, completed, candidate, marketer):
    version = completed.version
    found = add_findings(
        WHY,
        FindingInput(
            kind=FindingKind.DESCRIBE_US,
            statement="They call us their ledger.",
            quote="経理の台帳そのものです",
            speaker_id=candidate.pk,
            quotable=True,
        ),
    )

    assert [f.kind for f in found] == [FindingKind.WHY_US, FindingKind.DESCRIBE_US]
    assert found[1].speaker == candidate and found[1].quotable
    assert found[1].account_id == completed.account_id
    event = completed.events.get(kind=EventKind.FINDINGS_ADDED)
    assert event.actor == marketer and event.details["count"] == 2
    completed.refresh_from_db()
    # Knowledge, not state: the owner's links stay valid.
    assert completed.version == version


def test_one_email_per_batch_to_the_owner_and_the_owners_manager(
    add_findings, completed, sales, manager
):
    sales.reports_to = manager
    sales.save()
    add_findings(WHY, FindingInput(kind=FindingKind.OBJECTION, statement="Price was a worry."))

    rows = Notification.objects.filter(kind=NotificationKind.FINDINGS_SHARED)
    assert sorted(rows.values_list("recipient__email", "channel")) == [
        ("manager@example.com", Channel.EMAIL),
        ("sales@example.com", Channel.EMAIL),
    ]
    assert all(len(n.payload["finding_ids"]) == 2 for n in rows)

    add_findings(FindingInput(kind=FindingKind.BEFORE, statement="Spreadsheets."))
    assert rows.all().count() == 4  # a second batch, a second email each


def test_the_owners_team_channel_hears_when_it_has_one(add_findings, sales, manager):
    manager.slack_webhook_url = "https://hooks.example.test/T1"
    manager.save()
    sales.reports_to = manager
    sales.save()
    add_findings(WHY)
    assert Notification.objects.filter(
        kind=NotificationKind.FINDINGS_SHARED, channel=Channel.SLACK, recipient=manager
    ).exists()


def test_a_resubmitted_form_adds_nothing_twice(add_findings):
    first = add_findings(WHY, batch_key="k1")
    again = add_findings(WHY, batch_key="k1")
    assert [f.pk for f in again] == [f.pk for f in first]
    assert Finding.objects.count() == 1
    assert Notification.objects.filter(kind=NotificationKind.FINDINGS_SHARED).count() == 1


def test_only_marketing_and_managers_write(add_findings, sales, manager):
    with pytest.raises(NotAllowed):
        add_findings(WHY, by=sales)
    assert add_findings(WHY, by=manager)


def test_findings_wait_for_the_interview(file_request, marketer):
    request = file_request()
    with pytest.raises(InvalidTransition):
        workflow.findings_add(request_id=request.pk, by=marketer, items=[WHY])


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (FindingInput(kind="nonsense", statement="x"), "kind"),
        (FindingInput(kind=FindingKind.WHY_US, statement="  "), "statement"),
        (FindingInput(kind=FindingKind.WHY_US, statement="x" * 1001), "statement"),
        (FindingInput(kind=FindingKind.WHY_US, statement="x", quote="said it"), "speaker"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(add_findings, item, field):
    with pytest.raises(InvalidInput) as error:
        add_findings(item)
    assert error.value.field == field
    assert not Finding.objects.exists()


def test_the_speaker_must_be_one_of_the_people_interviewed(add_findings, account):
    stranger = CandidateFactory(account=account, name="Not Interviewed")
    with pytest.raises(InvalidInput) as error:
        add_findings(
            FindingInput(kind=FindingKind.WHY_US, statement="x", quote="y", speaker_id=stranger.pk)
        )
    assert error.value.field == "speaker"


def test_an_edit_is_on_the_timeline_with_what_it_said_before(add_findings, completed, marketer):
    (finding,) = add_findings(WHY)
    workflow.finding_edit(
        finding_id=finding.pk,
        by=marketer,
        item=FindingInput(kind=FindingKind.WHY_US, statement="The audit trail.", quotable=True),
    )
    finding.refresh_from_db()
    assert finding.statement == "The audit trail." and finding.quotable
    assert "audit trail." in finding.search_text
    # Short words are found through the grams, kept in step with the text.
    assert finding.search_grams == text_search.grams(finding.search_text)
    assert {"tr", "u"} <= set(finding.search_grams.split())
    event = completed.events.get(kind=EventKind.FINDING_EDITED)
    assert event.details["changed"] == ["statement", "quotable"]
    assert event.details["before"]["statement"] == WHY.statement


def test_an_edit_that_changes_nothing_records_nothing(add_findings, completed, marketer):
    (finding,) = add_findings(WHY)
    workflow.finding_edit(finding_id=finding.pk, by=marketer, item=WHY)
    assert not completed.events.filter(kind=EventKind.FINDING_EDITED).exists()


def test_sales_cannot_edit(add_findings, sales):
    (finding,) = add_findings(WHY)
    with pytest.raises(NotAllowed):
        workflow.finding_edit(finding_id=finding.pk, by=sales, item=WHY)


def test_readers_are_sales_cs_marketing_and_managers(sales, cs, marketer, manager):
    from interviews import permissions

    other = UserFactory(department="other")
    assert all(permissions.can_read_findings(u) for u in (sales, cs, marketer, manager))
    assert not permissions.can_read_findings(other)


def test_the_industry_comes_from_the_crm_and_a_file_without_it_keeps_it(manager):
    from pathlib import Path

    from accounts.models import Account
    from interviews.crm_import.service import run_import

    files = Path(__file__).resolve().parents[1] / "fixtures" / "crm"
    for name, kind in (("salesforce_users.csv", "owners"), ("salesforce_accounts.csv", "accounts")):
        run_import(
            (files / name).read_bytes(), kind=kind, layout="salesforce", by=manager, dry_run=False
        )
    sakura = Account.objects.get(crm_id="0015g00000AbC01")
    assert sakura.industry == "Manufacturing"
    # A custom mapping without the column changes nothing about it.
    plan = run_import(
        b"Id,Name,Owner\n0015g00000AbC01,Sakura,kenta.sato@example.com\n",
        kind="accounts",
        layout="custom",
        custom_mapping='{"crm_id": "Id", "name": "Name", "owner_email": "Owner"}',
        by=manager,
        dry_run=False,
    )
    assert plan.counts["update"] == 1
    sakura.refresh_from_db()
    assert sakura.industry == "Manufacturing" and sakura.name == "Sakura"


def test_a_finding_keeps_its_requests_purpose_and_grams(add_findings, completed):
    (finding,) = add_findings(FindingInput(kind=FindingKind.WHY_US, statement="価格が決め手"))
    finding.refresh_from_db()
    # The library filters by purpose without joining the requests.
    assert finding.purpose == completed.purpose
    # Each one- and two-character piece once, for the shortest words (価格 is in it, 手が
    # is not).
    assert finding.search_grams == "が が決 め め手 価 価格 手 格 格が 決 決め"
