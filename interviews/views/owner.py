"""What owners use: answering from an email link (no login) or signed in, their queue of
requests waiting for them, and pausing requests for one of their accounts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import OWNER_DEPARTMENTS, Account, User
from config import client_ip, ratelimit
from interviews import dates, links, permissions, presenters, selectors, workflow
from interviews.errors import InvalidInput, WorkflowError
from interviews.forms.decisions import DECISION_FORMS, DECISION_FUNCTIONS, SensitiveForm
from interviews.forms.findings import SalesContextForm
from interviews.links import LinkProblem
from interviews.models import NON_VERSIONED_EVENT_KINDS, EventKind, InterviewRequest, Status

# HTTP status per problem: a scanner or a human gets the same page, nothing changes.
_PROBLEM_STATUS = {
    LinkProblem.MALFORMED: 400,
    LinkProblem.EXPIRED: 410,
    LinkProblem.UNKNOWN_REQUEST: 404,
    LinkProblem.NOT_OWNER_ANYMORE: 409,
    LinkProblem.ALREADY_ANSWERED: 200,
    LinkProblem.OUT_OF_DATE: 409,
}


# Problems whose page shows nothing of the request's current state.
_CLOSED_TO_READER = {LinkProblem.EXPIRED, LinkProblem.NOT_OWNER_ANYMORE}


def timeline_views(interview: InterviewRequest) -> list:
    """The timeline as the request page shows it (reasons, dates, who passed it to whom)."""
    events = list(selectors.timeline(interview, with_actors=False))
    # Most events are the owner's, the marketer's or the system's, and both people came
    # with the request: only anyone else is looked up, in one query with the names that
    # reassignments store by id.
    people = {
        user.pk: user
        for user in (
            interview.owner if InterviewRequest.owner.is_cached(interview) else None,
            interview.requested_by if InterviewRequest.requested_by.is_cached(interview) else None,
        )
        if user is not None
    }
    wanted = {e.actor_id for e in events if e.actor_id} | presenters.reassignment_user_ids(events)
    people.update(selectors.people_by_id(wanted - people.keys()))
    for event in events:
        if event.actor_id:
            event.actor = people.get(event.actor_id)
    names = {pk: user.name for pk, user in people.items()}
    return [presenters.event_view(e, names=names) for e in events]


# What the answer pages show and check of the people and the account: the rest of these
# wide rows (password hashes, webhooks, CRM fields…) is neither read nor sent over.
_PERSON = ("name", "email", "is_active", "is_manager", "is_superuser", "department", "language")
_LOADED = (
    *(f.attname for f in InterviewRequest._meta.concrete_fields),
    "account__name",
    *(f"owner__{name}" for name in _PERSON),
    *(f"requested_by__{name}" for name in _PERSON),
)


def _load(request_id: int) -> InterviewRequest | None:
    try:
        # get(), not first(): no ordering to compile for a lookup by primary key.
        return (
            InterviewRequest.objects.select_related("account", "owner", "requested_by")
            .only(*_LOADED)
            .prefetch_related("candidates")
            .get(pk=request_id)
        )
    except InterviewRequest.DoesNotExist:
        return None


def _active_user(user_id: int, interview: InterviewRequest) -> User | None:
    """The link's recipient, if still active: usually the owner, loaded with the request."""
    if user_id == interview.owner_id:
        return interview.owner if interview.owner.is_active else None
    return User.objects.filter(pk=user_id, is_active=True).first()


def _decide(
    http_request: HttpRequest,
    *,
    interview: InterviewRequest,
    action: str,
    by: User,
    version: int,
) -> tuple[Any, bool]:
    """Validate the answer's form and apply it. Returns (form, applied)."""
    form_class = DECISION_FORMS[action]
    if http_request.method != "POST":
        return form_class(), False
    form = form_class(http_request.POST)
    if not form.is_valid():
        return form, False
    try:
        DECISION_FUNCTIONS[action](
            request_id=interview.pk, by=by, expected_version=version, **form.workflow_kwargs()
        )
    except InvalidInput as error:
        form.add_error(error.field if error.field in form.fields else None, str(error))
        return form, False
    return form, True


def _problem_page(
    http_request: HttpRequest,
    problem: LinkProblem,
    *,
    interview: InterviewRequest | None = None,
    recipient: User | None = None,
) -> HttpResponse:
    if problem in _CLOSED_TO_READER:
        # Whoever holds an old or expired email may no longer be entitled to the request
        # (a hand-over can be about them): only that the link is done, and who to ask.
        contact = interview.requested_by if interview is not None else None
        return render(
            http_request,
            "owner/link_problem.html",
            {"problem": problem.value, "contact": contact},
            status=_PROBLEM_STATUS[problem],
        )
    context: dict[str, Any] = {"problem": problem.value, "interview": interview}
    if interview is not None:
        context["events"] = timeline_views(interview)
        context["latest_event"] = (
            interview.events.exclude(kind__in=NON_VERSIONED_EVENT_KINDS)
            .select_related("actor")
            .last()
        )
        # The signature proved who this is: if the request still waits for them, offer the
        # answers again on a fresh link rather than sending them to look for a newer email.
        if recipient is not None and interview.owner_id == recipient.pk:
            actions = permissions.allowed_actions(recipient, interview) & set(links.OWNER_ACTIONS)
            if actions:
                token = links.make_token(interview, recipient)
                context["fresh_actions"] = [
                    (a, reverse("action_link", args=[token, a]))
                    for a in links.OWNER_ACTIONS
                    if a in actions
                ]
    return render(http_request, "owner/link_problem.html", context, status=_PROBLEM_STATUS[problem])


def _link_limits(request: HttpRequest, kwargs: dict) -> list[tuple[str, str, int]]:
    # Per link, not per address: an office's owners share one outgoing address. The
    # per-address ceiling is for floods, far above a whole sales floor answering at once.
    return [
        ("action-link:link", kwargs["token"], settings.ACTION_LINK_RATE_PER_LINK_PER_MINUTE),
        (
            "action-link:address",
            client_ip.client_network(request),
            settings.ACTION_LINK_RATE_PER_ADDRESS_PER_MINUTE,
        ),
    ]


@ratelimit.per_minute(_link_limits)
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache  # what a link shows changes with the request (and a 410 is cacheable)
def action_link(http_request: HttpRequest, token: str, action: str) -> HttpResponse:
    """An answer from an email. GET only shows the form (mail scanners open links)."""
    if action not in links.OWNER_ACTIONS:
        raise Http404
    link = links.read_token(token)
    if link is LinkProblem.EXPIRED:
        unsigned = links.read_expired_token(token)
        interview = _load(unsigned.request_id) if unsigned else None
        return _problem_page(http_request, LinkProblem.EXPIRED, interview=interview)
    if isinstance(link, LinkProblem):
        return _problem_page(http_request, link)
    interview = _load(link.request_id)
    if interview is None:
        return _problem_page(http_request, LinkProblem.UNKNOWN_REQUEST)
    recipient = _active_user(link.recipient_id, interview)
    problem = links.staleness(link, interview) if recipient else LinkProblem.NOT_OWNER_ANYMORE
    if problem is not None:
        return _problem_page(http_request, problem, interview=interview, recipient=recipient)
    if action not in permissions.allowed_actions(recipient, interview):
        return _problem_page(
            http_request, LinkProblem.OUT_OF_DATE, interview=interview, recipient=recipient
        )
    try:
        form, applied = _decide(
            http_request, interview=interview, action=action, by=recipient, version=link.version
        )
    except WorkflowError:
        # Someone or the deadline got there first, between loading and locking.
        interview = _load(interview.pk)
        return _problem_page(
            http_request,
            links.staleness(link, interview) or LinkProblem.OUT_OF_DATE,
            interview=interview,
            recipient=recipient,
        )
    if applied:
        messages.success(http_request, _("Thank you — your answer is recorded."))
        # Back to the same link: it now shows the answer and what happens next.
        return redirect("action_link", token=token, action=action)
    events = timeline_views(interview)
    return render(
        http_request,
        "owner/decide.html",
        {
            "interview": interview,
            "action": action,
            "form": form,
            "recipient": recipient,
            "events": events,
            "via_link": True,
            **_context_share(interview, recipient, events, token=token),
            **_decide_extras(interview, form, recipient),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer(http_request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The same answers for an owner (or a manager) who is signed in."""
    if action not in links.OWNER_ACTIONS:
        raise Http404
    interview = _load(pk)
    if interview is None or not permissions.can_view(http_request.user, interview):
        raise Http404
    if not permissions.can_decide(http_request.user, interview):
        raise PermissionDenied
    version = _posted_version(http_request, interview)
    if action not in permissions.allowed_actions(http_request.user, interview):
        messages.warning(
            http_request,
            _("This answer is no longer possible: the request is now “%(status)s”.")
            % {"status": interview.get_status_display()},
        )
        return redirect("request_detail", pk=pk)
    try:
        form, applied = _decide(
            http_request, interview=interview, action=action, by=http_request.user, version=version
        )
    except WorkflowError as error:
        messages.warning(http_request, str(error))
        return redirect("request_detail", pk=pk)
    if applied:
        messages.success(http_request, _("Your answer is recorded."))
        return redirect("request_detail", pk=pk)
    events = timeline_views(interview)
    return render(
        http_request,
        "owner/decide.html",
        {
            "interview": interview,
            "action": action,
            "form": form,
            "recipient": http_request.user,
            "events": events,
            "version": version,
            "via_link": False,
            **_context_share(interview, http_request.user, events),
            **_decide_extras(interview, form, http_request.user),
        },
    )


def _context_share(
    interview: InterviewRequest,
    user: User,
    events: list,
    *,
    token: str | None = None,
    form: SalesContextForm | None = None,
) -> dict[str, Any]:
    """The form to share what sales already has, next to the answer (it changes nothing
    about the answer), and what was shared so far."""
    if not permissions.can_share_context(user, interview):
        return {}
    return {
        "context_form": form or SalesContextForm(),
        "context_url": reverse("share_context_link", args=[token])
        if token
        else reverse("sales_context_add", args=[interview.pk]),
        # Each note shared is an event of the timeline the page shows anyway.
        "shared_count": sum(1 for e in events if e.event.kind == EventKind.CONTEXT_SHARED),
    }


@ratelimit.per_minute(_link_limits)
@require_POST
@never_cache
def share_context_link(http_request: HttpRequest, token: str) -> HttpResponse:
    """What sales already has, shared from the answer page an email link opened: the
    signed link names the owner, as for the answer itself. Any still-valid link of theirs
    works, whatever the request's state: sharing notes is not an answer."""
    link = links.read_token(token)
    if isinstance(link, LinkProblem):
        return _problem_page(http_request, link)
    interview = _load(link.request_id)
    if interview is None:
        return _problem_page(http_request, LinkProblem.UNKNOWN_REQUEST)
    recipient = _active_user(link.recipient_id, interview)
    if recipient is None or not permissions.can_share_context(recipient, interview):
        return _problem_page(http_request, LinkProblem.NOT_OWNER_ANYMORE, interview=interview)
    action = http_request.POST.get("action")
    action = action if action in links.OWNER_ACTIONS else links.OWNER_ACTIONS[0]
    form = SalesContextForm(http_request.POST)
    if form.is_valid():
        try:
            workflow.sales_context_add(request_id=interview.pk, by=recipient, **form.cleaned_data)
        except InvalidInput as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(http_request, _("Shared: marketing sees it on the request page."))
            return redirect("action_link", token=token, action=action)
    events = timeline_views(interview)
    answer_form = DECISION_FORMS[action]()
    return render(
        http_request,
        "owner/decide.html",
        {
            "interview": interview,
            "action": action,
            "form": answer_form,
            "recipient": recipient,
            "events": events,
            "via_link": True,
            **_context_share(interview, recipient, events, token=token, form=form),
            **_decide_extras(interview, answer_form, recipient),
        },
        status=400,
    )


def _decide_extras(interview: InterviewRequest, form: Any, by: User) -> dict[str, Any]:
    """What the answer page shows beside the form: the deadline at a glance, whether a
    field must be filled, and whose answer a manager is giving."""
    first, last = workflow.deferral_range()
    return {
        "chip": presenters.deadline_chip(interview),
        "any_required": any(f.required for f in form.fields.values()),
        "on_behalf_of": interview.owner if by.pk != interview.owner_id else None,
        # What an unanswered form's rendering depends on besides the action and language.
        "form_day": f"{first.isoformat()}/{last.isoformat()}",
    }


def _posted_version(http_request: HttpRequest, interview: InterviewRequest) -> int:
    """The version the person saw: a second tab or a double click then changes nothing."""
    try:
        return int(http_request.POST.get("version", interview.version))
    except (TypeError, ValueError):
        return -1


def _is_owner_or_manager(user: User) -> bool:
    return user.department in OWNER_DEPARTMENTS or permissions.is_manager(user)


@login_required
def queue(http_request: HttpRequest) -> HttpResponse:
    """“Waiting for you”: the owner's requests that need an answer, and their accounts."""
    user = http_request.user
    if not _is_owner_or_manager(user):
        raise PermissionDenied
    waiting = list(
        InterviewRequest.objects.filter(
            owner=user,
            status__in=(Status.AWAITING_OWNER, Status.OWNER_OUTREACH, Status.DEFERRED),
        )
        .select_related("account", "requested_by", "owner")
        .order_by("response_due_at", "wake_at", "pk")
    )
    rows = []
    for r in waiting:
        r.chip = presenters.deadline_chip(r)
        rows.append((r, sorted(permissions.allowed_actions(user, r), key=_ACTION_ORDER.index)))
    accounts = Account.objects.filter(owner=user).order_by("name")
    return render(
        http_request,
        "owner/queue.html",
        {
            "needs_answer": [row for row in rows if row[0].status != Status.DEFERRED],
            "paused": [row for row in rows if row[0].status == Status.DEFERRED],
            "accounts": accounts,
            "sensitive_form": SensitiveForm(),
            "owner_answer_actions": links.OWNER_ACTIONS,
        },
    )


_ACTION_ORDER = [
    *links.OWNER_ACTIONS,
    "schedule",
    "customer_declined",
    "complete",
    "cancel",
    "extend_deadline",
    "reassign_owner",
    "force_switch",
]


@login_required
@require_POST
def pause_account(http_request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(Account, pk=pk)
    if not workflow.can_mark_sensitive(http_request.user, account):
        raise PermissionDenied
    form = SensitiveForm(http_request.POST)
    if form.is_valid():
        try:
            workflow.account_mark_sensitive(
                account_id=account.pk,
                by=http_request.user,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
            )
        except InvalidInput as error:
            form.add_error(None, str(error))
    if form.errors:
        for errors in form.errors.values():
            for error in errors:
                messages.error(http_request, f"{account.name}: {error}")
    else:
        messages.success(
            http_request,
            _("New requests for %(account)s are paused until %(date)s.")
            % {"account": account.name, "date": dates.day(form.cleaned_data["until"])},
        )
    return redirect(_next_or(http_request, reverse("owner_queue")))


@login_required
@require_POST
def unpause_account(http_request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(Account, pk=pk)
    if not workflow.can_mark_sensitive(http_request.user, account):
        raise PermissionDenied
    workflow.account_clear_sensitive(account_id=account.pk, by=http_request.user)
    messages.success(
        http_request, _("Requests for %(account)s are open again.") % {"account": account.name}
    )
    return redirect(_next_or(http_request, reverse("owner_queue")))


def _next_or(http_request: HttpRequest, default: str) -> str:
    """A path on this site to go back to, or `default`. Only a path: redirect() would take
    anything else for a view name, and a line break cannot go into a header."""
    target = http_request.POST.get("next", "")
    if (
        target.startswith("/")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={http_request.get_host()}, require_https=http_request.is_secure()
        )
    ):
        return target
    return default
