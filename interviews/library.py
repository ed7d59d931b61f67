"""The findings library's read side: which findings match a search and the filters.

Everyone who may read the library sees every finding (it is shared knowledge, not a
request's private state); `permissions.can_read_findings` decides who may open it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Lookup, Q, QuerySet, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber, StrIndex
from django.utils import timezone

from accounts.models import Account
from interviews import calendar, text_search
from interviews.models import Finding, FindingKind


@dataclass(frozen=True)
class FindingFilters:
    q: str = ""
    kind: str = ""
    account_id: int | None = None
    industry: str = ""
    purpose: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    quotable_only: bool = False


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()), calendar.business_tz())


class GramsContain(Lookup):
    """`search_grams__grams_contain=[...]`: the finding has every one of these one- or
    two-character pieces. PostgreSQL only, in the form its GIN index on the grams serves."""

    lookup_name = "grams_contain"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [list(value)])

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"string_to_array({lhs}, ' ') @> {rhs}::text[]", [*lhs_params, *rhs_params]


Finding._meta.get_field("search_grams").register_lookup(GramsContain)


def _search(q: str) -> Q:
    """Every word of the search, somewhere in the finding."""
    condition = Q()
    words = text_search.terms(q)
    # A word of one or two characters has no trigram: on PostgreSQL the GIN index on the
    # findings' grams finds the findings that have it (a rare 税 is then one index probe,
    # not a read of every finding).
    short = [w for w in words if len(w) <= 2] if connection.vendor == "postgresql" else []
    for word in words:
        if word in short:
            # The same answer as LIKE on search_text (the grams are one or two characters
            # each, between spaces), and as cheap to check on a row PostgreSQL reads;
            # unlike a LIKE on search_text, the trigram index does not take it for one
            # of its own conditions (it has no trigram to look up, and would only make
            # the planner expect too few rows).
            condition &= Q(search_grams__contains=word)
        else:
            # LIKE, not icontains: search_text is already folded, and the trigram index
            # serves a plain LIKE on the column (icontains would wrap it in UPPER()).
            condition &= Q(search_text__contains=word)
    if short:
        condition &= Q(search_grams__grams_contain=short)
    return condition


def findings(filters: FindingFilters, *, walk: bool = False) -> QuerySet[Finding]:
    """Newest first, each with what a row shows (account, request, speaker, author).

    `walk`: each word is checked on the rows the newest-first index gives (strpos, which
    no search index serves and which the planner expects a third of the rows to pass),
    for a search with many matches; see `page_ids`.
    """
    qs = Finding.objects.select_related("account", "request", "speaker", "created_by")
    if filters.q and walk:
        for i, word in enumerate(text_search.terms(filters.q)):
            qs = qs.alias(**{f"at_{i}": StrIndex("search_text", Value(word))}).filter(
                **{f"at_{i}__gt": 0}
            )
    elif filters.q:
        qs = qs.filter(_search(filters.q))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.account_id:
        qs = qs.filter(account_id=filters.account_id)
    if filters.industry:
        qs = qs.filter(account__industry=filters.industry)
    if filters.purpose:
        # The finding's own copy: no join to every request of that purpose.
        qs = qs.filter(purpose=filters.purpose)
    if filters.date_from:
        qs = qs.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(created_at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    if filters.quotable_only:
        qs = qs.filter(quotable=True)
    return qs.order_by("-created_at", "-id")


# What a row of the library page shows, and what deciding its links needs: the rest
# (the search text, the request's long texts) stays in the database.
_PAGE_FIELDS = (
    "id", "kind", "statement", "quote", "quotable", "created_at",
    "request_id", "account_id", "speaker_id",
    "account__name", "account__industry", "account__owner_id",
    "request__purpose", "request__owner_id", "request__owner_at_filing_id",
    "request__requested_by_id",
    "speaker__name", "speaker__title",
)  # fmt: skip


def for_page(qs: QuerySet[Finding]) -> QuerySet[Finding]:
    """The library page's rows: only the columns it shows."""
    return (
        qs.select_related(None).select_related("account", "request", "speaker").only(*_PAGE_FIELDS)
    )


def page_ids(
    filters: FindingFilters, low: int, high: int, *, many: bool
) -> QuerySet[Finding] | RawSQL:
    """The ids of the library page from `low` to `high` (newest first), for `page_rows`.

    The plan is chosen here, from the count the page has already made, not left to the
    planner's guess of how many findings two words match together (it multiplies their
    shares as if unrelated: 532 expected for "audit trail", 6,667 found, and the page
    then sorted all of them):
    - `many` (more than the count's cap): the newest-first index is read and each row
      checked, a few rows per match; the search indexes are not offered.
    - otherwise (at most the cap, so at most that many rows): on PostgreSQL the matches
      are planned as a whole (the search's index) and only they are sorted.
    """
    if many or connection.vendor != "postgresql":
        return findings(filters, walk=many).values("pk")[low:high]
    sql, params = findings(filters).order_by().values("pk", "created_at").query.sql_with_params()
    return RawSQL(  # noqa: S611 - the ORM's own SQL and parameters, and two integers
        f"WITH matches AS MATERIALIZED ({sql}) "  # noqa: S608 - the ORM's own SQL
        "SELECT pk FROM matches ORDER BY created_at DESC, pk DESC LIMIT %s OFFSET %s",
        (*params, high - low, low),
    )


def capped_count(
    matches: QuerySet[Finding], *, cap: int, page_size: int, offset: int
) -> tuple[int, list[int] | None]:
    """How many findings match, up to `cap` + 1; with at most `cap`, on PostgreSQL, also
    the ids of the page starting at `offset` (newest first), else None.

    Unordered and limited, so the database stops once it has seen `cap` + 1 rows. On
    PostgreSQL the matches are planned as a whole (a materialised CTE is read only as far
    as the LIMIT asks, but planned without it): a search uses its index and stops after
    `cap` + 1 rows. Under the LIMIT itself the planner reads the table in order when a word
    is in a few percent of the findings, and checks ~30 rows per match (18-49 ms for 月次決算
    at 200k, against 4-13 ms). The page's ids are sorted only when there are at most `cap`
    (an init plan runs only if its CASE branch is taken): the matches are already read.
    """
    matches = matches.order_by()
    if connection.vendor != "postgresql":
        return matches[: cap + 1].count(), None
    sql, params = matches.values("pk", "created_at").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH matches AS MATERIALIZED ({sql}), "  # noqa: S608 - the ORM's own SQL
            "capped AS (SELECT COUNT(*) AS n FROM (SELECT 1 FROM matches LIMIT %s) AS c) "
            "SELECT n, CASE WHEN n <= %s THEN ARRAY(SELECT pk FROM matches "
            "ORDER BY created_at DESC, pk DESC LIMIT %s OFFSET %s) END FROM capped",
            [*params, cap + 1, cap, page_size, offset],
        )
        count, ids = cursor.fetchone()
    return count, ids


def page_rows(ids: QuerySet[Finding] | RawSQL | list[int]) -> QuerySet[Finding]:
    """The library page's rows for these ids (a sliced query of the page's ids), newest
    first, with only the columns the page shows."""
    return for_page(Finding.objects.filter(pk__in=ids)).order_by("-created_at", "-id")


def industries() -> list[str]:
    """The industries accounts have, in order, for the filter's choices.

    On every library page, so it walks the industry index from one value to the next
    (a probe per industry) instead of reading every account for a DISTINCT.
    """
    table = connection.ops.quote_name(Account._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            # Only the model's own table name is formatted in; no input reaches this SQL.
            f"""
            WITH RECURSIVE walk(industry) AS (
                SELECT MIN(industry) FROM {table} WHERE industry > ''
                UNION ALL
                SELECT (SELECT MIN(industry) FROM {table} WHERE industry > walk.industry)
                FROM walk WHERE walk.industry IS NOT NULL
            )
            SELECT industry FROM walk WHERE industry IS NOT NULL
            """  # noqa: S608
        )
        return [row[0] for row in cursor.fetchall()]


def for_request(request_id: int) -> QuerySet[Finding]:
    return (
        Finding.objects.filter(request_id=request_id)
        .select_related("speaker", "created_by")
        .order_by("created_at", "id")
    )


def for_account(account_id: int, *, limit: int = 50) -> list[Finding]:
    return list(
        Finding.objects.filter(account_id=account_id)
        .select_related("speaker", "request")
        .order_by("-created_at", "-id")[:limit]
    )


def by_ids(ids: list[int]) -> list[Finding]:
    return list(Finding.objects.filter(pk__in=ids).select_related("speaker").order_by("kind", "id"))


def matches_any(q: str) -> Q:
    """For callers that combine the search with their own filters."""
    return _search(q)


@dataclass
class KindGroup:
    kind: str
    label: str
    findings: list[Finding]


def grouped(findings: list[Finding]) -> list[KindGroup]:
    """Findings by kind, in the order the kinds are listed (why us first)."""
    groups = []
    for kind in FindingKind:
        rows = [f for f in findings if f.kind == kind]
        if rows:
            groups.append(KindGroup(kind=kind.value, label=str(kind.label), findings=rows))
    return groups


NEWEST_PER_KIND = 3


@dataclass
class WeekSummary:
    count: int
    groups: list[KindGroup]
    start: dt.date
    end: dt.date


def learned_between(start: dt.date, end: dt.date) -> WeekSummary:
    """How many findings were added from `start` to `end` (business days, inclusive) and
    the three newest of each kind: two queries, whatever the number."""
    window = Finding.objects.filter(
        created_at__gte=_day_start(start), created_at__lt=_day_start(end + dt.timedelta(days=1))
    )
    count = window.count()
    newest = (
        window.select_related("account", "speaker")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("kind")],
                order_by=[F("created_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=NEWEST_PER_KIND)
        .order_by("kind", "rank")
    )
    return WeekSummary(count=count, groups=grouped(list(newest)), start=start, end=end)
