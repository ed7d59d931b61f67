"""Who may open what: every URL pattern of the project, for every kind of person.

The patterns are discovered from the URLconf (Django's admin contributes only its index),
so a new view is covered the moment it is routed: a pattern missing from EXPECTED below
fails the test until someone decides, in this one table, who may open it.

Each answer is one of:
  ok           the page or file (2xx)
  invalid      allowed, but the empty form posted here is refused (400, or for a form on a
               request's page, back to that page where it shows with its errors)
  redirect     allowed: done, or sent on to another page (302, not to a sign-in page)
  login        sent to the sign-in page (302)
  admin-login  sent to the admin's sign-in page (302)
  401          the API without credentials (a token or a session)
  403, 404     refused; 404 where even the existence of the thing is private
  405          the method is not one this URL answers

The people: `marketer` filed the requests, `sales` owns their accounts, `cs` is an owner
of other accounts, `manager` is a manager, `admin` a Django superuser. Actions are POSTed
with an empty body (an empty JSON object to the API): the permission check comes before
the form's. Each request runs in a
transaction that is rolled back, so the answers do not depend on the order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import Department
from interviews import jobs, links, workflow
from interviews.notifications import digest
from tests.factories import AccountFactory, CandidateFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "marketer", "sales", "cs", "manager", "admin")


@dataclasses.dataclass(frozen=True)
class Row:
    method: str
    args: Callable[[dict], dict[str, Any]]
    answers: tuple[str, str, str, str, str, str]  # in the order of ROLES
    url: str | None = None  # for a pattern without a name
    api: bool = False  # JSON in (an empty object), JSON out


def api(method: str, args: Callable[[dict], dict], answers: tuple) -> Row:
    return Row(method, args, answers, api=True)


def no_args(world: dict) -> dict:
    return {}


def pk_of(name: str) -> Callable[[dict], dict]:
    return lambda world: {"pk": world[name].pk}


def with_(name: str, **extra) -> Callable[[dict], dict]:
    return lambda world: {"pk": world[name].pk, **extra}


PUBLIC = ("ok",) * 6
SIGNED_IN = ("login", "ok", "ok", "ok", "ok", "ok")
MANAGERS = ("login", "403", "403", "403", "ok", "ok")
API_SIGNED_IN = ("401", "ok", "ok", "ok", "ok", "ok")
API_VISIBLE = ("401", "ok", "ok", "404", "ok", "ok")
API_OWNER_ANSWER = ("401", "403", "invalid", "404", "invalid", "invalid")
API_MARKETING = ("401", "invalid", "403", "404", "invalid", "invalid")
API_MANAGER_ACTION = ("401", "403", "403", "404", "invalid", "invalid")

#                                                 anonymous  marketer  sales  cs  manager  admin
EXPECTED: dict[str, Row] = {
    # --- Signing in; public pages; health ---------------------------------------------------
    "login": Row("GET", no_args, ("ok", *("redirect",) * 5)),
    "logout": Row("POST", no_args, ("redirect",) * 6),
    "password_reset": Row("GET", no_args, PUBLIC),
    "password_reset_done": Row("GET", no_args, PUBLIC),
    "password_reset_confirm": Row(
        "GET", lambda w: {"uidb64": "MQ", "token": "set-password-x"}, PUBLIC
    ),
    "password_reset_complete": Row("GET", no_args, PUBLIC),
    "set_language": Row("POST", no_args, ("redirect",) * 6),
    "healthz": Row("GET", no_args, PUBLIC),
    "readyz": Row("GET", no_args, PUBLIC),
    "how_it_works": Row("GET", no_args, PUBLIC),
    # Answer and unsubscribe links: the signed token is the permission, not a sign-in.
    "action_link": Row("GET", lambda w: {"token": w["token"], "action": "owner_go_ahead"}, PUBLIC),
    "digest_unsubscribe": Row("GET", lambda w: {"token": w["unsubscribe"]}, PUBLIC),
    # --- The admin: staff only, through its own sign-in ------------------------------------
    "admin:index": Row("GET", no_args, ("admin-login",) * 5 + ("ok",)),
    # --- The development mailbox: off without DEBUG (as here), for everyone -----------------
    "dev_mailbox": Row("GET", no_args, ("404",) * 6),
    "dev_mailbox_message": Row("GET", lambda w: {"mail_id": "x"}, ("404",) * 6),
    "dev_mailbox_html": Row("GET", lambda w: {"mail_id": "x"}, ("404",) * 6),
    # --- Requests ------------------------------------------------------------------------------
    "home": Row("GET", no_args, SIGNED_IN),
    "request_new": Row("GET", no_args, ("login", "ok", "403", "403", "ok", "ok")),
    "request_detail": Row("GET", pk_of("waiting"), ("login", "ok", "ok", "404", "ok", "ok")),
    # Only the marketer who asked may change what was asked.
    "request_edit": Row("GET", pk_of("waiting"), ("login", "ok", "403", "404", "403", "403")),
    "request_comment": Row(
        "POST", pk_of("waiting"), ("login", "invalid", "invalid", "404", "invalid", "invalid")
    ),
    # Marketing runs this outreach: the owner may not report for it.
    "request_schedule": Row(
        "POST", pk_of("outreach"), ("login", "invalid", "403", "404", "invalid", "invalid")
    ),
    "request_customer_declined": Row(
        "POST", pk_of("outreach"), ("login", "invalid", "403", "404", "invalid", "invalid")
    ),
    "request_complete": Row(
        "POST", pk_of("scheduled"), ("login", "invalid", "403", "404", "invalid", "invalid")
    ),
    "request_cancel": Row(
        "POST", pk_of("waiting"), ("login", "invalid", "403", "404", "invalid", "invalid")
    ),
    "interview_ics": Row("GET", pk_of("scheduled"), ("login", "ok", "ok", "404", "ok", "ok")),
    # --- Owners' answers, queue and account pauses ---------------------------------------------
    "answer": Row(
        "GET", with_("waiting", action="owner_go_ahead"), ("login", "403", "ok", "404", "ok", "ok")
    ),
    "owner_queue": Row("GET", no_args, ("login", "403", "ok", "ok", "ok", "ok")),
    "pause_account": Row(
        "POST", pk_of("account"), ("login", "403", "redirect", "403", "redirect", "redirect")
    ),
    "unpause_account": Row(
        "POST", pk_of("account"), ("login", "403", "redirect", "403", "redirect", "redirect")
    ),
    # --- Each person's own settings --------------------------------------------------------
    "preferences": Row("GET", no_args, SIGNED_IN),
    "slack_lookup": Row("POST", no_args, ("login", *("redirect",) * 5)),
    # --- The Slack app: Slack's signature is the permission, never a sign-in ----------------
    "slack_interactivity": Row("POST", no_args, ("401",) * 6),
    "slack_events": Row("POST", no_args, ("401",) * 6),
    # --- Accounts and people ----------------------------------------------------------------
    "account_list": Row("GET", no_args, SIGNED_IN),
    "account_search": Row("GET", no_args, SIGNED_IN),
    # An owner sees their own accounts (and those they were asked about), not others'.
    "account_detail": Row("GET", pk_of("account"), ("login", "ok", "ok", "404", "ok", "ok")),
    "candidate_detail": Row("GET", pk_of("candidate"), ("login", "ok", "ok", "404", "ok", "ok")),
    # --- Findings: read by sales, CS, marketing and managers; written by marketing and managers.
    # (`admin` is a superuser, which counts as a manager.)
    "findings": Row("GET", no_args, SIGNED_IN),
    "findings_export": Row("GET", no_args, SIGNED_IN),
    "finding_edit": Row("GET", pk_of("finding"), ("login", "ok", "403", "403", "ok", "ok")),
    "findings_add": Row(
        "POST", pk_of("completed"), ("login", "invalid", "403", "404", "invalid", "invalid")
    ),
    # What sales already has: the owner's side shares it (marketing reads it).
    "sales_context_add": Row(
        "POST", pk_of("waiting"), ("login", "403", "invalid", "404", "invalid", "invalid")
    ),
    # From the answer page an email opened: the signed link is the permission.
    "share_context_link": Row("POST", lambda w: {"token": w["token"]}, ("invalid",) * 6),
    # --- Managers ------------------------------------------------------------------------------
    "manage": Row("GET", with_("waiting", action="extend_deadline"), MANAGERS),
    "dashboard": Row("GET", no_args, MANAGERS),
    "dashboard_export": Row("GET", lambda w: {"table": "stalled"}, MANAGERS),
    "crm_import": Row("GET", no_args, MANAGERS),
    "crm_import_confirm": Row(
        "POST", no_args, ("login", "403", "403", "403", "redirect", "redirect")
    ),
    "crm_import_cancel": Row(
        "POST", no_args, ("login", "403", "403", "403", "redirect", "redirect")
    ),
    # --- The REST API: a token or a session; JSON answers, 401 without credentials ----------
    # The same rules as the pages: requests and accounts visible as on the site (another
    # owner's are 404), actions for those who may take them (an empty body is refused).
    "api-request-list": api("GET", no_args, API_SIGNED_IN),
    "api-request-detail": api("GET", pk_of("waiting"), API_VISIBLE),
    "api-account-list": api("GET", no_args, API_SIGNED_IN),
    "api-account-detail": api("GET", pk_of("account"), API_VISIBLE),
    "api-candidate-list": api("GET", no_args, API_SIGNED_IN),
    "api-candidate-detail": api("GET", pk_of("candidate"), API_VISIBLE),
    "api-request-owner-will-reach-out": api("POST", pk_of("waiting"), API_OWNER_ANSWER),
    "api-request-owner-go-ahead": api("POST", pk_of("waiting"), API_OWNER_ANSWER),
    "api-request-defer": api("POST", pk_of("waiting"), API_OWNER_ANSWER),
    "api-request-decline": api("POST", pk_of("waiting"), API_OWNER_ANSWER),
    "api-request-schedule": api("POST", pk_of("outreach"), API_MARKETING),
    "api-request-customer-declined": api("POST", pk_of("outreach"), API_MARKETING),
    "api-request-complete": api("POST", pk_of("scheduled"), API_MARKETING),
    "api-request-cancel": api("POST", pk_of("waiting"), API_MARKETING),
    "api-request-extend-deadline": api("POST", pk_of("waiting"), API_MANAGER_ACTION),
    "api-request-reassign-owner": api("POST", pk_of("waiting"), API_MANAGER_ACTION),
    "api-request-force-switch": api("POST", pk_of("waiting"), API_MANAGER_ACTION),
    "api-dashboard": api("GET", no_args, ("401", "403", "403", "403", "ok", "ok")),
    "api-finding-list": api("GET", no_args, API_SIGNED_IN),
    "api-finding-detail": api("GET", pk_of("finding"), API_SIGNED_IN),
    # The API's description is public (it holds no data).
    "api-schema": api("GET", no_args, PUBLIC),
    "api-docs": api("GET", no_args, PUBLIC),
    # Anything else under /api/: a JSON 404 for everyone.
    "<unnamed ^.*/$>": Row("GET", no_args, ("404",) * 6, url="/api/no-such-thing/", api=True),
}


# --- Discovering the patterns ----------------------------------------------------------------


def discover(patterns=None, namespace: str | None = None) -> Iterator[str]:
    """The name of every routed pattern (its route where it has no name)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace) if n) or None
            yield from discover(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            if namespace == "admin" and entry.name != "index":
                continue  # the admin's own pages follow its own staff check
            name = entry.name or f"<unnamed {entry.pattern}>"
            yield f"{namespace}:{name}" if namespace else name


def test_every_url_pattern_is_in_the_table():
    routed = set(discover())
    unknown = sorted(routed - EXPECTED.keys())
    assert not unknown, (
        f"URL patterns with no expected answers: {unknown}. Add each to EXPECTED in "
        "tests/reliability/test_permission_matrix.py, saying who may open it."
    )
    gone = sorted(EXPECTED.keys() - routed)
    assert not gone, f"EXPECTED lists patterns that are no longer routed: {gone}"


# --- Asking every URL as every person ----------------------------------------------------------


@pytest.fixture
def world(clock, marketer, sales, cs, manager, account, candidate):
    admin = UserFactory(
        email="admin@example.com",
        name="Ada Admin",
        department=Department.OTHER,
        is_staff=True,
        is_superuser=True,
    )
    waiting = workflow.request_file(
        by=marketer,
        account=account,
        candidates=[candidate],
        purpose="case_study",
        topic="Matrix",
        questions="?",
    )
    others = []
    for _ in range(2):
        other = AccountFactory(owner=sales)
        request = workflow.request_file(
            by=marketer,
            account=other,
            candidates=[CandidateFactory(account=other)],
            purpose="research",
            topic="Matrix",
            questions="?",
        )
        workflow.request_owner_go_ahead(request_id=request.pk, by=sales)
        others.append(request)
    outreach, scheduled = others
    done_account = AccountFactory(owner=sales)
    completed = workflow.request_file(
        by=marketer,
        account=done_account,
        candidates=[CandidateFactory(account=done_account)],
        purpose="research",
        topic="Matrix",
        questions="?",
    )
    workflow.request_owner_go_ahead(request_id=completed.pk, by=sales)
    workflow.request_schedule(
        request_id=completed.pk, by=marketer, interview_at=timezone.now(), location="Online"
    )
    workflow.request_complete(request_id=completed.pk, by=marketer, outcome_summary="Done")
    (finding,) = workflow.findings_add(
        request_id=completed.pk,
        by=marketer,
        items=[workflow.FindingInput(kind="why_us", statement="Audit trail.")],
    )
    workflow.request_schedule(
        request_id=scheduled.pk,
        by=marketer,
        interview_at=timezone.now() + dt.timedelta(days=5),
        location="Online",
        participants="",
    )
    jobs.process_deadlines()  # /readyz wants a recent run of the minute job
    return {
        "people": {
            "marketer": marketer,
            "sales": sales,
            "cs": cs,
            "manager": manager,
            "admin": admin,
        },
        "waiting": waiting,
        "outreach": outreach,
        "scheduled": scheduled,
        "completed": completed,
        "finding": finding,
        "account": account,
        "candidate": candidate,
        "token": links.make_token(waiting, sales),
        "unsubscribe": digest.unsubscribe_token(manager),
    }


def outcome(response) -> str:
    code = response.status_code
    if 200 <= code < 300:
        return "ok"
    if code == 400:
        return "invalid"
    if code in (301, 302):
        location = response["Location"]
        if re.search(r"/requests/\d+/#(action-[a-z_]+|comments)$", location):
            return "invalid"  # post/redirect/get: the page shows the form with its errors
        if location.startswith(reverse("admin:login")):
            return "admin-login"
        if location.startswith(reverse(django_settings.LOGIN_URL)):
            return "login" if "next=" in location else "redirect"
        return "redirect"
    return str(code)


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_person_as_the_table_says(world, role):
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(world["people"][role])
    index = ROLES.index(role)
    wrong = []
    for name in sorted(set(discover())):
        row = EXPECTED[name]
        url = row.url or reverse(name, kwargs=row.args(world))
        body = {"data": "{}", "content_type": "application/json"} if row.api else {}
        with transaction.atomic():
            response = client.generic(row.method, url, **body)
            transaction.set_rollback(True)
        if name == "logout" and role != "anonymous":
            client.force_login(world["people"][role])  # the cookie went with the answer
        got, expected = outcome(response), row.answers[index]
        if got != expected:
            wrong.append(f"{row.method} {url} ({name}): expected {expected}, got {got}")
    assert not wrong, f"as {role}:\n" + "\n".join(wrong)
