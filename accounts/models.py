"""People (staff users) and the customer accounts they own."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Department(models.TextChoices):
    MARKETING = "marketing", _("Marketing")
    SALES = "sales", _("Sales")
    CUSTOMER_SUCCESS = "customer_success", _("Customer success")
    OTHER = "other", _("Other")


OWNER_DEPARTMENTS = (Department.SALES, Department.CUSTOMER_SUCCESS)


class Language(models.TextChoices):
    JAPANESE = "ja", "日本語"
    ENGLISH = "en", "English"


class NotifyVia(models.TextChoices):
    """Where requests and reminders reach a person (email always, without a Slack match)."""

    BOTH = "both", _("Email and Slack")
    SLACK = "slack", _("Slack only")
    EMAIL = "email", _("Email only")


def _validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("%(value)s is not a known time zone."), params={"value": value}
        ) from exc


def _default_time_zone() -> str:
    return settings.TIME_ZONE


def _default_language() -> str:
    return settings.LANGUAGE_CODE


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        if not (extra["is_staff"] and extra["is_superuser"]):
            raise ValueError("A superuser needs is_staff and is_superuser.")
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        # Email is the login and is stored lower-case: match what people type.
        return self.get(email__iexact=username or "")


class User(AbstractUser):
    """A member of staff: marketer, sales rep, CS manager, manager or admin.

    The role follows from the department (who may file or decide) plus the manager flag
    (who sees the dashboard and may override). Admins are Django staff.
    """

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    department = models.CharField(
        _("department"), max_length=20, choices=Department.choices, default=Department.OTHER
    )
    is_manager = models.BooleanField(
        _("manager"),
        default=False,
        help_text=_("Managers see the dashboard, may override policy and reassign owners."),
    )
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=_default_language
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=_default_time_zone, validators=[_validate_time_zone]
    )
    # Managers get the weekly digest unless they unsubscribed (one click, from the email).
    weekly_digest = models.BooleanField(
        _("weekly digest"),
        default=True,
        help_text=_("Managers get a summary of stalled requests by email every Monday morning."),
    )
    # Set on a manager: their team's new requests, switches and completions are posted to
    # this Slack incoming webhook (a channel the team reads).
    slack_webhook_url = models.URLField(
        _("team Slack webhook"),
        max_length=500,
        blank=True,
        help_text=_(
            "Slack incoming-webhook URL for this manager's team: new requests, switches to "
            "marketing and completed interviews are posted there."
        ),
    )

    # Set on a manager in a workspace where the Slack app is installed: the team's
    # channel, posted to by the app's bot instead of the webhook (which stays the fallback).
    slack_channel_id = models.CharField(
        _("team Slack channel ID"),
        max_length=32,
        blank=True,
        help_text=_(
            "Channel ID (C…) for this manager's team, used when the Slack app is installed; "
            "invite the app to the channel first."
        ),
    )
    # Found by email in the installed workspace (users.lookupByEmail), cached here and
    # looked up again after SLACK_LOOKUP_MAX_AGE_DAYS; empty means "no match": email only.
    slack_user_id = models.CharField(_("Slack user ID"), max_length=32, blank=True)
    slack_checked_at = models.DateTimeField(_("looked up in Slack"), null=True, blank=True)
    notify_via = models.CharField(
        _("requests reach me by"),
        max_length=10,
        choices=NotifyVia.choices,
        default=NotifyVia.BOTH,
        help_text=_("Without a Slack account matching your email, everything comes by email."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["name"]
        constraints = [
            # Login matches the email case-insensitively, so two spellings of one address
            # must not exist.
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_any_case",
                violation_error_message=_("A user with this email address already exists."),
            ),
        ]

    def save(self, *args, **kwargs) -> None:
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    @property
    def is_marketer(self) -> bool:
        return self.department == Department.MARKETING

    @property
    def is_owner_role(self) -> bool:
        return self.department in OWNER_DEPARTMENTS

    @property
    def gets_slack(self) -> bool:
        return bool(self.slack_user_id) and self.notify_via in (NotifyVia.BOTH, NotifyVia.SLACK)

    @property
    def gets_email(self) -> bool:
        return not self.slack_user_id or self.notify_via in (NotifyVia.BOTH, NotifyVia.EMAIL)


class Account(models.Model):
    """A customer company. Its owner (sales or CS) must be asked before an interview."""

    name = models.CharField(_("name"), max_length=200)
    crm_id = models.CharField(_("CRM id"), max_length=64, blank=True)
    domain = models.CharField(_("domain"), max_length=253, blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_accounts",
        limit_choices_to={"department__in": OWNER_DEPARTMENTS},
    )
    sensitive_until = models.DateField(
        _("sensitive until"),
        null=True,
        blank=True,
        help_text=_("No new interview requests may be filed until this date."),
    )
    sensitive_reason = models.TextField(_("why it is sensitive"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("customer account")
        verbose_name_plural = _("customer accounts")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["crm_id"], condition=~Q(crm_id=""), name="account_crm_id_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["owner"], name="account_owner_idx"),
            # The findings library's industry filter lists the distinct industries by
            # walking this index (a few probes, not a scan of every account).
            models.Index(fields=["industry"], name="account_industry_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.owner_id and self.owner.department not in OWNER_DEPARTMENTS:
            raise ValidationError({"owner": _("The owner must be in sales or customer success.")})
        if self.sensitive_until and not self.sensitive_reason.strip():
            raise ValidationError(
                {"sensitive_reason": _("Say why the account is sensitive, so marketing knows.")}
            )

    def is_sensitive(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.sensitive_until is not None and self.sensitive_until >= today
