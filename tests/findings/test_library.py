"""The library: who reads it, the filters, search in Japanese and English, its cost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import Department
from interviews import library
from interviews.models import Finding, FindingKind, Purpose
from interviews.workflow import FindingInput
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(add_findings, candidate, account):
    account.industry = "Manufacturing"
    account.save()
    return add_findings(
        FindingInput(
            kind=FindingKind.COMPARED,
            statement="They compared us with the spreadsheet vendor's ERP module.",
        ),
        FindingInput(
            kind=FindingKind.WHY_US,
            statement="決め手は監査ログの使いやすさでした。",
            quote="月次決算が三日早くなりました",
            speaker_id=candidate.pk,
            quotable=True,
        ),
        FindingInput(kind=FindingKind.OBJECTION, statement="Ｐｒｉｃｅ was the first worry."),
    )


def statements(q: str = "", **filters) -> list[str]:
    return [f.statement for f in library.findings(library.FindingFilters(q=q, **filters))]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # A Japanese word inside a longer phrase, no spaces around it.
        ("監査ログ", "決め手は監査ログの使いやすさでした。"),
        # In the quote, and by the speaker's name.
        ("三日早く", "決め手は監査ログの使いやすさでした。"),
        ("tanaka", "決め手は監査ログの使いやすさでした。"),
        # English, any case; full-width letters as typed by a Japanese keyboard.
        ("ERP module", "They compared us with the spreadsheet vendor's ERP module."),
        ("price", "Ｐｒｉｃｅ was the first worry."),
        ("ＥＲＰ", "They compared us with the spreadsheet vendor's ERP module."),
    ],
)
def test_search_finds_words_inside_phrases(three, q, expected):
    assert statements(q) == [expected]


def test_every_word_must_match_and_wildcards_are_text(three):
    assert statements("ERP 監査") == []
    assert statements("%") == []
    assert statements("_") == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_has_the_trigram_index_and_uses_it(three):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'finding_search_trgm_idx'")
        assert cursor.fetchone()
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM interviews_finding WHERE search_text LIKE %s", ["%監査ログ%"]
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "finding_search_trgm_idx" in plan
    assert statements("監査ログ") == ["決め手は監査ログの使いやすさでした。"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # Two-character words (no trigram on PostgreSQL: the grams serve them), inside a
        # phrase, in the quote, in English and full-width.
        ("ログ", ["決め手は監査ログの使いやすさでした。"]),
        ("三日", ["決め手は監査ログの使いやすさでした。"]),
        ("ｅｒ", ["They compared us with the spreadsheet vendor's ERP module."]),
        ("us", ["They compared us with the spreadsheet vendor's ERP module."]),
        # Every word must match: long and short, Japanese and English together.
        ("監査ログ 三日", ["決め手は監査ログの使いやすさでした。"]),
        ("erp 三日", []),
        ("ログ 三日 決め手", ["決め手は監査ログの使いやすさでした。"]),
        ("ログ price", []),
        # Two characters across a space are not a word of the finding.
        ("sw", []),
        # One character (served by the grams too): a kanji in the statement or the quote,
        # a letter in any case or width, with longer words, and one no finding has.
        ("決", ["決め手は監査ログの使いやすさでした。"]),
        ("早", ["決め手は監査ログの使いやすさでした。"]),
        (
            "Ｐ",
            [
                "Ｐｒｉｃｅ was the first worry.",
                "They compared us with the spreadsheet vendor's ERP module.",
            ],
        ),
        ("v 監査ログ", []),
        ("v erp", ["They compared us with the spreadsheet vendor's ERP module."]),
        ("税", []),
    ],
)
def test_short_words_are_found_inside_phrases(three, q, expected):
    assert statements(q) == expected


def test_japanese_and_english_words_in_one_finding(add_findings):
    add_findings(
        FindingInput(
            kind=FindingKind.WHY_US, statement="Salesforce連携の評価が高く、50%早く締まった"
        ),
        FindingInput(kind=FindingKind.WHY_US, statement="価格の評価は普通でした"),
    )
    assert statements("salesforce 評価") == ["Salesforce連携の評価が高く、50%早く締まった"]
    assert statements("SALESFORCE 連携 評価") == ["Salesforce連携の評価が高く、50%早く締まった"]
    assert sorted(statements("評価")) == [
        "Salesforce連携の評価が高く、50%早く締まった",
        "価格の評価は普通でした",
    ]
    assert statements("価格 salesforce") == []
    # Wildcards stay text, in short words too.
    assert statements("0%") == ["Salesforce連携の評価が高く、50%早く締まった"]
    assert statements("%早") == ["Salesforce連携の評価が高く、50%早く締まった"]
    assert statements("_早") == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("q", ["三日", "税"])
def test_postgres_finds_short_words_through_the_grams_index(three, q):
    from django.db import connection

    query = library.findings(library.FindingFilters(q=q)).order_by()
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "finding_search_gram_idx" in plan


def test_the_industry_filter_lists_each_industry_once_in_order(client, three, sales):
    from accounts.models import Account

    for industry in ["Retail", "製造業", "", "Retail", "Logistics", "SaaS"]:
        AccountFactory(industry=industry)
    expected = list(
        Account.objects.exclude(industry="")
        .order_by("industry")
        .values_list("industry", flat=True)
        .distinct()
    )
    assert library.industries() == expected
    assert set(expected) == {"Retail", "製造業", "Logistics", "SaaS", "Manufacturing"}
    client.force_login(sales)
    page = client.get(reverse("findings")).content.decode()
    assert '<option value="製造業">製造業</option>' in page


def test_filters(three, account, clock):
    other = AccountFactory(industry="Retail")
    assert len(statements(kind=FindingKind.WHY_US)) == 1
    assert len(statements(account_id=account.pk)) == 3
    assert statements(account_id=other.pk) == []
    assert len(statements(industry="Manufacturing")) == 3
    assert statements(industry="Retail") == []
    assert len(statements(purpose=Purpose.CASE_STUDY)) == 3
    assert statements(purpose=Purpose.RESEARCH) == []
    assert len(statements(quotable_only=True)) == 1
    today = dt.date(2026, 11, 30)
    assert len(statements(date_from=today, date_to=today)) == 3
    assert statements(date_from=today + dt.timedelta(days=1)) == []


@pytest.mark.parametrize(
    ("department", "is_manager", "status"),
    [
        (Department.SALES, False, 200),
        (Department.CUSTOMER_SUCCESS, False, 200),
        (Department.MARKETING, False, 200),
        (Department.OTHER, True, 200),
        (Department.OTHER, False, 403),
    ],
)
def test_who_reads_the_library(client, three, department, is_manager, status):
    client.force_login(UserFactory(department=department, is_manager=is_manager))
    assert client.get(reverse("findings")).status_code == status
    assert client.get(reverse("findings_export")).status_code == status


def test_the_library_page_marks_quotable_findings_and_links_back(client, three, account):
    reader = UserFactory(department=Department.SALES)  # not this account's owner
    client.force_login(reader)
    page = client.get(reverse("findings"), {"q": "監査ログ"}).content.decode()
    assert "月次決算が三日早くなりました" in page
    assert "Quotable externally" in page
    assert f"/findings/?account={account.pk}" in page
    # Not their account: the request and the account's page stay private.
    assert reverse("request_detail", args=[three[0].request_id]) not in page
    assert reverse("account_detail", args=[account.pk]) not in page

    client.force_login(account.owner)
    page = client.get(reverse("findings"), {"q": "監査ログ"}).content.decode()
    assert reverse("request_detail", args=[three[0].request_id]) in page
    assert reverse("account_detail", args=[account.pk]) in page


def test_the_page_in_japanese(client, three, sales):
    sales.language = "ja"
    sales.save()
    client.force_login(sales)
    page = client.get(reverse("findings"), {"kind": FindingKind.WHY_US}).content.decode()
    assert "社外で引用可" in page


def test_the_library_costs_the_same_for_3_or_60_findings(
    client, three, add_findings, sales, django_assert_max_num_queries
):
    client.force_login(sales)
    url = reverse("findings") + "?q=e"
    with django_assert_max_num_queries(6) as few:
        client.get(url)
    add_findings(
        *[FindingInput(kind=FindingKind.BEFORE, statement=f"Before {i}") for i in range(20)]
    )
    add_findings(
        *[FindingInput(kind=FindingKind.BEFORE, statement=f"Earlier {i}") for i in range(20)]
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_csv_is_formula_safe(client, add_findings, sales):
    add_findings(FindingInput(kind=FindingKind.WHY_US, statement='=HYPERLINK("http://x")'))
    client.force_login(sales)
    body = client.get(reverse("findings_export")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert Finding.objects.count() == 1


def test_a_search_finding_more_than_the_cap_says_so(client, add_findings, sales, monkeypatch):
    from interviews.views import findings as views

    monkeypatch.setattr(views, "COUNT_CAP", 4)
    add_findings(*[FindingInput(kind=FindingKind.BEFORE, statement=f"Excel {i}") for i in range(6)])
    client.force_login(sales)
    page = client.get(reverse("findings"), {"q": "excel"}).content.decode()
    assert "More than 4 findings: the newest 4 are shown." in page
    page = client.get(reverse("findings"), {"q": "excel 5"}).content.decode()
    assert "1 finding" in page


@pytest.mark.parametrize("q", ["価格", "価格 2", "決め手 価格"])
def test_the_pages_of_a_search_are_newest_first_without_gaps(
    client, add_findings, sales, clock, monkeypatch, q
):
    """Below the count's cap the matches are sorted; above it the newest are read in
    order (two plans for one answer)."""
    import re

    from interviews.views import findings as views

    def make(numbers):
        return add_findings(
            *[FindingInput(kind=FindingKind.BEFORE, statement=f"決め手は価格 {i}") for i in numbers]
        )

    older = make(range(20))
    clock.shift(dt.timedelta(hours=1))
    newer = make(range(20, 30))
    add_findings(FindingInput(kind=FindingKind.BEFORE, statement="価値 (not this one)"))
    newest_first = sorted(older + newer, key=lambda f: (f.created_at, f.pk), reverse=True)
    expected = [f.pk for f in newest_first if all(w in f.statement for w in q.split())]
    client.force_login(sales)

    def shown(number):
        page = client.get(reverse("findings"), {"q": q, "page": number}).content.decode()
        return page, [int(pk) for pk in re.findall(r'id="finding-(\d+)"', page)]

    page, first = shown(1)
    rest = shown(2)[1] if len(expected) > 25 else []
    assert first + rest == expected
    assert f"{len(expected)} findings" in page
    # A page past the end shows the last one; a page that is not a number, the first.
    assert shown(9)[1] == (rest or first)
    assert shown("x")[1] == first
    assert shown("99999999999999999999999")[1] == (rest or first)
    assert shown("0")[1] == (rest or first)

    monkeypatch.setattr(views, "COUNT_CAP", 3)
    page, first = shown(1)
    assert "More than 3 findings" in page
    assert first == expected[:4]


def test_the_filters_show_what_was_chosen(client, three, sales, account):
    """The chosen kind, industry, purpose and account stay selected on the page of results
    (and in the language of the reader)."""
    sales.language = "ja"
    sales.save()
    client.force_login(sales)
    page = client.get(
        reverse("findings"),
        {
            "kind": FindingKind.WHY_US,
            "industry": "Manufacturing",
            "purpose": Purpose.CASE_STUDY,
            "account": account.pk,
        },
    ).content.decode()
    assert f'<option value="{FindingKind.WHY_US}" selected>' in page
    assert '<option value="Manufacturing" selected>Manufacturing</option>' in page
    assert f'<option value="{Purpose.CASE_STUDY}" selected>導入事例</option>' in page
    assert f'<option value="{account.pk}" selected>{account.name}</option>' in page
    assert page.count(" selected>") == 4


def test_the_accounts_owner_reads_where_each_finding_comes_from_in_their_language(
    client, three, account, sales
):
    """Account (and its page), industry, purpose, the request and the day it was added."""
    from django.utils import translation

    from interviews import dates

    sales.language = "ja"
    sales.save()
    client.force_login(sales)
    page = client.get(reverse("findings"), {"q": "監査ログ"}).content.decode()
    finding = three[1]
    with translation.override("ja"):
        day = dates.day(finding.created_at)
    assert f'(<a href="{reverse("account_detail", args=[account.pk])}">' in page
    assert " · Manufacturing · 導入事例 · " in page
    assert (
        f'<a href="{reverse("request_detail", args=[finding.request_id])}">'
        f"依頼 #{finding.request_id}</a>" in page
    )
    assert f">{day}</time>" in page
