"""Schemathesis fuzzes the API against its own schema, in-process (WSGI, no network).

For every operation it generates requests from the schema, valid ones and (where the
schema allows it) invalid ones, sends them as a manager with a token, and checks the
answers: never a server error, only documented status codes and content types, bodies
that match the schema, and invalid input refused. Ids in paths are drawn from real rows
(and one that does not exist), so the actions meet requests in every open state.

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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from interviews import workflow
from interviews.models import Candidate, InterviewRequest
from tests.factories import AccountFactory, CandidateFactory

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "25"))
RANDOM = bool(os.environ.get("API_FUZZ_RANDOM"))
MISSING_ID = 987654321

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


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
        request_id=r[4], by=marketer, interview_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    )
    workflow.request_cancel(request_id=r[5], by=manager, reason="Dropped.")
    free = {}
    for n in range(3):  # accounts with nobody asked yet
        account = AccountFactory(name=f"Free {n} KK", owner=sales)
        free[account.pk] = [CandidateFactory(account=account).pk]
    token, _ = Token.objects.get_or_create(user=manager)
    return {
        "token": token.key,
        "requests": [*r, MISSING_ID],
        "accounts": [*InterviewRequest.objects.values_list("account_id", flat=True), MISSING_ID],
        "candidates": [*Candidate.objects.values_list("pk", flat=True)[:10], MISSING_ID],
        "free_accounts": free,
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


def _strategy(operation, mode: GenerationMode, world: dict):
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
    checks = [*CHECKS, negative_data_rejection] if mode is GenerationMode.NEGATIVE else CHECKS

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
        case.validate_response(response, checks=checks, headers=headers)

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
    assert len(operations) == 19
    assert not any(status >= 500 for status in statuses)
    # The run reached past validation: it read, filed, acted and was refused by state.
    assert statuses[200] and statuses[201] and statuses[409]
