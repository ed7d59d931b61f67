"""`uv run python -m bench.dashboard`: server time of the managers' dashboard on PostgreSQL.

    uv run python -m bench.dashboard              # seeds 100k requests (as `python -m bench`)
    uv run python -m bench.dashboard --skip-seed  # reuse the data of the previous run
    uv run python -m bench.dashboard --explain    # also print the plans of its queries

Same database and settings as `python -m bench` (BENCH_DATABASE_URL). Prints median and
p95 over repeated runs after warm-up, and the SQL query count of one run, next to the best
hand-written SQL for the same figures (bench/dashboard_sql.py) and the ratio. Target: median
≤ 100 ms for the page at 100k requests, and ≤ 2 times the hand-written SQL.

`measure(repeat)` is what `python -m bench` calls.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.stats import Timing


PAGE = "Manager dashboard"
FILTERED = "Manager dashboard, filtered"
HAND_WRITTEN = "Dashboard hand-written SQL"
RATIO_TARGET = 2


def _vacuum() -> None:
    """As autovacuum keeps a live database: visibility maps set, statistics fresh."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("interviews_interviewrequest", "interviews_requestevent", "accounts_user"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")


def measure(repeat: int) -> list[Timing]:
    """The dashboard (unfiltered, and one team's) through the test client, and the
    hand-written SQL for the unfiltered figures, each median and p95 over `repeat` runs."""
    from django.test import Client

    from accounts.models import User
    from bench import dashboard_sql
    from bench.stats import measure as timed
    from interviews import dashboard

    _vacuum()
    manager = User.objects.filter(is_manager=True, reports__isnull=False).order_by("pk").first()
    browser = Client()
    browser.force_login(manager)

    def get(**params):
        def call():
            response = browser.get("/dashboard/", params, secure=True)
            assert response.status_code == 200, response.status_code

        return call

    # The same inputs the page works out (period, rule cutoffs, calendar), computed once:
    # what is timed is the SQL.
    params = dashboard_sql.parameters(dashboard.Scope.default())
    return [
        timed(PAGE, get(), runs=repeat),
        timed(FILTERED, get(team=manager.pk), runs=repeat),
        timed(HAND_WRITTEN, lambda: dashboard_sql.run(params), runs=repeat),
    ]


def ratio(timings: list[Timing]) -> float:
    """Median of the page over median of the hand-written SQL."""
    by_name = {t.name: t for t in timings}
    return by_name[PAGE].median_ms / by_name[HAND_WRITTEN].median_ms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard")
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--skip-seed", action="store_true")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args(argv)

    from bench.__main__ import _configure_environment, _create_database

    url = _configure_environment()
    _create_database(url)
    # Production settings serve hashed static files: collect them somewhere harmless.
    os.environ.setdefault("STATIC_ROOT", str(Path(tempfile.gettempdir()) / "bench-static"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import User
    from bench.seed import Size, seed
    from bench.stats import measure as timed
    from bench.stats import table
    from interviews import dashboard
    from interviews.models import InterviewRequest

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not args.skip_seed:
        print(f"Seeding {args.requests:,} requests…", flush=True)
        seed(Size(args.requests, args.accounts))
    print(f"{InterviewRequest.objects.count():,} requests", flush=True)

    manager = User.objects.filter(is_manager=True, reports__isnull=False).order_by("pk").first()
    owner = User.objects.filter(reports_to=manager).order_by("pk").first()
    browser = Client()
    browser.force_login(manager)

    def get(path: str, **params):
        def call():
            response = browser.get(path, params, secure=True)
            assert response.status_code == 200, (response.status_code, response.get("Location"))

        return call

    timings = measure(args.repeat)  # the page, one team's, the hand-written SQL
    timings += [
        timed("Dashboard, one owner", get("/dashboard/", owner=owner.pk), runs=args.repeat),
        timed(
            "Dashboard, one year",
            get("/dashboard/", start=f"{timezone.now().year - 1}-12-01"),
            runs=args.repeat,
        ),
        timed("Stalled CSV", get("/dashboard/export/stalled.csv"), runs=args.repeat),
        timed("Owners CSV", get("/dashboard/export/owners.csv"), runs=args.repeat),
    ]
    print(table(["page", "median ms", "p95 ms", "runs", "queries"], [t.row() for t in timings]))
    factor = ratio(timings)
    verdict = "met" if factor <= RATIO_TARGET else "MISSED"
    print(f"dashboard / hand-written SQL ratio: {factor:.2f} times (target ≤ 2 times: {verdict})")

    if args.explain:
        scope = dashboard.Scope.default()
        with CaptureQueriesContext(connection) as captured:
            dashboard.build(scope)
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                print("\n" + query["sql"][:300] + "…")
                print("\n".join(row[0] for row in cursor.fetchall()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
