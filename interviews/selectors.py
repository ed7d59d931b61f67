"""Read-side queries for pages.

Each page's queries are fixed in number whatever the data: rows come with what they show
(select_related / prefetch_related / annotations), never one query per row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Exists,
    F,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from accounts.models import OWNER_DEPARTMENTS, Account, User
from interviews import permissions
from interviews.models import (
    ACTION_AT,
    CLOSED_LAST,
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Candidate,
    Comment,
    EventKind,
    InterviewRequest,
    RequestEvent,
    SalesContext,
)

# Events whose details explain the state a request is in (the reason shown next to it).
_STATE_EVENT_KINDS = (
    EventKind.DEFERRED,
    EventKind.DECLINED,
    EventKind.CUSTOMER_DECLINED,
    EventKind.CANCELLED,
)

# Events that hand a request to marketing before the owner said so.
_SWITCH_EVENT_KINDS = (EventKind.DEADLINE_PASSED, EventKind.FORCED_SWITCH)


def requests_visible_to(user: User) -> QuerySet[InterviewRequest]:
    qs = InterviewRequest.objects.select_related("account", "owner", "requested_by")
    if permissions.is_marketer(user) or permissions.is_manager(user):
        return qs
    return qs.filter(Q(owner=user) | Q(owner_at_filing=user) | Q(requested_by=user))


def with_state_event(qs: QuerySet[InterviewRequest]) -> QuerySet[InterviewRequest]:
    """Annotate `state_event_details`: the details of the event that put each request in
    its current state (why it was deferred, declined, cancelled), and `switch_kind`: how
    an escalated request went to marketing (the deadline, or a manager), in the same query."""
    latest = (
        RequestEvent.objects.filter(
            request=OuterRef("pk"), to_status=OuterRef("status"), kind__in=_STATE_EVENT_KINDS
        )
        .order_by("-created_at", "-id")
        .values("details")[:1]
    )
    switch = (
        RequestEvent.objects.filter(request=OuterRef("pk"), kind__in=_SWITCH_EVENT_KINDS)
        .order_by("-created_at", "-id")
        .values("kind")[:1]
    )
    return qs.annotate(
        state_event_details=Subquery(latest, output_field=JSONField()),
        switch_kind=Subquery(switch),
    )


# --- The request list ------------------------------------------------------------------

SORTS = {
    # Matches req_action_order_idx exactly (ASC puts NULLs last on PostgreSQL; said
    # explicitly for SQLite, where it is the other way round).
    "action": (CLOSED_LAST.asc(), ACTION_AT.asc(nulls_last=True), "-created_at", "-pk"),
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
    "deadline": (F("response_due_at").asc(nulls_last=True), "-created_at", "-pk"),
    "updated": ("-updated_at", "-pk"),
    "account": ("account__name", "-created_at", "-pk"),
}


@dataclass(frozen=True)
class RequestFilters:
    """What the list is narrowed to; empty values mean “any”."""

    q: str = ""
    status: str = ""  # a Status value, or "open" / "closed"
    owner: User | None = None
    account: Account | None = None
    purpose: str = ""
    mine: bool = False
    sort: str = "action"


def _matches(q: str) -> Q:
    """Search by account, candidate (name or email) or topic."""
    people = Candidate.requests.through.objects.filter(
        Q(candidate__name__icontains=q) | Q(candidate__email__icontains=q),
        interviewrequest_id=OuterRef("pk"),
    )
    return Q(account__name__icontains=q) | Q(topic__icontains=q) | Q(Exists(people))


def request_list(user: User, filters: RequestFilters) -> QuerySet[InterviewRequest]:
    qs = with_state_event(requests_visible_to(user))
    if filters.q:
        qs = qs.filter(_matches(filters.q))
    if filters.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.status == "closed":
        qs = qs.filter(status__in=CLOSED_STATUSES)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.owner is not None:
        qs = qs.filter(owner=filters.owner)
    if filters.account is not None:
        qs = qs.filter(account=filters.account)
    if filters.purpose:
        qs = qs.filter(purpose=filters.purpose)
    if filters.mine:
        qs = qs.filter(Q(requested_by=user) | Q(owner=user))
    return qs.order_by(*SORTS.get(filters.sort, SORTS["action"]))


def owners_for_filter() -> QuerySet[User]:
    # Hundreds of people on every list page: only what an option shows (User.__str__) and
    # the filter uses (the id), not every column of each (hashes, dates to parse).
    return (
        User.objects.filter(department__in=OWNER_DEPARTMENTS, is_active=True)
        .only("pk", "name", "email")
        .order_by("name")
    )


def accounts_for_filter(user: User) -> QuerySet[Account]:
    """Accounts that have a request this person can see."""
    visible = requests_visible_to(user).filter(account=OuterRef("pk"))
    return Account.objects.filter(Exists(visible)).order_by("name")


# --- One request -----------------------------------------------------------------------


def request_for_page(user: User) -> QuerySet[InterviewRequest]:
    """The requests this person may open, with what the page shows alongside."""
    return with_state_event(requests_visible_to(user)).prefetch_related("candidates")


def timeline(request: InterviewRequest, *, with_actors: bool = True) -> QuerySet[RequestEvent]:
    events = request.events.order_by("created_at", "id")
    return events.select_related("actor") if with_actors else events


def comments(request: InterviewRequest) -> QuerySet[Comment]:
    return request.comments.select_related("author").order_by("created_at", "id")


def sales_context(request: InterviewRequest) -> QuerySet[SalesContext]:
    return request.sales_context.select_related("author").order_by("created_at", "id")


def people_by_id(ids: set[int]) -> dict[int, User]:
    """People as timelines show them (name and role), without the rest of their row."""
    if not ids:
        return {}
    fields = ("name", "email", "is_active", "is_manager", "department")
    people = User.objects.filter(pk__in=ids).only(*fields).order_by()
    return {user.pk: user for user in people}


def user_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(User.objects.filter(pk__in=ids).values_list("pk", "name"))


# --- Accounts and candidates -------------------------------------------------------------


def accounts_visible_to(user: User) -> QuerySet[Account]:
    """Marketers and managers see every account; an owner sees the accounts they own or
    have been asked about."""
    qs = Account.objects.select_related("owner")
    if permissions.is_marketer(user) or permissions.is_manager(user):
        return qs
    if not user.is_active:
        return qs.none()
    asked = InterviewRequest.objects.filter(
        Q(owner=user) | Q(owner_at_filing=user), account=OuterRef("pk")
    )
    return qs.filter(Q(owner=user) | Q(Exists(asked)))


def search_text(q: str) -> str:
    """What was typed in a search box, fit for a query: PostgreSQL refuses NUL characters
    (and none of our text contains one)."""
    return q.replace("\x00", "").strip()


def account_search(user: User, q: str, *, limit: int = 20) -> list[Account]:
    """Accounts whose name, CRM id or domain matches, best (name starts with q) first."""
    q = search_text(q)
    qs = accounts_visible_to(user)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(crm_id__iexact=q) | Q(domain__icontains=q))
        starts = qs.filter(name__istartswith=q).order_by("name")[:limit]
        found = list(starts)
        if len(found) < limit:
            found += list(
                qs.exclude(pk__in=[a.pk for a in found]).order_by("name")[: limit - len(found)]
            )
        return found
    return list(qs.order_by("name")[:limit])


def account_list(user: User, q: str = "") -> QuerySet[Account]:
    qs = accounts_visible_to(user)
    q = search_text(q)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(crm_id__iexact=q) | Q(domain__icontains=q))
    open_request = InterviewRequest.objects.filter(
        account=OuterRef("pk"), status__in=OPEN_STATUSES
    ).values("pk")[:1]
    last_request = (
        InterviewRequest.objects.filter(account=OuterRef("pk"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return qs.annotate(
        open_request_id=Subquery(open_request),
        last_request_at=Subquery(last_request),
    ).order_by("name")


def account_history(user: User, account: Account) -> QuerySet[InterviewRequest]:
    """Every request about this account (all purposes) this person may see, newest first."""
    return (
        with_state_event(requests_visible_to(user))
        .filter(account=account)
        .prefetch_related("candidates")
        .order_by("-created_at", "-pk")
    )


def account_candidates(account: Account) -> QuerySet[Candidate]:
    last_asked = (
        InterviewRequest.objects.filter(candidates=OuterRef("pk"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return account.candidates.annotate(last_asked_at=Subquery(last_asked)).order_by("name")


def candidates_visible_to(user: User) -> QuerySet[Candidate]:
    return Candidate.objects.select_related("account__owner").filter(
        account__in=accounts_visible_to(user)
    )


def candidate_history(user: User, candidate: Candidate) -> QuerySet[InterviewRequest]:
    return (
        with_state_event(requests_visible_to(user))
        .filter(candidates=candidate)
        .prefetch_related("candidates")
        .order_by("-created_at", "-pk")
    )
