"""Interview candidates, requests, their timeline and the notification outbox.

Nothing outside `interviews/workflow/` (whose sweeps apply the same rules to batches)
writes `InterviewRequest.status`.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from accounts.models import Account


@functools.cache
def _choice_labels(field: models.Field) -> dict:
    return dict(field.flatchoices)


class ChoiceLabels:
    """`get_FOO_display()` that translates only the label it returns.

    Django's own builds a dict of every choice on each call with `make_hashable`, which
    hashes each lazy label and so translates all of them: a status has a dozen, and the
    pages a request appears on ask for several (the answer page spent a sixth of its
    rendering there). The choices of a field never change while the process runs.
    """

    def _get_FIELD_display(self, field: models.Field) -> str:
        value = getattr(self, field.attname)
        try:
            label = _choice_labels(field).get(value, value)
        except TypeError:  # an unhashable value: Django's way handles it
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)


class Candidate(models.Model):
    """A person at a customer account who could be interviewed."""

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="candidates"
    )
    crm_id = models.CharField(_("CRM id"), max_length=64, blank=True)
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    title = models.CharField(_("title"), max_length=150, blank=True)
    last_interviewed_on = models.DateField(_("last interviewed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "email"],
                condition=~Q(email=""),
                name="candidate_email_unique_per_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.title})" if self.title else self.name


class Purpose(models.TextChoices):
    CASE_STUDY = "case_study", _("Case study")
    TESTIMONIAL = "testimonial", _("Testimonial")
    RESEARCH = "research", _("Research")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    AWAITING_OWNER = "awaiting_owner", _("Waiting for the owner")
    OWNER_OUTREACH = "owner_outreach", _("Owner is asking the customer")
    MARKETING_OUTREACH = "marketing_outreach", _("Marketing is contacting the customer")
    DEFERRED = "deferred", _("Deferred by the owner")
    DECLINED = "declined", _("Declined by the owner")
    SCHEDULED = "scheduled", _("Interview scheduled")
    CUSTOMER_DECLINED = "customer_declined", _("Customer said no")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


# A request is "open" until it reaches an end state; an account has at most one open
# request at a time (enforced by a constraint, so two marketers cannot both file).
OPEN_STATUSES = (
    Status.AWAITING_OWNER,
    Status.OWNER_OUTREACH,
    Status.MARKETING_OUTREACH,
    Status.DEFERRED,
    Status.SCHEDULED,
)
CLOSED_STATUSES = (Status.DECLINED, Status.CUSTOMER_DECLINED, Status.COMPLETED, Status.CANCELLED)
# States in which the owner owes an answer by `response_due_at`.
WAITING_ON_OWNER_STATUSES = (Status.AWAITING_OWNER, Status.OWNER_OUTREACH)


class Outreach(models.TextChoices):
    OWNER = "owner", _("The owner asks the customer")
    MARKETING = "marketing", _("Marketing contacts the customer")


class ReasonCategory(models.TextChoices):
    """Why an owner defers or declines: shared by the forms and the dashboard."""

    BAD_TIMING = "bad_timing", _("Bad timing")
    OPEN_ISSUE = "open_issue", _("Open issue with the customer")
    CUSTOMER_BUSY = "customer_busy", _("Customer too busy")
    RELATIONSHIP_RISK = "relationship_risk", _("Relationship risk")
    NOT_A_FIT = "not_a_fit", _("Not a good fit")
    OTHER = "other", _("Other")


# The request list's default order, "what needs doing soonest": open requests before
# closed ones, then the date that matters for each open state (the owner's deadline, the
# interview, the end of a deferral). Defined here so that the list and its index
# (InterviewRequest.Meta) are one expression: PostgreSQL serves the order from the index
# only when the two match exactly.
CLOSED_LAST = Case(When(status__in=CLOSED_STATUSES, then=Value(1)), default=Value(0))
ACTION_AT = Case(
    When(status__in=(Status.AWAITING_OWNER, Status.OWNER_OUTREACH), then=F("response_due_at")),
    When(status=Status.SCHEDULED, then=F("interview_at")),
    When(status=Status.DEFERRED, then=F("wake_at")),
    default=Value(None),
    output_field=models.DateTimeField(),
)


class InterviewRequest(ChoiceLabels, models.Model):
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="requests"
    )
    candidates = models.ManyToManyField(
        Candidate, verbose_name=_("candidates"), related_name="requests", blank=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="filed_requests",
    )
    owner_at_filing = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner at filing"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The owner who is asked now: the account's owner at filing unless a manager reassigned.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_requests",
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    topic = models.CharField(_("topic"), max_length=200)
    questions = models.TextField(_("questions we want answered"))
    needed_by = models.DateField(_("content needed by"), null=True, blank=True)
    note_to_owner = models.TextField(_("note to the owner"), blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_OWNER
    )
    outreach_by = models.CharField(
        _("outreach by"), max_length=10, choices=Outreach.choices, blank=True
    )
    escalated = models.BooleanField(
        _("switched after the deadline"),
        default=False,
        help_text=_(
            "Marketing went direct because the owner's window passed or a manager forced it."
        ),
    )
    response_window_days = models.PositiveSmallIntegerField(_("response window (business days)"))
    window_started_at = models.DateTimeField(_("current window started"), null=True, blank=True)
    # What the owner owes next, by when: an answer (awaiting_owner) or the customer's
    # answer (owner_outreach). Indexed for the minute job; empty in every other state.
    response_due_at = models.DateTimeField(_("owner's deadline"), null=True, blank=True)
    next_reminder_at = models.DateTimeField(_("next reminder"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent in this window"), default=0)
    deferral_count = models.PositiveSmallIntegerField(_("times deferred"), default=0)
    deferred_until = models.DateField(_("deferred until"), null=True, blank=True)
    wake_at = models.DateTimeField(_("wakes at"), null=True, blank=True)
    owner_responded_at = models.DateTimeField(_("owner first answered"), null=True, blank=True)
    cooldown_override_reason = models.TextField(_("cooldown override reason"), blank=True)

    interview_at = models.DateTimeField(_("interview date"), null=True, blank=True)
    interview_location = models.CharField(_("interview place"), max_length=300, blank=True)
    interview_participants = models.TextField(_("participants"), blank=True)
    outcome_summary = models.TextField(_("summary"), blank=True)
    outcome_learnings = models.TextField(_("what we learned"), blank=True)
    outcome_quotes = models.TextField(_("key quotes"), blank=True)
    published_url = models.URLField(_("published piece"), max_length=500, blank=True)

    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("filed"))
    updated_at = models.DateTimeField(_("updated"))
    status_changed_at = models.DateTimeField(_("status changed"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("interview request")
        verbose_name_plural = _("interview requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(status__in=OPEN_STATUSES),
                name="one_open_request_per_account",
                violation_error_message=_("This account already has an open interview request."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=WAITING_ON_OWNER_STATUSES)
                | Q(response_due_at__isnull=False),
                name="waiting_request_has_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.DEFERRED) | Q(wake_at__isnull=False),
                name="deferred_request_has_wake_time",
            ),
            # A status no sweep, page or filter knows would let a request fall out of sight.
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="request_status_valid"
            ),
        ]
        indexes = [
            # The minute job reads only the due rows of each kind, a batch at a time in
            # the order of these (the id breaks the ties: deadlines, reminders and
            # wake-ups fall on the same hour, and without it each batch sorted every due
            # row to take its first few hundred).
            models.Index(
                fields=["response_due_at", "id"],
                condition=Q(status__in=WAITING_ON_OWNER_STATUSES),
                name="req_due_waiting_idx",
            ),
            # Scoped to the statuses a reminder is for, as the claim is: with only the
            # reminder time in the index, the planner combined it with the status index,
            # fetched every due row and sorted them all for each batch of a few hundred.
            models.Index(
                fields=["next_reminder_at", "id"],
                condition=Q(status__in=WAITING_ON_OWNER_STATUSES, next_reminder_at__isnull=False),
                name="req_reminder_due_idx",
            ),
            models.Index(
                fields=["wake_at", "id"],
                condition=Q(status=Status.DEFERRED),
                name="req_wake_due_idx",
            ),
            models.Index(fields=["status", "-created_at"], name="req_status_created_idx"),
            # The dashboard's period, funnel and trend figures.
            models.Index(fields=["created_at"], name="req_created_idx"),
            models.Index(
                fields=["closed_at"],
                condition=Q(status=Status.COMPLETED),
                name="req_completed_closed_idx",
            ),
            models.Index(fields=["owner", "status"], name="req_owner_status_idx"),
            models.Index(fields=["requested_by", "status"], name="req_marketer_status_idx"),
            # The request list's default order (the first page without a sort of 100k rows).
            models.Index(
                CLOSED_LAST,
                ACTION_AT,
                F("created_at").desc(),
                F("id").desc(),
                name="req_action_order_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.account} — {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("admin:interviews_interviewrequest_change", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EventKind(models.TextChoices):
    FILED = "filed", _("Filed")
    OWNER_WILL_REACH_OUT = "owner_will_reach_out", _("Owner will ask the customer")
    OWNER_GO_AHEAD = "owner_go_ahead", _("Owner let marketing contact the customer")
    DEFERRED = "deferred", _("Deferred")
    DECLINED = "declined", _("Declined by the owner")
    DEADLINE_PASSED = "deadline_passed", _("Deadline passed: switched to marketing")
    WOKE = "woke", _("Deferral ended: back with the owner")
    SCHEDULED = "scheduled", _("Interview scheduled")
    CUSTOMER_DECLINED = "customer_declined", _("Customer said no")
    COMPLETED = "completed", _("Interview completed")
    CANCELLED = "cancelled", _("Cancelled")
    DEADLINE_EXTENDED = "deadline_extended", _("Deadline extended")
    OWNER_REASSIGNED = "owner_reassigned", _("Owner reassigned")
    FORCED_SWITCH = "forced_switch", _("Manager switched to marketing")
    REMINDER_SENT = "reminder_sent", _("Reminder sent")
    EDITED = "edited", _("Request edited")
    FINDINGS_ADDED = "findings_added", _("Findings added")
    FINDING_EDITED = "finding_edited", _("Finding edited")
    CONTEXT_SHARED = "context_shared", _("Owner shared what sales already has")


# Events that record something without changing the request's state: they carry the
# version they happened in instead of bumping it, because the owner's email links carry
# the version and a reminder or a typo fix must not turn those links stale.
NON_VERSIONED_EVENT_KINDS = (
    EventKind.REMINDER_SENT,
    EventKind.EDITED,
    EventKind.FINDINGS_ADDED,
    EventKind.FINDING_EDITED,
    EventKind.CONTEXT_SHARED,
)


class RequestEvent(ChoiceLabels, models.Model):
    """One line of a request's timeline. Append-only."""

    request = models.ForeignKey(
        InterviewRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="events"
    )
    # Empty when the system acted (deadline passed, deferral ended, reminder).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("what"), max_length=30, choices=EventKind.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices, blank=True)
    # The request version this event produced. Transitions bump the version, so the
    # unique constraint makes applying one transition twice impossible.
    version = models.PositiveIntegerField(_("version"))
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["created_at", "id"]
        constraints = [
            # Reminders and edits do not change the request's state, so they carry the
            # version they happened in and stay out of this constraint.
            models.UniqueConstraint(
                fields=["request", "version"],
                condition=~Q(kind__in=NON_VERSIONED_EVENT_KINDS),
                name="event_once_per_request_version",
            ),
        ]
        indexes = [
            models.Index(fields=["request", "created_at"], name="event_request_idx"),
            models.Index(fields=["kind", "created_at"], name="event_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_system(self) -> bool:
        return self.actor_id is None


class NotificationKind(models.TextChoices):
    NEW_REQUEST = "new_request", _("New request (to the owner)")
    REMINDER = "reminder", _("Reminder (to the owner)")
    DECIDED = "decided", _("Owner's decision (to the marketer)")
    SWITCHED_OWNER = "switched_owner", _("Switched to marketing: courtesy notice (to the owner)")
    SWITCHED_MARKETER = "switched_marketer", _("Switched to marketing: go ahead (to the marketer)")
    WOKE = "woke", _("Deferral ended (to the owner)")
    SCHEDULED = "scheduled", _("Interview scheduled (to the owner and the marketer)")
    CUSTOMER_DECLINED = "customer_declined", _("Customer said no (to the owner and the marketer)")
    OUTCOME_SHARED = "outcome_shared", _("Outcome shared (to the owner)")
    CANCELLED = "cancelled", _("Cancelled (to the owner and the marketer)")
    DEADLINE_EXTENDED = "deadline_extended", _("Deadline extended (to the owner)")
    REASSIGNED_FROM = "reassigned_from", _("Request moved to another owner (to the old owner)")
    HANDED_OVER = "handed_over", _("Request on an account you now own (to the new owner)")
    COMMENT = "comment", _("Comment (to the marketer and the owner)")
    EDITED = "edited", _("Request edited (to the owner)")
    WEEKLY_DIGEST = "weekly_digest", _("Weekly digest (to managers)")
    FINDINGS_SHARED = "findings_shared", _("Findings shared (to the owner and their manager)")
    SLACK_REFRESH = "slack_refresh", _("Slack messages brought up to date (after a change)")


class Comment(models.Model):
    """A message on a request between the marketer and the owner (managers may join).

    Comments are conversation, not state: they do not bump the request's version.
    """

    request = models.ForeignKey(
        InterviewRequest,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"))

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at"], name="comment_request_idx")]

    def __str__(self) -> str:
        return f"{self.author} ({self.created_at:%Y-%m-%d %H:%M})"


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    # A team's channel (a manager's webhook, or the bot where the app is installed).
    SLACK = "slack", _("Slack team channel")
    # A direct message from the Slack app to the recipient.
    SLACK_DM = "slack_dm", _("Slack direct message")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    OBSOLETE = "obsolete", _("Not sent: no longer applies")


class Notification(ChoiceLabels, models.Model):
    """The outbox: written in the same transaction as the change that causes it.

    A task sends it after commit; the minute job sends whatever is still pending (broker
    down, SMTP error) with backoff. `unique_key` makes a retried transition or job unable
    to queue the same email twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    # Email to the recipient, or a post to the recipient's team Slack channel.
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    request = models.ForeignKey(
        InterviewRequest,
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.ForeignKey(
        RequestEvent,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    # Extra content for the email (a reminder lists several requests; cc addresses).
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    unique_key = models.CharField(_("unique key"), max_length=200, unique=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # While pending: when to try next. While sending: when the claim expires.
    next_attempt_at = models.DateTimeField(_("next attempt"))
    # Temporary failures are retried until then (empty: NOTIFICATION_RETRY_FOR_HOURS after
    # creation); an operator's re-send sets a fresh window.
    retry_until = models.DateTimeField(_("retry until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The outbox only ever picks up the statuses it knows: any other would be lost.
            models.CheckConstraint(
                condition=Q(status__in=NotificationStatus.values), name="notification_status_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status=NotificationStatus.PENDING),
                name="notification_pending_idx",
            ),
            models.Index(fields=["request", "created_at"], name="notification_request_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}"


class SlackMessage(models.Model):
    """A Slack direct message the app posted about a request, so that every one of them can
    be updated in place (`chat.update`) once the request moves on. A reminder about several
    requests has one row per request, all with the same channel and timestamp."""

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        related_name="slack_messages",
    )
    request = models.ForeignKey(
        InterviewRequest,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="slack_messages",
    )
    channel_id = models.CharField(_("Slack channel"), max_length=32)
    ts = models.CharField(_("Slack message timestamp"), max_length=32)
    created_at = models.DateTimeField(_("posted"))

    class Meta:
        verbose_name = _("Slack message")
        verbose_name_plural = _("Slack messages")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "request"], name="slack_message_once_per_request"
            ),
        ]
        indexes = [models.Index(fields=["request"], name="slack_message_request_idx")]

    def __str__(self) -> str:
        return f"{self.channel_id} {self.ts}"


class FindingKind(models.TextChoices):
    """What a finding is about: the questions sales asks of a won customer."""

    WHY_US = "why_us", _("Why they chose us")
    COMPARED = "compared", _("What they compared us with")
    BEFORE = "before", _("What they did before")
    FIRST_VALUE = "first_value", _("When they first saw value")
    OBJECTION = "objection", _("Objection or risk")
    DESCRIBE_US = "describe_us", _("How they describe us")
    PRODUCT_FEEDBACK = "product_feedback", _("Product feedback")


class Finding(ChoiceLabels, models.Model):
    """One thing an interview taught us, findable by the people who sell.

    Written only through `interviews.workflow.findings`, which keeps `search_text` (the
    statement, quote and speaker, normalised for matching) and `search_grams` (its
    one- and two-character pieces, for the shortest words) in step with the fields.
    """

    request = models.ForeignKey(
        InterviewRequest,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="findings",
    )
    # The request's account, copied: the library filters and sorts by it without a join,
    # and a request never changes its account.
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="findings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FindingKind.choices)
    # The request's purpose, copied for the same reason: findings belong to completed
    # interviews, and a request's purpose can be edited only while it waits for its owner.
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    statement = models.TextField(_("finding"))
    quote = models.TextField(_("verbatim quote"), blank=True)
    speaker = models.ForeignKey(
        Candidate,
        verbose_name=_("said by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    quotable = models.BooleanField(
        _("may be quoted externally"),
        default=False,
        help_text=_("The customer approved using this in customer-facing material."),
    )
    search_text = models.TextField(_("search text"), editable=False, default="")
    search_grams = models.TextField(_("search grams"), editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added"))
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=FindingKind.values), name="finding_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="finding_newest_idx"),
            models.Index(fields=["kind", "-created_at"], name="finding_kind_idx"),
            models.Index(fields=["purpose", "kind", "-created_at"], name="finding_purpose_idx"),
            models.Index(fields=["account", "-created_at"], name="finding_account_idx"),
            models.Index(fields=["request", "created_at"], name="finding_request_idx"),
        ]

    def __str__(self) -> str:
        return self.statement[:80]


class SalesContext(models.Model):
    """What the owner already has about the customer (call notes, recordings, CRM notes),
    shared with the marketer before they contact the customer. It never changes the
    request's state or the owner's answer."""

    request = models.ForeignKey(
        InterviewRequest,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="sales_context",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    excerpt = models.TextField(_("meeting-note excerpt"), blank=True)
    # One http(s) address a line: call recordings, CRM notes.
    links = models.TextField(_("links"), blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("shared"))

    class Meta:
        verbose_name = _("what sales already has")
        verbose_name_plural = _("what sales already has")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at"], name="salescontext_request_idx")]

    def __str__(self) -> str:
        return f"{self.author} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def link_list(self) -> list[str]:
        return [line for line in self.links.splitlines() if line.strip()]
