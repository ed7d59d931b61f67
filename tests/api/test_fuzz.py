"""Schemathesis fuzzes the API against its own schema, in-process (WSGI, no network).

For every operation it generates requests from the schema, valid ones and (where the
schema allows it) invalid ones, sends them as a manager with a token, and runs every
check schemathesis has (`--checks all`): never a server error, only documented status
codes, content types and headers, bodies that match the schema, invalid input refused,
valid input accepted (or refused only because of the request's state: 409), no answer
without credentials. Ids in paths are drawn from real rows (and one that does not exist),
so the actions meet requests in every open state; valid examples also get the values the
schema can only describe (dates relative to today, ids of people who fit), see
`_plausible`.

Bounded and repeatable for CI: API_FUZZ_EXAMPLES examples per operation and mode
(default 25), derandomized. To search harder locally:
`API_FUZZ_EXAMPLES=500 API_FUZZ_RANDOM=1 uv run pytest tests/api/test_fuzz.py -s`.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import Counter

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks

from config.wsgi import application
from interviews import calendar, workflow
from interviews.dashboard.scope import default_period
from interviews.models import Candidate, InterviewRequest
from interviews.workflow.owner import deferral_range
from tests.factories import AccountFactory, CandidateFactory

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "25"))
RANDOM = bool(os.environ.get("API_FUZZ_RANDOM"))
MISSING_ID = 987654321

# Every check schemathesis has (`--checks all`): besides server errors, documented
# statuses, content types and bodies, invalid input must be refused and valid input
# accepted (or refused only for the request's state: 409), unauthenticated requests refused,
# 405s carry Allow.
load_all_checks()
ALL_CHECKS = CHECKS.get_all()


@pytest.fixture
def world(marketer, sales, cs, manager):
    """Requests in every open state (and closed ones), accounts free to file for."""
    requests = []
    for n in range(8):
        owner = sales if n % 2 else cs
        account = AccountFactory(name=f"Fuzz {n} KK", owner=owner)
        people = CandidateFactory.create_batch(2, account=account)
        requests.append(
            workflow.request_file(
                by=marketer,
                account=account,
                candidates=people,
                purpose="case_study",
                topic=f"Topic {n}",
                questions="Why?",
            )
        )
    r = [x.pk for x in requests]
    workflow.request_owner_go_ahead(request_id=r[1], by=manager)
    workflow.request_owner_will_reach_out(request_id=r[2], by=manager)
    workflow.request_defer(
        request_id=r[3],
        by=manager,
        until=dt.date.today() + dt.timedelta(days=7),
        reason_category="bad_timing",
        reason="Later.",
    )
    workflow.request_owner_go_ahead(request_id=r[4], by=manager)
    workflow.request_schedule(
        # Held already: its outcome may be recorded.
        request_id=r[4],
        by=marketer,
        interview_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=3),
    )
    workflow.request_cancel(request_id=r[5], by=manager, reason="Dropped.")
    workflow.request_owner_go_ahead(request_id=r[6], by=manager)
    workflow.request_schedule(request_id=r[6], by=marketer, interview_at=dt.datetime.now(dt.UTC))
    workflow.request_complete(request_id=r[6], by=marketer, outcome_summary="Done.")
    findings = workflow.findings_add(
        request_id=r[6],
        by=marketer,
        items=[workflow.FindingInput(kind="why_us", statement=f"Reason {n}") for n in range(3)],
    )
    free = {}
    for n in range(3):  # accounts with nobody asked yet
        account = AccountFactory(name=f"Free {n} KK", owner=sales)
        free[account.pk] = [CandidateFactory(account=account).pk]
    token, _ = Token.objects.get_or_create(user=manager)
    return {
        "token": token.key,
        "owners": [sales.pk, cs.pk],
        "managers": [manager.pk],
        "requests": [*r, MISSING_ID],
        "accounts": [*InterviewRequest.objects.values_list("account_id", flat=True), MISSING_ID],
        "candidates": [*Candidate.objects.values_list("pk", flat=True)[:10], MISSING_ID],
        "free_accounts": free,
        "findings": [*(f.pk for f in findings), MISSING_ID],
        "completed": r[6],
        "interviewed": list(requests[6].candidates.values_list("pk", flat=True)),
    }


def _ids_for(path: str, world: dict) -> list[int] | None:
    if "{id}" not in path:
        return None
    return world[path.split("/")[2]]  # /api/<requests|accounts|candidates>/{id}/...


def _with_free_account(case, account_id: int, world: dict):
    """A filing for an account nobody asked yet, with its people: some get filed."""
    if isinstance(case.body, dict):
        case.body["account"] = account_id
        case.body["candidates"] = world["free_accounts"][account_id]
    return case


def _seen_version(case, pk: int, fresh: bool):
    """Half the actions carry the version the request has now, so that they get past the
    stale-version check to the state and input checks (and sometimes apply)."""
    if fresh and isinstance(case.body, dict):
        version = InterviewRequest.objects.filter(pk=pk).values_list("version", flat=True).first()
        case.body["expected_version"] = version or 1
    return case


def _plausible(case, rnd, world: dict):
    """Valid data the schema cannot describe, because it depends on today or on the rows
    there are (each rule is in the field's description): dates in the window the
    workflow allows, ids of people who exist and fit. Like the path ids, drawn from the
    live data, so that schema-valid examples must be accepted (positive_data_acceptance)."""
    today = calendar.business_date(timezone.now())
    body = case.body if isinstance(case.body, dict) else {}
    if body.get("needed_by") is not None:
        body["needed_by"] = (today + dt.timedelta(days=rnd.randint(0, 365))).isoformat()
    if "until" in body:
        first, last = deferral_range()
        body["until"] = (first + dt.timedelta(days=rnd.randint(0, (last - first).days))).isoformat()
    if body.get("pause_account_until") is not None:
        body["pause_account_until"] = (today + dt.timedelta(days=rnd.randint(1, 365))).isoformat()
    if "new_owner" in body:
        owner = InterviewRequest.objects.filter(pk=case.path_parameters.get("id")).values_list(
            "owner_id", flat=True
        )
        body["new_owner"] = rnd.choice([pk for pk in world["owners"] if pk not in owner])
    # Findings belong to a completed interview; a speaker is one of the people interviewed
    # (and a quote needs one).
    rows = body.get("findings") if isinstance(body.get("findings"), list) else [body]
    if "findings" in body:
        body["request"] = world["completed"]
    for row in rows:
        if (
            isinstance(row, dict)
            and "statement" in row
            and (row.get("speaker") is not None or str(row.get("quote") or "").strip())
        ):
            row["speaker"] = rnd.choice(world["interviewed"])
    query = case.query if isinstance(case.query, dict) else {}
    if "team" in query:
        query["team"] = rnd.choice(world["managers"])
    if "owner" in query:
        query["owner"] = rnd.choice(world["owners"])
    if query.get("start") or query.get("end"):
        # A period of up to three years, the end not before the start; a bound left out
        # is the default's (twelve weeks ago, today).
        longest = dt.timedelta(days=3 * 365 - 1)
        default_start, default_end = default_period(today)
        if query.get("start") and query.get("end"):
            start, end = sorted(dt.date.fromisoformat(query[k]) for k in ("start", "end"))
            query["start"] = max(start, end - longest).isoformat()
            query["end"] = end.isoformat()
        elif query.get("start"):
            start = dt.date.fromisoformat(query["start"])
            query["start"] = min(max(start, default_end - longest), default_end).isoformat()
        else:
            end = dt.date.fromisoformat(query["end"])
            query["end"] = max(min(end, default_start + longest), default_start).isoformat()
    return case


def _strategy(operation, mode: GenerationMode, world: dict):
    base = _base_strategy(operation, mode, world)
    if mode is GenerationMode.POSITIVE:
        return st.tuples(base, st.randoms(use_true_random=False)).map(
            lambda pair: _plausible(*pair, world)
        )
    return base


def _base_strategy(operation, mode: GenerationMode, world: dict):
    if operation.label == "POST /api/requests/" and mode is GenerationMode.POSITIVE:
        return st.tuples(
            operation.as_strategy(generation_mode=mode),
            st.sampled_from(sorted(world["free_accounts"])),
        ).map(lambda pair: _with_free_account(*pair, world))
    ids = _ids_for(operation.path, world)
    # Invalid requests to a GET by id can only spoil the id: leave it to schemathesis.
    if ids is None or (mode is GenerationMode.NEGATIVE and operation.method == "get"):
        return operation.as_strategy(generation_mode=mode)
    if "/actions/" in operation.path and mode is GenerationMode.POSITIVE:
        return st.tuples(st.sampled_from(ids), st.booleans()).flatmap(
            lambda chosen: operation.as_strategy(
                generation_mode=mode, path_parameters={"id": chosen[0]}
            ).map(lambda case: _seen_version(case, *chosen))
        )
    return st.sampled_from(ids).flatmap(
        lambda pk: operation.as_strategy(generation_mode=mode, path_parameters={"id": pk})
    )


def _fuzz(operation, mode: GenerationMode, world: dict, statuses: Counter[int]) -> None:
    """Run up to EXAMPLES generated requests against one operation; raise on a failed check."""
    headers = {"Authorization": f"Token {world['token']}"}

    @given(case=_strategy(operation, mode, world))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=not RANDOM,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        response = case.call(headers=headers)
        statuses[response.status_code] += 1
        case.validate_response(response, checks=ALL_CHECKS, headers=headers)

    try:
        run()
    except BaseException as error:
        error.add_note(f"while fuzzing {operation.label} ({mode.value})")
        raise


def test_the_api_survives_its_own_schema(world):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    statuses: Counter[int] = Counter()
    started = time.monotonic()
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, world, statuses)
    elapsed = time.monotonic() - started
    print(  # shown with -s: what the run covered
        f"\nschemathesis: {len(operations)} operations, {sum(statuses.values())} requests "
        f"in {elapsed:.1f}s, statuses {dict(sorted(statuses.items()))}"
    )
    assert len(operations) == 23
    assert not any(status >= 500 for status in statuses)
    # The run reached past validation: it read, filed, acted and was refused by state.
    assert statuses[200] and statuses[201] and statuses[409]
