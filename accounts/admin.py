from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, User
from config.admin_filters import LookupSafeAdmin


@admin.register(User)
class UserAdmin(LookupSafeAdmin, DjangoUserAdmin):
    ordering = ["name"]
    list_display = [
        "email",
        "name",
        "department",
        "is_manager",
        "reports_to",
        "language",
        "is_active",
        "is_staff",
    ]
    list_filter = ["department", "is_manager", "language", "is_active", "is_staff"]
    search_fields = ["email", "name"]
    list_select_related = ["reports_to"]
    autocomplete_fields = ["reports_to"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Person"),
            {"fields": ["name", "department", "is_manager", "reports_to", "language", "time_zone"]},
        ),
        (_("Team"), {"fields": ["slack_webhook_url", "slack_channel_id"]}),
        (_("Slack"), {"fields": ["notify_via", "slack_user_id", "slack_checked_at"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "name", "department", "password1", "password2"],
            },
        ),
    ]


@admin.register(Account)
class AccountAdmin(LookupSafeAdmin):
    list_display = ["name", "crm_id", "domain", "owner", "sensitive_until", "updated_at"]
    list_filter = ["owner__department", ("sensitive_until", admin.EmptyFieldListFilter)]
    search_fields = ["name", "crm_id", "domain", "owner__name", "owner__email"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner"]
