"""`uv run python -m bench`: seed a realistic dataset on PostgreSQL and print figures.

    uv run python -m bench                 # full run: 100k requests, writes bench/RESULTS.md
    uv run python -m bench --smoke         # 2k requests, one repetition (CI keeps it working)
    uv run python -m bench --skip-seed     # reuse the data of the previous run
    uv run python -m bench --skip-seed --only outbox,web   # some sections, printed only
    uv run python -m bench --skip-seed --only e2e  # answer → email on gunicorn + worker + Redis

The database is BENCH_DATABASE_URL (default: interview_relay_bench on the local
PostgreSQL); it is created if missing and its tables are emptied before seeding.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

SECTIONS = (
    "pages",
    "dashboard",
    "sweep",
    "wake",
    "reminders",
    "outbox",
    "web",
    "imports",
    "findings",
    "e2e",
)
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/interview_relay_bench"


def _configure_environment() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The benchmark runs on PostgreSQL: set BENCH_DATABASE_URL=postgres://…")
    os.environ["DATABASE_URL"] = url
    # Production-like: no debug bookkeeping, tasks go to a broker (an in-memory one here, so
    # the sweep measures the switch and not the sending), email to nowhere unless measured.
    os.environ.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-secret-key-bench-only-secret-key",
            "ALLOWED_HOSTS": "*",
            "CELERY_BROKER_URL": "memory://localhost/",
            "EMAIL_URL": "dummymail://",
            # As behind a TLS-terminating proxy: the client talks plain HTTP to the app.
            "SECURE_SSL_REDIRECT": "false",
            # The load generator is one address: measure the page, not the rate limiter's 429.
            "ACTION_LINK_RATE_PER_LINK_PER_MINUTE": "100000000",
            "ACTION_LINK_RATE_PER_ADDRESS_PER_MINUTE": "100000000",
            # A shared cache as in production (rate-limit counters), on a database of its own.
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "LOG_LEVEL": "WARNING",
            # Pages are served as in production: hashed static names from a manifest.
            "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "interview-relay-bench-static"),
        }
    )
    return url


def _create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _machine() -> str:
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    python = platform.python_version()
    return f"{os.cpu_count()} cores, {memory} memory, {platform.platform()}, Python {python}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--owners", type=int, default=500)
    parser.add_argument("--marketers", type=int, default=200)
    parser.add_argument(
        "--repeat", type=int, default=30, help="timed runs per page (after warm-up)"
    )
    parser.add_argument("--sweep", type=int, default=10_000, help="overdue requests to switch")
    parser.add_argument("--emails", type=int, default=5_000, help="notifications to send")
    parser.add_argument("--import-rows", type=int, default=50_000, help="CRM export rows to import")
    parser.add_argument("--findings", type=int, default=200_000, help="findings in the library")
    parser.add_argument("--web-seconds", type=int, default=10, help="wrk duration per round")
    parser.add_argument("--web-rounds", type=int, default=3, help="wrk rounds per page")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one repetition")
    parser.add_argument("--skip-seed", action="store_true")
    parser.add_argument(
        "--only",
        type=lambda value: [part.strip() for part in value.split(",") if part.strip()],
        help=f"comma-separated sections ({', '.join(SECTIONS)}); printed, RESULTS.md untouched",
    )
    parser.add_argument("--output", default=str(Path(__file__).with_name("RESULTS.md")))
    args = parser.parse_args(argv)
    unknown = set(args.only or ()) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    if args.smoke:
        args.requests, args.accounts, args.owners, args.marketers = 2_000, 800, 40, 20
        args.repeat, args.sweep, args.emails, args.import_rows = 1, 150, 100, 500
        args.web_seconds, args.web_rounds = 2, 1
        args.findings = 2_000
        # A smoke run only proves the harness works: its figures do not replace RESULTS.md.
        args.output = os.environ.get(
            "BENCH_SMOKE_OUTPUT",
            str(Path(tempfile.gettempdir()) / "interview-relay-bench-smoke.md"),
        )

    url = _configure_environment()
    _create_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    from bench import dashboard as dashboard_bench
    from bench import e2e, other_sweeps, pages, sweep, web
    from bench import findings as findings_bench
    from bench import imports as imports_bench
    from bench import outbox as outbox_bench
    from bench.report import Report
    from bench.seed import Size, seed

    report = Report(machine=_machine(), args=vars(args))
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not args.skip_seed:
        print(f"Seeding {args.requests:,} requests…", flush=True)
        result = seed(Size(args.requests, args.accounts, args.owners, args.marketers))
        report.seed(result)
    wanted = args.only or SECTIONS
    if "pages" in wanted:
        print("Timing pages…", flush=True)
        report.pages(pages.run(repeat=args.repeat))
    if "dashboard" in wanted:
        print("Timing the dashboard and its hand-written SQL…", flush=True)
        dashboard_timings = dashboard_bench.measure(args.repeat)
        report.dashboard(dashboard_timings, dashboard_bench.ratio(dashboard_timings))
    if "sweep" in wanted:
        print(f"Sweeping {args.sweep:,} overdue requests…", flush=True)
        report.sweep(sweep.run(args.sweep))
    for kind in ("wake", "reminders"):
        if kind in wanted:
            print(f"Sweeping {args.sweep:,} requests due for {kind}…", flush=True)
            report.other_sweep(kind, other_sweeps.run(kind, args.sweep))
    if "outbox" in wanted:
        print(f"Sending {args.emails:,} emails…", flush=True)
        report.outbox(outbox_bench.run(args.emails))
    if "web" in wanted:
        print("Load on gunicorn (2 workers)…", flush=True)
        report.web(web.run(duration=args.web_seconds, rounds=args.web_rounds))
    if "imports" in wanted:
        print(f"Importing {args.import_rows:,} CRM rows…", flush=True)
        report.imports(imports_bench.run(args.import_rows))
    if "findings" in wanted:
        print(f"Searching {args.findings:,} findings…", flush=True)
        report.findings(*findings_bench.run(count=args.findings, repeat=args.repeat))
    if "e2e" in wanted:
        print("Answers to emails on the real stack, with a Redis outage…", flush=True)
        if args.smoke:
            report.e2e(e2e.run(steady=5, concurrent=5, outage_answers=5, outage_seconds=5))
        else:
            report.e2e(e2e.run())
    text = report.render()
    print(text)
    if args.only:
        return 0
    Path(args.output).write_text(text, encoding="utf-8")
    print(f"Written to {args.output}")
    missing = report.missing()
    if missing:
        print("Figures missing: " + ", ".join(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
