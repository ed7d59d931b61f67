"""Property-based fuzzing of every form and the email answer links, through the web.

Each target posts (or gets) random and hostile values — huge strings, control characters,
NUL bytes, wrong types (lists where one value is expected, numbers where dates are),
mixed scripts and bidi controls, dates far away, SQL, template and HTML fragments — and
the email link endpoint gets forged, truncated, re-signed and random tokens, random
actions and random bodies. For every example:

- the answer is never a server error (< 500);
- an HTML answer never contains one of our script fragments unescaped;
- unless the answer is the view's own "done" redirect, nothing in the database changed.

Whole requests are fuzzed too: every route that takes a POST gets bodies in random
charsets (Shift_JIS, UTF-16, unknown ones...) under random content types, as a browser
would be treated in production (CSRF check on), and every API operation gets JSON of any
shape (wrong types, NUL, huge numbers, nesting to 50,000 levels) in its body or query.
Nothing answers 5xx, and whatever is refused changes nothing.

Each example runs in a transaction that is rolled back, so examples do not pile up.

How many examples: 200 per target by default (CI), derandomized so that CI is repeatable.
For a long exploratory session, with a fresh random seed each run:

    HYPOTHESIS_PROFILE=long uv run pytest tests/reliability/test_fuzz.py     # 20,000 each
    FUZZ_EXAMPLES=100000 HYPOTHESIS_PROFILE=long uv run pytest tests/reliability/test_fuzz.py
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
from collections.abc import Callable
from typing import Any

import pytest
from django.core import signing
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviews import links, workflow
from interviews.api.actions import ACTION_NAMES
from interviews.models import InterviewRequest
from tests.factories import AccountFactory, CandidateFactory

pytestmark = pytest.mark.django_db

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or (20_000 if PROFILE == "long" else 200))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=PROFILE != "long",
    # CI repeats the same examples and keeps nothing; a long session remembers what failed
    # (in .hypothesis/) and tries it first next time.
    **({} if PROFILE == "long" else {"database": None}),
    suppress_health_check=list(HealthCheck),
)

# --- Hostile values ------------------------------------------------------------------------

# Fragments that must never come back unescaped in an HTML page.
XSS = "<script>xss(1)</script>"
XSS_ATTR = '"><img src=x onerror=xss(2)>'
UNESCAPED = (XSS.encode(), XSS_ATTR.encode())

HOSTILE = [
    "",
    " ",
    XSS,
    XSS_ATTR,
    "' OR '1'='1' --",
    "1; DROP TABLE interviews_interviewrequest; --",
    "%s%s%s%n",
    "{{ request.user.password }}",
    "{% debug %}",
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",
    "\ufeff\u200b\u200d",
    "e\u0301" * 40,
    "𝕏🙂" * 60,
    "東京都千代田区丸の内" * 30,
    "مرحبا بالعالم",
    "A" * 5000,
    "B" * 100_001,
    "-1",
    "0",
    "1.5",
    "99999999999999999999999",
    "1e309",
    "NaN",
    # Digits to str.isdigit(), not to int(): "²", "①".
    "²",
    "①",
    "0001-01-01",
    "9999-12-31",
    # Midnight of year 1 is year 0 in UTC east of Greenwich; the last minute of 9999, west.
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "10000-01-01",
    "2026-02-30",
    "2026-12-10T25:61",
    "2026-12-10T14:00+09:00",
    "../../etc/passwd",
    "javascript:alert(1)",
    "//evil.example/",
    "\r\nSet-Cookie: x=1",
    "null",
    "[]",
    "{}",
]

# Any text a browser could send (no lone surrogates: they cannot be encoded).
any_text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=400)
hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    any_text,
    st.builds(lambda a, b: a + XSS + b, any_text, any_text),
    st.builds(lambda a: a + XSS_ATTR, any_text),
    st.integers().map(str),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.datetimes().map(lambda d: d.isoformat(timespec="minutes")),
)
# Wrong types: several values where one is expected.
hostile_value = st.one_of(hostile_text, st.lists(hostile_text, min_size=2, max_size=3))


def near_dates() -> st.SearchStrategy[str]:
    """Plausible dates, so that validation deeper than the field is reached."""
    today = timezone.localdate()
    return st.integers(-40, 400).map(lambda d: (today + dt.timedelta(days=d)).isoformat())


def form(plausible: dict[str, st.SearchStrategy], *, extra: tuple[str, ...] = ()):
    """Each field plausible, hostile or missing; sometimes fields the form does not have."""
    optional = {name: st.one_of(strategy, hostile_value) for name, strategy in plausible.items()}
    for name in ("unexpected", "csrfmiddlewaretoken", "_action", "pk", "status", *extra):
        optional.setdefault(name, hostile_value)
    return st.fixed_dictionaries({}, optional=optional)


def choices(values) -> st.SearchStrategy[str]:
    return st.sampled_from(list(values))


# --- What must hold for every example --------------------------------------------------------


# One query, so that checking costs little beside the request: every change the workflow
# makes appends an event or a notification or bumps a version; account pauses, comments,
# new people and language choices are counted on their own.
SNAPSHOT_SQL = """
SELECT
    (SELECT COUNT(*) FROM interviews_interviewrequest),
    (SELECT COALESCE(SUM(version), 0) FROM interviews_interviewrequest),
    (SELECT COUNT(*) FROM interviews_requestevent),
    (SELECT COUNT(*) FROM interviews_notification),
    (SELECT COUNT(*) FROM interviews_comment),
    (SELECT COUNT(*) FROM interviews_candidate),
    (SELECT COUNT(*) FROM accounts_account),
    (SELECT COUNT(sensitive_until) FROM accounts_account),
    (SELECT COUNT(*) FROM accounts_user),
    (SELECT COUNT(*) FROM accounts_user WHERE language = 'ja')
"""


def snapshot() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(SNAPSHOT_SQL)
        return tuple(cursor.fetchone())


class Examples:
    """Counts what ran, for the report at the end of the session."""

    total = 0


def check(send: Callable[[], Any], *, done: Callable[[Any], bool] = lambda r: False):
    """Run one request in a transaction that is rolled back, and check the invariants."""
    Examples.total += 1
    with transaction.atomic():
        before = snapshot()
        response = send()
        assert response.status_code < 500, response.status_code
        if "html" in response.get("Content-Type", ""):
            body = response.content
            for fragment in UNESCAPED:
                assert fragment not in body, f"unescaped {fragment!r} in the page"
        if not done(response):
            assert snapshot() == before, "an invalid input changed the database"
        transaction.set_rollback(True)
    return response


def redirects_to(name: str, *args) -> Callable[[Any], bool]:
    target = reverse(name, args=args)
    return lambda r: r.status_code == 302 and r["Location"].split("#")[0] == target


# --- The world the fuzzers act on ------------------------------------------------------------


@pytest.fixture
def world(clock, settings, tmp_path, marketer, sales, cs, manager, account, candidate):
    settings.ACTION_LINK_RATE_PER_LINK_PER_MINUTE = 10**9
    settings.ACTION_LINK_RATE_PER_ADDRESS_PER_MINUTE = 10**9
    settings.LOGIN_ATTEMPTS_PER_ACCOUNT = settings.LOGIN_ATTEMPTS_PER_IP = 10**9
    settings.PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR = settings.PASSWORD_RESETS_PER_IP_PER_HOUR = 10**9
    settings.VAR_DIR = tmp_path / "var"
    # Sessions in signed cookies: two fewer queries per example, the same views.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    waiting = workflow.request_file(
        by=marketer,
        account=account,
        candidates=[candidate],
        purpose="case_study",
        topic="Why Acme moved",
        questions="What changed?",
    )
    other = AccountFactory(owner=sales, name="Beta KK")
    outreach = workflow.request_file(
        by=marketer,
        account=other,
        candidates=[CandidateFactory(account=other)],
        purpose="research",
        topic="Research",
        questions="Why?",
    )
    workflow.request_owner_go_ahead(request_id=outreach.pk, by=sales)
    third = AccountFactory(owner=cs, name="Gamma KK")
    scheduled = workflow.request_file(
        by=marketer,
        account=third,
        candidates=[CandidateFactory(account=third)],
        purpose="testimonial",
        topic="Quote",
        questions="?",
    )
    workflow.request_owner_go_ahead(request_id=scheduled.pk, by=cs)
    workflow.request_schedule(
        request_id=scheduled.pk,
        by=marketer,
        interview_at=timezone.now() + dt.timedelta(days=3),
        location="Online",
        participants="",
    )
    fourth = AccountFactory(owner=sales, name="Delta KK")
    completed = workflow.request_file(
        by=marketer,
        account=fourth,
        candidates=[CandidateFactory(account=fourth)],
        purpose="case_study",
        topic="Done",
        questions="?",
    )
    workflow.request_owner_go_ahead(request_id=completed.pk, by=sales)
    workflow.request_schedule(request_id=completed.pk, by=marketer, interview_at=timezone.now())
    workflow.request_complete(request_id=completed.pk, by=marketer, outcome_summary="Done")
    (finding,) = workflow.findings_add(
        request_id=completed.pk,
        by=marketer,
        items=[workflow.FindingInput(kind="why_us", statement="Audit trail.")],
    )
    clients = {}
    for name, user in (("marketer", marketer), ("sales", sales), ("manager", manager)):
        clients[name] = Client(raise_request_exception=True)
        clients[name].force_login(user)
    clients["anonymous"] = Client(raise_request_exception=True)
    return {
        "waiting": InterviewRequest.objects.get(pk=waiting.pk),
        "outreach": InterviewRequest.objects.get(pk=outreach.pk),
        "scheduled": InterviewRequest.objects.get(pk=scheduled.pk),
        "completed": InterviewRequest.objects.get(pk=completed.pk),
        "finding": finding,
        "account": account,
        "candidate": candidate,
        "sales": sales,
        "cs": cs,
        "marketer": marketer,
        "manager": manager,
        "web": clients,
    }


def ids(*values) -> st.SearchStrategy[str]:
    return st.sampled_from([str(v) for v in values] + ["0", "-1", "999999999"])


# --- Marketers' forms ------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_filing(world, data):
    account, candidate = world["account"], world["candidate"]
    other = world["outreach"].account
    fields = data.draw(
        form(
            {
                "account": ids(account.pk, other.pk),
                "previewed_account": ids(account.pk, other.pk),
                "account_q": hostile_text,
                "candidates": st.lists(ids(candidate.pk), max_size=2),
                "new_candidate_name": hostile_text,
                "new_candidate_email": st.emails(),
                "new_candidate_title": hostile_text,
                "purpose": choices(["case_study", "research", "testimonial", "other"]),
                "topic": hostile_text,
                "questions": hostile_text,
                "needed_by": near_dates(),
                "note_to_owner": hostile_text,
                "response_window_days": st.integers(-5, 40).map(str),
                "override_reason": hostile_text,
                "_action": choices(["file", "search", "choose", "preview"]),
            }
        )
    )
    htmx = data.draw(st.booleans())
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "account-panel"} if htmx else {}
    client = world["web"]["marketer"]
    if data.draw(st.booleans()):
        check(lambda: client.get(reverse("request_new"), fields, **headers))
    else:
        check(
            lambda: client.post(reverse("request_new"), fields, **headers),
            done=lambda r: r.status_code == 302 and "/requests/" in r["Location"],
        )


# The request page's forms: edit, comment, schedule, the customer said no, complete, cancel.
# (form name, the request it acts on, who submits it, plausible fields)
REQUEST_PAGE_FORMS = {
    "edit": (
        "waiting",
        "marketer",
        {
            "purpose": choices(["case_study", "research"]),
            "topic": hostile_text,
            "questions": hostile_text,
            "candidates": st.just("candidate"),
            "needed_by": near_dates(),
            "note_to_owner": hostile_text,
        },
    ),
    "comment": ("waiting", "any", {"comment-body": hostile_text}),
    "schedule": (
        "outreach",
        "marketer",
        {
            "schedule-interview_at": near_dates().map(lambda d: d + "T14:00"),
            "schedule-location": hostile_text,
            "schedule-participants": hostile_text,
            "schedule-expected_version": st.just("version"),
        },
    ),
    "customer_declined": (
        "outreach",
        "marketer",
        {"declined-reason": hostile_text, "declined-expected_version": st.just("version")},
    ),
    "complete": (
        "scheduled",
        "marketer",
        {
            "complete-outcome_summary": hostile_text,
            "complete-outcome_learnings": hostile_text,
            "complete-outcome_quotes": hostile_text,
            "complete-published_url": st.one_of(st.just("https://example.com/x"), hostile_text),
            "complete-expected_version": st.just("version"),
        },
    ),
    "cancel": (
        "waiting",
        "marketer",
        {"cancel-reason": hostile_text, "cancel-expected_version": st.just("version")},
    ),
}


@FUZZ
@given(data=st.data())
def test_request_page_forms(world, data):
    name = data.draw(st.sampled_from(sorted(REQUEST_PAGE_FORMS)))
    which, who, plausible = REQUEST_PAGE_FORMS[name]
    request = world[which]
    fields = data.draw(form(plausible))
    # Placeholders for values only known at run time.
    for key, value in fields.items():
        if value == "version":
            fields[key] = str(request.version)
        elif value == "candidate":
            fields[key] = [str(world["candidate"].pk)]
    if who == "any":
        who = data.draw(st.sampled_from(["marketer", "sales", "manager"]))
    url = reverse(f"request_{name}", args=[request.pk])
    check(
        lambda: world["web"][who].post(url, fields),
        done=redirects_to("request_detail", request.pk),
    )


DECISION_FIELDS = {
    "note": hostile_text,
    "until": near_dates(),
    "reason_category": choices(["bad_timing", "open_issue", "customer_busy", "other"]),
    "reason": hostile_text,
    "pause_account_until": near_dates(),
}


@FUZZ
@given(data=st.data())
def test_owner_answers_signed_in(world, data):
    request = world["waiting"]
    action = data.draw(st.sampled_from([*links.OWNER_ACTIONS, "approve", "delete"]))
    fields = data.draw(form({**DECISION_FIELDS, "version": st.just(str(request.version))}))
    who = data.draw(st.sampled_from(["sales", "manager", "marketer"]))
    url = reverse("answer", args=[request.pk, action])
    send = world["web"][who].get if data.draw(st.booleans()) else world["web"][who].post
    check(
        lambda: send(url, fields),
        done=lambda r: (
            who != "marketer"
            and redirects_to("request_detail", request.pk)(r)
            and InterviewRequest.objects.get(pk=request.pk).version != request.version
        ),
    )


@FUZZ
@given(data=st.data())
def test_manager_overrides(world, data):
    request = world["waiting"]
    action = data.draw(
        st.sampled_from(["extend_deadline", "reassign_owner", "force_switch", "delete"])
    )
    fields = data.draw(
        form(
            {
                "version": st.just(str(request.version)),
                "extra_business_days": st.integers(-3, 40).map(str),
                "new_owner": ids(world["cs"].pk, world["sales"].pk, world["marketer"].pk),
                "reason": hostile_text,
            }
        )
    )
    check(
        lambda: world["web"]["manager"].post(reverse("manage", args=[request.pk, action]), fields),
        done=redirects_to("request_detail", request.pk),
    )


@FUZZ
@given(data=st.data())
def test_account_pause(world, data):
    account = world["account"]
    fields = data.draw(form({"until": near_dates(), "reason": hostile_text, "next": hostile_text}))
    who = data.draw(st.sampled_from(["sales", "marketer"]))
    response = check(
        lambda: world["web"][who].post(reverse("pause_account", args=[account.pk]), fields),
        done=lambda r: r.status_code == 302,  # the page says what happened in a message
    )
    if response.status_code == 302:
        location = response["Location"]
        assert location.startswith("/") and not location.startswith("//"), location


# --- The email answer link ------------------------------------------------------------------


def _tokens(world) -> st.SearchStrategy[str]:
    request, owner = world["waiting"], world["sales"]
    genuine = links.make_token(request, owner)
    other_people = links.make_token(request, world["marketer"])
    wrong_salt = signing.dumps({"r": request.pk, "u": owner.pk, "v": 1}, salt="other")
    wrong_key = signing.dumps(
        {"r": request.pk, "u": owner.pk, "v": 1}, salt=links.SALT, key="not-our-secret"
    )
    body, _, _signature = genuine.rpartition(":")
    return st.one_of(
        st.just(genuine),
        st.just(other_people),
        st.just(wrong_salt),
        st.just(wrong_key),
        st.integers(1, len(genuine) - 1).map(lambda n: genuine[:n]),  # truncated
        st.integers(0, len(genuine) - 1).map(  # one character changed
            lambda n: genuine[:n] + ("A" if genuine[n] != "A" else "B") + genuine[n + 1 :]
        ),
        st.builds(lambda s: body + ":" + s, st.text("abcdefABCDEF0123456789-_", max_size=60)),
        st.builds(  # a payload we made up, signed with the real key and salt but wrong types
            lambda r, u, v: signing.dumps({"r": r, "u": u, "v": v}, salt=links.SALT),
            # Floats include infinity, which int() cannot take (OverflowError).
            st.one_of(st.integers(), st.floats(), st.text(max_size=5), st.none()),
            st.one_of(st.integers(), st.floats(), st.just(owner.pk)),
            st.one_of(st.integers(), st.floats(), st.lists(st.integers(), max_size=2)),
        ),
        st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:"),
    )


def _digest_unsubscribe(world, data) -> None:
    token = data.draw(st.one_of(st.text(max_size=200), _tokens(world)))
    if not token or "/" in token:
        return
    url = reverse("digest_unsubscribe", args=[token])
    if data.draw(st.booleans()):
        body = {"List-Unsubscribe": "One-Click"}
    else:
        body = data.draw(form({"subscribe": st.sampled_from(["0", "1"])}))
    check(lambda: world["web"]["anonymous"].post(url, body))


@FUZZ
@given(data=st.data())
def test_email_answer_and_unsubscribe_links(world, data):
    if data.draw(st.integers(0, 4)) == 0:  # a fifth of the time: the digest's link
        _digest_unsubscribe(world, data)
        return
    request = world["waiting"]
    token = data.draw(_tokens(world))
    action = data.draw(
        st.one_of(
            st.sampled_from(links.OWNER_ACTIONS),
            st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-0123456789", min_size=1, max_size=30),
        )
    )
    if not token or "/" in token:
        return
    url = f"/r/{token}/{action}/"
    client = world["web"]["anonymous"]
    method = data.draw(st.sampled_from(["get", "post", "head", "put", "raw"]))
    if method == "raw":  # bytes that are not valid UTF-8, as a form body
        raw = data.draw(st.binary(max_size=300))
        send = lambda: client.post(  # noqa: E731
            url, data=raw, content_type="application/x-www-form-urlencoded"
        )
    elif method == "post":
        fields = data.draw(form(DECISION_FIELDS))
        send = lambda: client.post(url, fields)  # noqa: E731
    else:
        send = lambda: getattr(client, method)(url)  # noqa: E731
    genuine = token == links.make_token(request, world["sales"])
    check(
        send,
        # Only the genuine link, posted with a valid answer, may change anything.
        done=lambda r: genuine and method in ("post", "raw") and r.status_code == 302,
    )


# --- Sign-in, password reset, language -------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_sign_in_password_reset_and_language(world, data):
    target = data.draw(st.sampled_from(["login", "password_reset", "set_language"]))
    client = world["web"]["anonymous" if target != "set_language" else "marketer"]
    if target == "login":
        fields = data.draw(
            form({"username": st.one_of(st.emails(), hostile_text), "password": hostile_text})
        )
    elif target == "password_reset":
        fields = data.draw(form({"email": st.one_of(st.emails(), hostile_text)}))
    else:
        fields = data.draw(form({"language": choices(["en", "ja", "fr"]), "next": hostile_text}))
    check(
        lambda: client.post(reverse(target), fields),
        # A language switch is remembered on the user: a change only when it is one we have.
        done=lambda r: target == "set_language" and fields.get("language") in ("en", "ja"),
    )


# --- Lists, filters, search, the dashboard, CRM import ---------------------------------------


FINDING_FILTERS = (
    "q",
    "kind",
    "industry",
    "purpose",
    "account",
    "date_from",
    "date_to",
    "quotable",
)


@FUZZ
@given(data=st.data())
def test_filters_and_search(world, data):
    target = data.draw(
        st.sampled_from(
            [
                (
                    "marketer",
                    "home",
                    ["q", "status", "owner", "account", "purpose", "mine", "sort", "page"],
                ),
                ("marketer", "account_list", ["q", "page"]),
                ("marketer", "account_search", ["account_q"]),
                ("manager", "dashboard", ["team", "owner", "purpose", "start", "end", "sort"]),
                *(
                    ("marketer", name, [*FINDING_FILTERS, "page"])
                    for name in ("findings", "findings_export")
                ),
            ]
        )
    )
    who, name, fields = target
    plausible = dict.fromkeys(fields, hostile_text)
    # Dates at the ends of the calendar once overflowed the weekly trend and the findings'
    # day boundaries (500s).
    edges = st.sampled_from(["0001-01-01", "1999-12-31", "3000-01-01", "9999-12-31"])
    plausible |= {
        name: st.one_of(edges, near_dates())
        for name in ("start", "end", "date_from", "date_to")
        if name in fields
    }
    query = data.draw(form(plausible))
    headers = (
        {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"} if data.draw(st.booleans()) else {}
    )
    check(lambda: world["web"][who].get(reverse(name), query, **headers))


@FUZZ
@given(data=st.data())
def test_crm_import_upload(world, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = data.draw(
        st.one_of(
            st.binary(max_size=2000),
            any_text.map(lambda t: t.encode("utf-8")),
            st.lists(st.lists(hostile_text, max_size=6), max_size=8).map(
                lambda rows: "\n".join(",".join(f'"{c}"' for c in row) for row in rows).encode(
                    "utf-8", "replace"
                )
            ),
        )
    )
    fields = data.draw(
        form(
            {
                "kind": choices(["owners", "accounts", "contacts", "other"]),
                "layout": choices(["salesforce", "hubspot", "custom", "sap"]),
                "mapping": st.one_of(st.just('{"crm_id": "A"}'), hostile_text),
            }
        )
    )
    fields["file"] = SimpleUploadedFile("export.csv", content, content_type="text/csv")
    # The upload only previews (a dry run): it must never write anything.
    check(lambda: world["web"]["manager"].post(reverse("crm_import"), fields))


# --- Whole requests: any charset, any content type, any JSON shape ------------------------------

# Every route that takes a POST, with the arguments to reach it (a real request, account
# or link where the route needs one). A test below keeps this list complete.
POST_ROUTES = {
    "login": {},
    "logout": {},
    "password_reset": {},
    "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
    "set_language": {},
    "request_new": {},
    "request_edit": {"pk": "waiting"},
    "request_comment": {"pk": "waiting"},
    "request_schedule": {"pk": "outreach"},
    "request_customer_declined": {"pk": "outreach"},
    "request_complete": {"pk": "scheduled"},
    "request_cancel": {"pk": "waiting"},
    "action_link": {"token": "genuine", "action": "defer"},
    "answer": {"pk": "waiting", "action": "owner_go_ahead"},
    "pause_account": {"pk": "account"},
    "unpause_account": {"pk": "account"},
    "manage": {"pk": "waiting", "action": "extend_deadline"},
    "digest_unsubscribe": {"token": "digest"},
    "preferences": {},
    "slack_lookup": {},
    "slack_interactivity": {},
    "slack_events": {},
    "crm_import": {},
    "crm_import_confirm": {},
    "crm_import_cancel": {},
    "admin:login": {},
    "findings_add": {"pk": "completed"},
    "finding_edit": {"pk": "finding"},
    "sales_context_add": {"pk": "waiting"},
    "share_context_link": {"token": "genuine"},
    "api-request-list": {},
    "api-finding-list": {},
    **{f"api-request-{name.replace('_', '-')}": {"pk": "waiting"} for name in ACTION_NAMES},
}
# Routes that answer GET only (a POST gets 405 or is not routed): checked, not fuzzed.
GET_ROUTES = {
    "home", "request_detail", "interview_ics", "account_list", "account_search",
    "account_detail", "candidate_detail", "how_it_works", "dev_mailbox",
    "dev_mailbox_message", "dev_mailbox_html", "owner_queue", "dashboard",
    "dashboard_export", "password_reset_done", "password_reset_complete", "healthz",
    "readyz", "api-request-detail", "api-account-list", "api-account-detail",
    "api-candidate-list", "api-candidate-detail", "api-dashboard", "api-schema", "api-docs",
    "findings", "findings_export", "api-finding-detail",
}  # fmt: skip

CHARSETS = [
    None, "utf-8", "UTF-8", "utf8", "shift_jis", "cp932", "euc-jp", "iso-2022-jp", "utf-16",
    "utf-16-le", "utf-32", "latin-1", "ascii", "x-unknown", "", "utf-8; q=1", "\u00e9",
]  # fmt: skip
CONTENT_TYPES = [
    "application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=",
    "multipart/form-data; boundary=xyz", "application/json", "text/plain", "application/xml",
    "application/octet-stream", "", "form", "application/x-www-form-urlencoded, text/plain",
]  # fmt: skip

# JSON of any shape: scalars of every kind (NUL, huge numbers), nested lists and objects,
# with the API's own field names as keys half the time.
API_KEYS = [
    "expected_version", "reason", "note", "until", "reason_category", "pause_account_until",
    "interview_at", "location", "participants", "outcome_summary", "outcome_learnings",
    "outcome_quotes", "published_url", "extra_business_days", "new_owner", "account",
    "candidates", "new_candidates", "purpose", "topic", "questions", "needed_by",
    "note_to_owner", "response_window_days", "override_reason", "name", "email", "title",
]  # fmt: skip
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    hostile_text,
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(API_KEYS), any_text), children, max_size=5),
    ),
    max_leaves=20,
)


def _route_path(name: str, world: dict) -> str:
    kwargs = {}
    for key, value in POST_ROUTES[name].items():
        if key == "pk":
            kwargs["pk"] = world[value].pk
        elif value == "genuine":
            kwargs[key] = links.make_token(world["waiting"], world["sales"])
        elif value == "digest":
            from interviews.notifications import digest

            kwargs[key] = digest.unsubscribe_token(world["sales"])
        else:
            kwargs[key] = value
    return reverse(name, kwargs=kwargs)


def _body(data, charset: str | None) -> bytes:
    """Bytes for a body: random, a form or JSON, in the declared charset where it exists."""
    kind = data.draw(st.sampled_from(["bytes", "form", "json", "deep"]))
    if kind == "bytes":
        return data.draw(st.binary(max_size=400))
    if kind == "deep":
        depth = data.draw(st.sampled_from([33, 500, 5_000, 50_000]))
        return (data.draw(st.sampled_from(["[", '{"a":'])) * depth).encode()
    if kind == "form":
        fields = data.draw(form({"username": hostile_text, "email": hostile_text}))
        text = "&".join(f"{k}={v if isinstance(v, str) else v[0]}" for k, v in fields.items())
    else:
        text = json.dumps(data.draw(json_values), ensure_ascii=data.draw(st.booleans()))
    try:
        return text.encode(charset or "utf-8")
    except (LookupError, UnicodeEncodeError):
        return text.encode("utf-8", "surrogatepass")


class RequestClasses:
    """Requests sent per class, and what came back, for the report at the end."""

    sent: collections.Counter = collections.Counter()
    statuses: collections.Counter = collections.Counter()


@FUZZ
@given(data=st.data())
def test_every_post_route_in_any_charset_and_content_type(world, data):
    name = data.draw(st.sampled_from(sorted(POST_ROUTES)))
    path = _route_path(name, world)
    charset = data.draw(st.sampled_from(CHARSETS))
    content_type = data.draw(st.sampled_from(CONTENT_TYPES))
    if charset is not None:
        content_type = f"{content_type}; charset={charset}"
    body = _body(data, charset)
    who = data.draw(st.sampled_from(["anonymous", "marketer", "manager"]))
    # As browsers are treated in production: the CSRF check runs. Signed-in clients send
    # their real token in the header, so the request gets past it to the view.
    client = Client(enforce_csrf_checks=True, raise_request_exception=True)
    if who != "anonymous":
        client.force_login(world[who])
    client.cookies["csrftoken"] = "a" * 32
    headers = {"HTTP_X_CSRFTOKEN": "a" * 32} if data.draw(st.booleans()) else {}
    RequestClasses.sent["charset/content type"] += 1
    response = check(
        lambda: client.generic("POST", path, body, content_type=content_type, **headers),
        # Whatever was refused changed nothing; an accepted body may have.
        done=lambda r: r.status_code < 400,
    )
    RequestClasses.statuses[response.status_code // 100 * 100] += 1


API_GETS = [
    "/api/requests/",
    "/api/requests/{waiting}/",
    "/api/accounts/",
    "/api/accounts/{account}/",
    "/api/candidates/",
    "/api/dashboard/",
    "/api/findings/",
]


@FUZZ
@given(data=st.data())
def test_every_api_operation_with_any_json_shape(world, data):
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=world["manager"])
    client = Client(raise_request_exception=True, HTTP_AUTHORIZATION=f"Token {token.key}")
    value = data.draw(json_values)
    if data.draw(st.integers(0, 3)) == 0:  # the queries of the reading operations
        path = data.draw(st.sampled_from(API_GETS)).format(
            waiting=world["waiting"].pk, account=world["account"].pk
        )
        query = value if isinstance(value, dict) else {"q": value}
        params = {str(k): json.dumps(v) if not isinstance(v, str) else v for k, v in query.items()}
        send = lambda: client.get(path, params)  # noqa: E731
    else:
        route = data.draw(
            st.sampled_from(
                [
                    "api-request-list",
                    "api-finding-list",
                    *(n for n in POST_ROUTES if n.startswith("api-request-")),
                ]
            )
        )
        path = _route_path(route, world)
        charset = data.draw(st.sampled_from([None, "utf-8", "utf-16", "shift_jis", "latin-1"]))
        body = json.dumps(value).encode(charset or "utf-8", "surrogatepass")
        if data.draw(st.integers(0, 9)) == 0:
            body = _body(data, charset)
        content_type = "application/json" + (f"; charset={charset}" if charset else "")
        send = lambda: client.generic("POST", path, body, content_type=content_type)  # noqa: E731
    RequestClasses.sent["API JSON shape"] += 1
    response = check(send, done=lambda r: r.status_code < 400)
    RequestClasses.statuses[response.status_code // 100 * 100] += 1
    if response.status_code >= 400:
        assert set(response.json()) >= {"code", "detail", "field"}, response.content[:200]


def test_the_post_route_list_covers_every_route():
    from django.urls import get_resolver

    def names(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                namespace = f"{pattern.namespace}:" if pattern.namespace else ""
                if pattern.namespace == "admin":
                    yield "admin:login"  # the admin's own pages are Django's
                    continue
                yield from names(pattern.url_patterns, prefix + namespace)
            elif pattern.name:
                yield prefix + pattern.name

    routes = set(names(get_resolver().url_patterns))
    assert routes - set(POST_ROUTES) - GET_ROUTES == set()
    assert set(POST_ROUTES) - routes == set()


@pytest.fixture(scope="module", autouse=True)
def _request_classes_report():
    yield
    if RequestClasses.sent:  # shown with -s: what the whole-request fuzzing covered
        print(
            f"\nrequest-level fuzz: sent {dict(RequestClasses.sent)}, "
            f"statuses {dict(sorted(RequestClasses.statuses.items()))}"
        )
