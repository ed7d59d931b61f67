"""How long Slack waits for our acknowledgement of a click (it gives up after 3 seconds).

    uv run python -m bench.slack_clicks [--clicks 200]

On PostgreSQL (BENCH_DATABASE_URL), with tasks going to a broker as in production (an
in-memory one: the outbox and the ephemeral replies are enqueued, not run) and Slack's
Web API played by a local server (only "not now" calls it before answering, to open its
form). Each click is a signed request through the whole Django stack (middleware,
signature check, the workflow's transaction), timed from the test client's side. It
makes its own owner, marketer and requests (one per new account) and leaves them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
import uuid

from bench.__main__ import _configure_environment, _create_database


def _percentiles(name: str, samples: list[float]) -> str:
    from bench.stats import percentile

    return (
        f"| {name} | {statistics.median(samples):.1f} | {percentile(samples, 0.95):.1f} "
        f"| {max(samples):.1f} | {len(samples)} |"
    )


def run(clicks: int) -> str:
    from django.conf import settings
    from django.test import Client

    from accounts.models import Account, Department, User
    from interviews import workflow
    from interviews.models import Candidate, Purpose
    from tests.slack_api import SlackApi
    from tests.slack_app import payloads
    from tests.slack_app.conftest import BOT_TOKEN, SIGNING_SECRET

    tag = uuid.uuid4().hex[:8]
    owner = User.objects.create_user(
        f"owner-{tag}@bench.example",
        name="Bench Owner",
        department=Department.SALES,
        slack_user_id="U0SALES",
        language="en",
    )
    marketer = User.objects.create_user(
        f"mkt-{tag}@bench.example", name="Bench Marketer", department=Department.MARKETING
    )
    filed_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    requests = []
    for i in range(clicks * 3):
        account = Account.objects.create(name=f"Bench {tag} {i}", owner=owner)
        person = Candidate.objects.create(account=account, name=f"Person {i}")
        requests.append(
            workflow.request_file(
                by=marketer,
                account=account,
                candidates=[person],
                purpose=Purpose.RESEARCH,
                topic="Bench",
                questions="Why?",
                needed_by=None,
                note_to_owner="",
                now=filed_at,
            )
        )
    go_ahead, stale, defer = (
        requests[:clicks],
        requests[clicks : 2 * clicks],
        requests[2 * clicks :],
    )
    lines = [
        "| click | median ms | p95 ms | max ms | clicks |",
        "|---|---|---|---|---|",
    ]
    with SlackApi() as api:
        settings.SLACK_BOT_TOKEN, settings.SLACK_SIGNING_SECRET = BOT_TOKEN, SIGNING_SECRET
        settings.SLACK_API_URL = api.url
        settings.ALLOWED_HOSTS = ["*"]
        # One client, as one server process: its middleware is loaded once.
        client = Client()
        payloads.post_signed(
            payloads.click(requests[0], "owner_go_ahead", version=0), client=client
        )

        def timed(name: str, bodies: list[bytes]) -> None:
            samples = []
            for body in bodies:
                started = time.perf_counter()
                response = payloads.post_signed(body, client=client)
                samples.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
            lines.append(_percentiles(name, samples))

        timed("go ahead (answers at once)", [payloads.click(r, "owner_go_ahead") for r in go_ahead])
        timed(
            "stale (already answered)",
            [payloads.click(r, "owner_go_ahead", version=r.version + 5) for r in stale],
        )
        timed("not now (opens the form)", [payloads.click(r, "defer") for r in defer])
        until = workflow.deferral_range()[0] + dt.timedelta(days=3)
        timed(
            "not now submitted (defers)",
            [
                payloads.submit(
                    r,
                    "defer",
                    values={
                        "until": until.isoformat(),
                        "reason_category": "bad_timing",
                        "reason": "Renewal.",
                    },
                )
                for r in defer
            ],
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.slack_clicks")
    parser.add_argument("--clicks", type=int, default=200, help="clicks of each kind")
    args = parser.parse_args(argv)
    url = _configure_environment()
    _create_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(run(args.clicks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
