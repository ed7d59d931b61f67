"""The findings library at scale: 200k findings in Japanese and English, searched and
filtered through the page as a sales rep opens it (Django test client, server time).

Findings are inserted in one SQL statement from phrase pools (deterministic), spread
over two years and over the completed requests the seed made; `search_text` and
`search_grams` are written as the workflow writes them (the phrases are already in
normalised form).
"""

from __future__ import annotations

import time

from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import Account, User
from bench.stats import Timing, measure
from interviews.models import Finding, FindingKind, InterviewRequest, Status

TARGET_MS = 50
INDUSTRIES = ["製造業", "Logistics", "金融", "Retail", "医療", "SaaS", "建設", "Education"]

# Each statement joins one opening, one middle and one ending of its language, so a word
# of one pool is in about 1/24, 1/30 or 1/20 of all findings.
JA_OPEN = [
    "決め手は",
    "導入前は",
    "最初の月に",
    "比較の結果",
    "懸念は",
    "現場では",
    "経理部長によると",
    "情報システム部は",
    "営業部門では",
    "監査法人の指摘で",
    "経営会議で",
    "検討段階で",
]
EN_OPEN = [
    "the deciding factor was",
    "before us they relied on",
    "in month one",
    "compared with",
    "the main worry was",
    "on the floor",
    "the cfo said",
    "it said",
    "the sales team found",
    "the auditors noticed",
    "the board asked about",
    "during the trial",
]
JA_MIDDLE = [
    "監査ログの使いやすさ",
    "月次決算の早期化",
    "請求書の自動照合",
    "承認フローの柔軟さ",
    "サポートの日本語対応",
    "価格体系の分かりやすさ",
    "既存会計ソフトとの連携",
    "権限管理の細かさ",
    "モバイルでの承認",
    "導入支援の手厚さ",
    "帳票の出力形式",
    "セキュリティ認証の取得状況",
    "データ移行の速さ",
    "画面の見やすさ",
    "経費精算の一元化",
]
EN_MIDDLE = [
    "the audit trail",
    "a faster month-end close",
    "automatic invoice matching",
    "flexible approval flows",
    "support in japanese",
    "clear pricing",
    "the erp integration",
    "fine-grained permissions",
    "mobile approvals",
    "onboarding help",
    "report exports",
    "security certifications",
    "quick data migration",
    "a clean interface",
    "one place for expenses",
]
JA_END = [
    "でした。",
    "が評価されました。",
    "が課題でした。",
    "に驚いたそうです。",
    "を重視していました。",
    "が決定打になりました。",
    "に不安がありました。",
    "が他社より優れていました。",
    "で比較されました。",
    "を社内で説明しやすかったそうです。",
]
EN_END = [
    ".",
    ", which won the deal.",
    ", which was a concern.",
    ", which surprised them.",
    ", which mattered most.",
    ", which tipped the decision.",
    ", which worried them at first.",
    ", better than the spreadsheet vendor.",
    ", compared with kintone.",
    ", easy to explain.",
]
QUOTES = [
    "経理チームが本来の仕事に戻れました",
    "締めが三日早くなりました",
    "もう紙には戻れません",
    "we stopped chasing approvals by email",
    "our auditors actually like it now",
    "it paid for itself in a quarter",
]

SEARCHES = [
    ("Search: Japanese word inside a phrase", {"q": "月次決算"}),
    ("Search: rare Japanese phrase", {"q": "セキュリティ認証"}),
    ("Search: English words", {"q": "audit trail"}),
    ("Search: Japanese and English together", {"q": "監査ログ 評価"}),
    ("Search: in quotes, quotable only", {"q": "経理チーム", "quotable": "on"}),
    ("Search + kind + industry", {"q": "価格体系", "kind": "why_us", "industry": "製造業"}),
    ("Search: two-character Japanese word", {"q": "価格"}),
    ("Search: one Japanese character", {"q": "紙"}),
    # Nothing matches: without an index, every finding would be read to say so.
    ("Search: one character no finding has", {"q": "税"}),
    ("No search: newest first", {}),
    ("Filters: kind + purpose + period", {"kind": "objection", "purpose": "case_study",
                                           "date_from": "2025-06-01", "date_to": "2025-12-31"}),
]  # fmt: skip


def _array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]::text[]"


def seed(count: int) -> float:
    """Replace the findings with `count` new ones; returns the seconds it took."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE interviews_finding RESTART IDENTITY")
        # Industries for the filter (as the CRM import would have set them).
        cursor.execute(
            # Constant text only (the pools above): no input reaches this SQL.
            f"UPDATE accounts_account SET industry = ({_array(INDUSTRIES)})[1 + id %% %s]",  # noqa: S608
            [len(INDUSTRIES)],
        )
        requests = list(
            InterviewRequest.objects.filter(status=Status.COMPLETED).values_list(
                "pk", "account_id", "requested_by_id", "purpose"
            )
        ) or list(
            InterviewRequest.objects.values_list("pk", "account_id", "requested_by_id", "purpose")
        )
        cursor.execute(
            "CREATE TEMP TABLE bench_req (n int, id int, account int, author int, purpose text)"
        )
        cursor.executemany(
            "INSERT INTO bench_req VALUES (%s, %s, %s, %s, %s)",
            [(n, *row) for n, row in enumerate(requests)],
        )
        kinds = _array(list(FindingKind.values))
        # Half the findings in Japanese, half in English; one in six with a quote.
        cursor.execute(
            f"""
            WITH g AS (
                SELECT i, (i * 7919) %% {len(requests)} AS r FROM generate_series(1, %s) AS i
            ), t AS (
                SELECT g.i, r.id AS request_id, r.account, r.author, r.purpose,
                    CASE WHEN g.i %% 2 = 0
                        THEN ({_array(JA_OPEN)})[1 + g.i %% {len(JA_OPEN)}]
                          || ({_array(JA_MIDDLE)})[1 + (g.i / 7) %% {len(JA_MIDDLE)}]
                          || ({_array(JA_END)})[1 + (g.i / 101) %% {len(JA_END)}]
                        ELSE ({_array(EN_OPEN)})[1 + g.i %% {len(EN_OPEN)}] || ' '
                          || ({_array(EN_MIDDLE)})[1 + (g.i / 7) %% {len(EN_MIDDLE)}]
                          || ({_array(EN_END)})[1 + (g.i / 101) %% {len(EN_END)}]
                    END AS statement,
                    CASE WHEN g.i %% 6 = 0
                        THEN ({_array(QUOTES)})[1 + (g.i / 13) %% {len(QUOTES)}] ELSE '' END
                        AS quote
                FROM g JOIN bench_req r ON r.n = g.r
            ), s AS (
                SELECT t.*, trim(statement || ' ' || quote) AS search FROM t
            )
            INSERT INTO interviews_finding (request_id, account_id, kind, purpose, statement, quote,
                speaker_id, quotable, search_text, search_grams, created_by_id, created_at,
                updated_at)
            SELECT request_id, account, ({kinds})[1 + (i / 3) %% {len(FindingKind.values)}],
                purpose, statement, quote, NULL, i %% 6 = 0 AND i %% 12 <> 0,
                search,
                -- As text_search.grams: each one- and two-character piece of a word, once.
                (SELECT coalesce(string_agg(DISTINCT g, ' ' ORDER BY g), '')
                 FROM (SELECT substr(search, k, 2) AS g
                       FROM generate_series(1, length(search) - 1) AS k
                       UNION ALL
                       SELECT substr(search, k, 1) FROM generate_series(1, length(search)) AS k
                      ) AS pieces
                 WHERE position(' ' IN g) = 0),
                author,
                now() - make_interval(mins => (i * 5)::int),
                now() - make_interval(mins => (i * 5)::int)
            FROM s
            """,  # noqa: S608 - built from the constant pools above
            [count],
        )
        cursor.execute("DROP TABLE bench_req")
        # As autovacuum leaves a table soon after a large insert (PostgreSQL 13+): hint
        # bits set, the visibility map and the GIN indexes' pending lists up to date.
        # Without it the first searches after the insert write pages as they read them.
        cursor.execute("VACUUM (ANALYZE) interviews_finding")
        cursor.execute("ANALYZE accounts_account")
    return time.perf_counter() - started


def run(*, count: int, repeat: int) -> tuple[list[Timing], float, int]:
    seconds = seed(count) if Finding.objects.count() != count else 0.0
    reader = (
        User.objects.filter(department="sales", is_active=True, is_manager=False)
        .order_by("pk")
        .first()
    )
    browser = Client()
    browser.force_login(reader)
    url = reverse("findings")

    def page(params: dict) -> None:
        response = browser.get(url, params)
        assert response.status_code == 200, response.status_code

    timings = [measure(name, lambda p=params: page(p), runs=repeat) for name, params in SEARCHES]
    one_account = Finding.objects.values_list("account_id", flat=True).first()
    timings.append(
        measure("Filter: one account", lambda: page({"account": one_account}), runs=repeat)
    )
    return timings, seconds, Account.objects.count()
