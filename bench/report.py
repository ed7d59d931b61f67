"""Collects the figures of one run and renders them as Markdown (bench/RESULTS.md)."""

from __future__ import annotations

import datetime as dt
import os
import statistics

from django.db import connection

from bench.stats import Timing, table

TARGETS_MS = {
    "Requests list": 50,
    "Requests list, filtered": 50,
    "Request page": 50,
    "Manager dashboard": 100,
    "Manager dashboard, filtered": 100,
}


FINDINGS_TARGET_MS = 50


class Report:
    def __init__(self, *, machine: str, args: dict) -> None:
        self.machine = machine
        self.args = args
        self.sections: dict[str, str] = {}
        self.figures: dict[str, object] = {}

    def seed(self, result) -> None:
        rows = ", ".join(f"{n:,} {name}" for name, n in result.rows.items())
        self.figures["seed"] = result
        self.sections["Seeding"] = (
            f"{rows} in {result.seconds:.1f} s "
            f"({result.rows_per_second:,.0f} rows/s, bulk inserts)."
        )

    def pages(self, timings: list[Timing]) -> None:
        self.figures["pages"] = timings
        rows = []
        for t in timings:
            target = TARGETS_MS.get(t.name)
            verdict = "" if target is None else ("met" if t.median_ms <= target else "MISSED")
            rows.append([*t.row(), f"≤ {target} ms {verdict}" if target else ""])
        self.sections["Pages (server-side, Django test client)"] = table(
            ["page", "median ms", "p95 ms", "runs", "SQL queries", "target"], rows
        )

    def dashboard(self, timings: list[Timing], ratio: float) -> None:
        """The managers' dashboard next to the best hand-written SQL for the same figures."""
        self.figures["dashboard"] = (timings, ratio)
        rows = []
        for t in timings:
            target = TARGETS_MS.get(t.name)
            verdict = "" if target is None else ("met" if t.median_ms <= target else "MISSED")
            rows.append([*t.row(), f"≤ {target} ms {verdict}" if target else ""])
        verdict = "met" if ratio <= 2 else "MISSED"
        self.sections["Dashboard"] = (
            table(["what", "median ms", "p95 ms", "runs", "SQL queries", "target"], rows)
            + f"\n\ndashboard / hand-written SQL ratio: **{ratio:.2f} times** "
            f"(target ≤ 2 times: {verdict}). The page is timed through the test client "
            "(filters, queries, Python, template); the hand-written SQL "
            "(bench/dashboard_sql.py, three statements) computes the same headline, stalled "
            "list, per-owner and per-team tables, reasons, trend and funnel for the unfiltered "
            "page, with the same inputs worked out beforehand."
        )

    def sweep(self, result) -> None:
        self.figures["sweep"] = result
        verdict_rate = "met" if result.app_rate >= 2000 else "MISSED"
        verdict_ratio = "met" if result.ratio <= 1.5 else "MISSED"
        names = {
            "app": "process_deadlines batches (app: one statement per batch)",
            "sql": "hand-written SQL, one statement for all",
            "orm": "ORM batches (the app before: model objects, bulk_create)",
        }
        rounds_table, order = _contenders(result, names)
        self.sections["Deadline sweep"] = rounds_table + (
            f"\n\n{result.requests:,} overdue requests switched in a table of the seeded size; "
            "each contender writes the same rows (the status change, one event and two "
            "outbox notifications per request). After an untimed pass of each, before every "
            "timed run the rows are made overdue again and the three tables VACUUMed and "
            "ANALYZEd; the order rotates each round "
            f"({order}).\n\n"
            f"App / best SQL: **{result.ratio:.2f} times** (best rounds; medians "
            f"{result.median('app') / result.median('sql'):.2f}; target ≤ 1.5 times: "
            f"{verdict_ratio}). Before (ORM batches) / best SQL: "
            f"**{result.ratio_before:.2f} times**. App rate target ≥ 2,000 requests/s: "
            f"{verdict_rate}."
        )

    def other_sweep(self, kind: str, result) -> None:
        self.figures[kind] = result
        what = {
            "wake": ("Wake-up sweep", "deferred requests woken on their date", "woke"),
            "reminders": ("Reminder sweep", "requests reminded", "reminder"),
        }[kind]
        names = {
            "app": "process_deadlines batches (app: one statement per batch)",
            "sql": "hand-written SQL, one statement for all",
            "orm": "ORM batches (the app before: model objects, bulk_update, bulk_create)",
        }
        rounds_table, order = _contenders(result, names)
        verdict = "met" if result.ratio <= 1.5 else "MISSED"
        self.sections[what[0]] = rounds_table + (
            f"\n\n{result.requests:,} {what[1]}, in a table of the seeded size; each "
            "contender must leave exactly the same events and outbox rows (kinds, "
            "recipients, unique keys, payloads: checked), the hand-written SQL computing the "
            "business calendar in Python once per window length or deadline, inside its "
            "timing. Before every timed run the rows are made due again and the tables "
            f"VACUUMed and ANALYZEd; the order rotates each round ({order}).\n\n"
            f"App / best SQL: **{result.ratio:.2f} times** (best rounds; medians "
            f"{result.median('app') / result.median('sql'):.2f}; target ≤ 1.5 times: "
            f"{verdict}). Before (ORM batches) / best SQL: **{result.ratio_before:.2f} times**."
        )

    def e2e(self, phases) -> None:
        self.figures["e2e"] = phases
        rows = []
        for p in phases:
            drain = "" if p.drain_seconds is None else f"{p.drain_seconds:.1f}"
            if p.name.startswith("outage") and p.drain_seconds is None:
                drain = "not drained"
            rows.append(
                [
                    p.name,
                    f"{p.answered}/{p.answers}",
                    f"{p.delivered}/{p.answers}",
                    str(p.duplicates),
                    f"{p.p50:.2f}",
                    f"{p.p95:.2f}",
                    f"{p.max:.2f}",
                    f"{max(p.post_seconds):.2f}",
                    drain,
                ]
            )
        self.sections["Answer to email, end to end"] = (
            table(
                [
                    "phase",
                    "answers accepted",
                    "emails delivered",
                    "duplicates",
                    "p50 s",
                    "p95 s",
                    "max s",
                    "slowest POST s",
                    "drain after Redis returned, s",
                ],
                rows,
            )
            + "\n\ngunicorn (config/gunicorn.conf.py, 2 workers), one Celery worker as "
            "docker-compose.yml runs it, a redis-server of the benchmark's own and an SMTP sink "
            "in a process of its own; each owner opens the link and answers (GET, POST) over "
            "HTTP. Latency: from the POST's response to the arrival of the marketer's email "
            "about that answer. In the outage phase Redis is killed, the answers are spread "
            "over the outage, Redis comes back empty; nobody restarts a process or runs the "
            "minute job (beat is not running): the worker sends the outbox when it reconnects. "
            "Targets: p95 ≤ 2 s with 50 answers at once; every email once; drain ≤ 60 s."
        )

    def outbox(self, results) -> None:
        self.figures["outbox"] = results
        rows = [
            [
                "one process" if r.senders == 1 else f"{r.senders} processes (a worker's default)",
                f"{r.emails:,}",
                f"{r.seconds:.2f}",
                f"{r.rate:,.0f}",
                "met" if r.rate >= 300 else "MISSED",
            ]
            for r in results
        ]
        self.sections["Outbox"] = (
            table(["senders", "emails", "seconds", "emails/s", "target ≥ 300/s"], rows)
            + "\n\nEach email rendered (text + HTML, the recipient's language, four signed "
            "answer links), sent over SMTP to a local sink in a process of its own (aiosmtpd "
            "on 127.0.0.1), and recorded as sent. Several processes claim disjoint batches of "
            "the same outbox (SKIP LOCKED), as a Celery worker's processes do."
        )

    def imports(self, result) -> None:
        self.figures["imports"] = result
        rate = result.rows / result.apply_seconds
        self.sections["CRM import"] = (
            table(
                ["step", "rows", "seconds", "rows/s"],
                [
                    [
                        "preview (dry run)",
                        f"{result.rows:,}",
                        f"{result.dry_run_seconds:.2f}",
                        f"{result.rows / result.dry_run_seconds:,.0f}",
                    ],
                    [
                        "import (one transaction)",
                        f"{result.rows:,}",
                        f"{result.apply_seconds:.2f}",
                        f"{rate:,.0f}",
                    ],
                    [
                        "same file again (nothing changes)",
                        f"{result.rows:,}",
                        f"{result.second_run_seconds:.2f}",
                        f"{result.rows / result.second_run_seconds:,.0f}",
                    ],
                ],
            )
            + "\n\nA generated Salesforce accounts export (UTF-8 with BOM); "
            "target: 50k rows well under a minute."
        )

    def web(self, results) -> None:
        self.figures["web"] = results
        rows = []
        for r in results:
            verdict = ""
            if r.name.startswith("Owner action"):
                verdict = "≥ 300 req/s " + ("met" if r.requests_per_second >= 300 else "MISSED")
            rounds = ", ".join(f"{value:,.0f}" for value in r.rounds)
            rows.append(
                [
                    r.name,
                    f"{r.requests_per_second:,.0f}",
                    rounds,
                    f"{r.p99_ms:.1f}",
                    f"{r.app_cpu_ms:.2f}",
                    f"{r.database_cpu_ms:.2f}",
                    ", ".join(f"{value:.2f}" for value in r.cpu_rounds),
                    f"{r.requests:,}",
                    str(r.errors),
                    verdict,
                ]
            )
        self.sections["Web throughput"] = (
            table(
                [
                    "page",
                    "requests/s",
                    "each round",
                    "p99 ms",
                    "CPU ms/request, workers",
                    "CPU ms/request, PostgreSQL",
                    "CPU ms/request (both), each round",
                    "requests",
                    "non-2xx",
                    "target",
                ],
                rows,
            )
            + "\n\ngunicorn with the production settings (config/gunicorn.conf.py: synchronous "
            "workers, as behind a buffering proxy) and 2 workers on 127.0.0.1; wrk with 8 "
            "connections for "
            f"{self.args['web_seconds']} s per round, on the same two cores. The figure is the "
            "median round's; each round runs every page, the first page rotating. CPU per "
            "request: the time the gunicorn workers, the PostgreSQL backends of their "
            "connections and the server processes that ended during the round (parallel "
            "workers) spent in it (/proc), over its requests; wrk's own share of the cores "
            "is not in it." + self._answer_page_share(results)
        )

    @staticmethod
    def _answer_page_share(results) -> str:
        by_name = {r.name: r for r in results}
        owner = next((r for r in results if r.name.startswith("Owner action")), None)
        health = next((r for r in results if r.name.startswith("Health check")), None)
        if owner is None or health is None or not by_name:
            return ""
        shares = [o / h for o, h in zip(owner.rounds, health.rounds, strict=False) if h]
        each = ", ".join(f"1/{1 / s:.1f}" for s in shares)
        best = max(shares)
        verdict = "met" if statistics.median(shares) >= 0.25 else "MISSED"
        share = (
            f"\n\nThe answer page's share of /healthz's rate, round by round: {each} "
            f"(median 1/{1 / statistics.median(shares):.1f}, best 1/{1 / best:.1f}; "
            f"target ≥ 1/4: {verdict})."
        )
        cpu = [o / h for o, h in zip(owner.cpu_rounds, health.cpu_rounds, strict=False) if h]
        if not cpu:
            return share
        share += (
            " In CPU per request (workers and PostgreSQL), the answer page costs "
            + ", ".join(f"{ratio:.1f}" for ratio in cpu)
            + f" times /healthz, round by round (median {statistics.median(cpu):.1f})."
        )
        from bench.web import QUERIES_ONLY  # imports models: only once Django is set up

        floor = next((r for r in results if r.name == QUERIES_ONLY), None)
        if floor is None:
            return share
        floor_shares = [f / h for f, h in zip(floor.rounds, health.rounds, strict=False) if h]
        floor_cpu = [f / h for f, h in zip(floor.cpu_rounds, health.cpu_rounds, strict=False) if h]
        above_floor = [o / f for o, f in zip(owner.cpu_rounds, floor.cpu_rounds, strict=False) if f]
        rates = ", ".join(f"1/{1 / s:.1f}" for s in floor_shares)
        median = 1 / statistics.median(floor_shares)
        return (
            f"{share}\n\nThe floor under the page: reading the same link and running the page's "
            "queries through the same functions, with nothing presented (bench/floor.py), "
            f"reaches {rates} of /healthz's rate round by round (median 1/{median:.1f}) and "
            f"costs {floor.cpu_ms:.2f} ms of CPU per request, "
            + ", ".join(f"{ratio:.1f}" for ratio in floor_cpu)
            + " times /healthz. The page costs "
            + ", ".join(f"{ratio:.1f}" for ratio in above_floor)
            + " times its floor in CPU, round by round."
        )

    def findings(self, timings: list[Timing], seed_seconds: float, accounts: int) -> None:
        self.figures["findings"] = timings
        rows = [
            [
                *t.row(),
                f"≤ {FINDINGS_TARGET_MS} ms "
                + ("met" if t.median_ms <= FINDINGS_TARGET_MS else "MISSED"),
            ]
            for t in timings
        ]
        seeded = f" (inserted in {seed_seconds:.1f} s)" if seed_seconds else ""
        self.sections["Findings library"] = (
            table(
                ["search or filter", "median ms", "p95 ms", "runs", "SQL queries", "target"], rows
            )
            + f"\n\n{self.args['findings']:,} findings{seeded}, half Japanese and half English, "
            f"over {accounts:,} accounts; the /findings/ page as a sales rep opens it (the "
            "count and the first 25), server time through the Django test client. Search is a "
            "substring match per word on the normalised text, served by the trigram GIN index "
            "(a word of one or two characters, which has no trigram, by a GIN index on the "
            "findings' one- and two-character pieces); the count stops after 1,001 matches "
            "(the page says more than 1000)."
        )

    def targets(self) -> str:
        """Every target of the issue next to the figure measured for it."""
        rows: list[list[str]] = []

        def add(target: str, figure: str, met: bool) -> None:
            rows.append([target, figure, "met" if met else "MISSED"])

        timings = {t.name: t for t in self.figures.get("pages", [])}
        if "dashboard" in self.figures:
            dashboard, ratio = self.figures["dashboard"]
            timings.update({t.name: t for t in dashboard})
            add("dashboard ≤ 2 times the hand-written SQL", f"{ratio:.2f} times", ratio <= 2)
        for name, limit in TARGETS_MS.items():
            if name in timings:
                median = timings[name].median_ms
                add(f"{name} median ≤ {limit} ms", f"{median:.1f} ms", median <= limit)
        if "sweep" in self.figures:
            sweep = self.figures["sweep"]
            add("sweep ≥ 2,000 requests/s", f"{sweep.app_rate:,.0f}/s", sweep.app_rate >= 2000)
            add(
                "sweep ≤ 1.5 times the SQL baseline", f"{sweep.ratio:.2f} times", sweep.ratio <= 1.5
            )
        for kind in ("wake", "reminders"):
            if kind in self.figures:
                ratio = self.figures[kind].ratio
                target = f"{kind} sweep ≤ 1.5 times the SQL baseline"
                add(target, f"{ratio:.2f} times", ratio <= 1.5)
        for result in self.figures.get("outbox", []):
            who = "one process" if result.senders == 1 else f"{result.senders} processes"
            add(f"outbox ≥ 300 emails/s ({who})", f"{result.rate:,.0f}/s", result.rate >= 300)
        for result in self.figures.get("web", []):
            if result.name.startswith("Owner action"):
                rate = result.requests_per_second
                add("owner action page ≥ 300 requests/s", f"{rate:,.0f}/s", rate >= 300)
        searches = [t for t in self.figures.get("findings", []) if t.name.startswith("Search")]
        if searches:
            worst = max(searches, key=lambda t: t.median_ms)
            add(
                f"findings search median ≤ {FINDINGS_TARGET_MS} ms (slowest search)",
                f"{worst.median_ms:.1f} ms ({worst.name})",
                worst.median_ms <= FINDINGS_TARGET_MS,
            )
        for phase in self.figures.get("e2e", []):
            if phase.name.startswith("burst"):
                add("answer → email p95 ≤ 2 s (burst)", f"{phase.p95:.2f} s", phase.p95 <= 2)
            if phase.name.startswith("outage"):
                drained = phase.drain_seconds is not None and phase.drain_seconds <= 60
                figure = "never" if phase.drain_seconds is None else f"{phase.drain_seconds:.1f} s"
                add("outage: drained ≤ 60 s after Redis returned", figure, drained)
            once = phase.duplicates == 0 and phase.delivered == phase.answers
            add(
                f"e2e {phase.name.split(' ')[0]}: every email once",
                f"{phase.delivered}/{phase.answers}, {phase.duplicates} duplicates",
                once,
            )
        return table(["target", "measured", ""], rows)

    def missing(self) -> list[str]:
        wanted = ("pages", "dashboard", "sweep", "outbox", "imports", "web", "findings", "e2e")
        return [name for name in wanted if name not in self.figures]

    def render(self) -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            pg = cursor.fetchone()[0]
        sizes = (
            f"{self.args['requests']:,} requests, {self.args['accounts']:,} accounts, "
            f"{self.args['owners']:,} owners, {self.args['marketers']:,} marketers"
        )
        parts = [
            "# Benchmark results",
            "",
            f"Run on {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} — {self.machine}, "
            f"PostgreSQL {pg}.",
            f"Dataset: {sizes}. Command: `uv run python -m bench`.",
            "",
            "The machine may be shared (other test runs, other databases on the same "
            "PostgreSQL): load average over 1/5/15 minutes when this was written "
            f"{'/'.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores. "
            "Absolute figures move with that; the comparisons (app / SQL, the answer page / "
            "/healthz) come from rounds run side by side in a rotating order, every round "
            "shown.",
        ]
        parts += ["", "## Targets", "", self.targets()]
        for title, body in self.sections.items():
            parts += ["", f"## {title}", "", body]
        closing = self.closing_note()
        if closing:
            parts += ["", "## In short", "", closing]
        return "\n".join(parts) + "\n"

    def closing_note(self) -> str:
        lines = []
        if "sweep" in self.figures:
            sweep = self.figures["sweep"]
            lines.append(
                f"- Deadline sweep, app / best hand-written SQL: {sweep.ratio_before:.2f} times "
                f"with the former ORM batches, {sweep.ratio:.2f} times with one statement per "
                "batch (best rounds)."
            )
        web = self.figures.get("web", [])
        owner = next((r for r in web if r.name.startswith("Owner action")), None)
        health = next((r for r in web if r.name.startswith("Health check")), None)
        if owner and health:
            shares = [o / h for o, h in zip(owner.rounds, health.rounds, strict=False) if h]
            lines.append(
                "- The answer page's share of /healthz's rate: median 1/"
                f"{1 / statistics.median(shares):.1f} over {len(shares)} rounds. Its CPU per "
                f"request: {owner.app_cpu_ms:.2f} ms of a worker and "
                f"{owner.database_cpu_ms:.2f} ms of PostgreSQL (/healthz: "
                f"{health.app_cpu_ms:.2f} ms of a worker)."
            )
        for phase in self.figures.get("e2e", []):
            if phase.name.startswith("outage"):
                drain = "never" if phase.drain_seconds is None else f"{phase.drain_seconds:.1f} s"
                lines.append(
                    f"- Redis down {phase.name.split('down ')[-1].rstrip(')')}: "
                    f"{phase.delivered}/{phase.answers} emails delivered, "
                    f"{phase.duplicates} duplicates, drained {drain} after Redis returned."
                )
        return "\n".join(lines)


def _contenders(result, names: dict[str, str]) -> tuple[str, str]:
    """A sweep's table (app, SQL, ORM: every round, the best and its rate) and the order
    the contenders ran in each round."""
    rows = []
    for name in ("app", "sql", "orm"):
        cells = [f"{seconds:.2f}" for seconds in result.rounds[name]]
        best = result.best(name)
        rows.append([names[name], *cells, f"{best:.2f}", f"{result.requests / best:,.0f}"])
    rounds = [f"round {i + 1} s" for i in range(len(result.order))]
    order = "; ".join(f"round {i + 1}: {' → '.join(o)}" for i, o in enumerate(result.order))
    return table(["what", *rounds, "best s", "requests/s (best)"], rows), order
