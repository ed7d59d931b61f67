"""`uv run python -m bench.dashboard`: server time of the managers' dashboard on PostgreSQL.

    uv run python -m bench.dashboard              # seeds 100k requests (as `python -m bench`)
    uv run python -m bench.dashboard --skip-seed  # reuse the data of the previous run
    uv run python -m bench.dashboard --explain    # also print the plans of its queries

Same database and settings as `python -m bench` (BENCH_DATABASE_URL). Prints median and
p95 over repeated runs after warm-up, and the SQL query count of one run. Target: median
≤ 100 ms for the page at 100k requests.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path


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
    from bench.stats import measure, table
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

    timings = [
        measure("Dashboard", get("/dashboard/"), runs=args.repeat),
        measure("Dashboard, one team", get("/dashboard/", team=manager.pk), runs=args.repeat),
        measure("Dashboard, one owner", get("/dashboard/", owner=owner.pk), runs=args.repeat),
        measure(
            "Dashboard, one year",
            get("/dashboard/", start=f"{timezone.now().year - 1}-12-01"),
            runs=args.repeat,
        ),
        measure("Stalled CSV", get("/dashboard/export/stalled.csv"), runs=args.repeat),
        measure("Owners CSV", get("/dashboard/export/owners.csv"), runs=args.repeat),
    ]
    print(table(["page", "median ms", "p95 ms", "runs", "queries"], [t.row() for t in timings]))

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
