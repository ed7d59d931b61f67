"""Admin for every model. Requests are read-only here: their state changes only through
the workflow (pages, email links, the minute job), so the admin cannot bypass a rule."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.admin_filters import LookupSafeAdmin
from interviews.models import (
    Candidate,
    InterviewRequest,
    Notification,
    NotificationStatus,
    RequestEvent,
)
from interviews.notifications import outbox


@admin.register(Candidate)
class CandidateAdmin(LookupSafeAdmin):
    list_display = ["name", "title", "email", "account", "last_interviewed_on"]
    list_filter = [("last_interviewed_on", admin.EmptyFieldListFilter)]
    search_fields = ["name", "email", "title", "account__name", "crm_id"]
    list_select_related = ["account"]
    autocomplete_fields = ["account"]


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "actor", "from_status", "to_status", "details"]
    readonly_fields = fields
    ordering = ["created_at", "id"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(InterviewRequest)
class InterviewRequestAdmin(LookupSafeAdmin):
    list_display = [
        "id",
        "account",
        "topic",
        "status",
        "owner",
        "requested_by",
        "response_due_at",
        "deferral_count",
        "escalated",
        "created_at",
    ]
    list_filter = ["status", "purpose", "escalated", "outreach_by", "owner__department"]
    search_fields = [
        "account__name",
        "topic",
        "owner__name",
        "requested_by__name",
        "candidates__name",
    ]
    list_select_related = ["account", "owner", "requested_by"]
    date_hierarchy = "created_at"
    inlines = [RequestEventInline]
    readonly_fields = [f.name for f in InterviewRequest._meta.fields] + ["candidates"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "account",
                    "candidates",
                    "purpose",
                    "topic",
                    "questions",
                    "needed_by",
                    "note_to_owner",
                ]
            },
        ),
        (_("People"), {"fields": ["requested_by", "owner_at_filing", "owner"]}),
        (
            _("State"),
            {
                "fields": [
                    "status",
                    "outreach_by",
                    "escalated",
                    "response_window_days",
                    "window_started_at",
                    "response_due_at",
                    "next_reminder_at",
                    "reminders_sent",
                    "deferral_count",
                    "deferred_until",
                    "wake_at",
                    "owner_responded_at",
                    "cooldown_override_reason",
                    "version",
                ]
            },
        ),
        (
            _("Interview"),
            {"fields": ["interview_at", "interview_location", "outcome_summary", "published_url"]},
        ),
        (_("Dates"), {"fields": ["created_at", "updated_at", "status_changed_at", "closed_at"]}),
    ]

    def has_add_permission(self, request) -> bool:
        return False  # requests are filed by marketers through the workflow

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the timeline is the record; cancel instead


@admin.register(RequestEvent)
class RequestEventAdmin(LookupSafeAdmin):
    list_display = ["created_at", "request", "kind", "actor", "from_status", "to_status"]
    list_filter = ["kind", "to_status"]
    search_fields = ["request__account__name", "actor__name"]
    list_select_related = ["request__account", "actor"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in RequestEvent._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(LookupSafeAdmin):
    list_display = [
        "created_at",
        "kind",
        "recipient",
        "request",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["recipient__email", "recipient__name", "unique_key"]
    list_select_related = ["recipient", "request__account"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Send the selected failed notifications again"))
    def resend(self, request, queryset) -> None:
        count = outbox.resend_failed(
            ids=list(queryset.filter(status=NotificationStatus.FAILED).values_list("pk", flat=True))
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d notification queued again.",
                "%(count)d notifications queued again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
