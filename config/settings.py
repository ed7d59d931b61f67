"""Settings for Interview Relay: one module, every knob from the environment.

Defaults make `uv run manage.py demo` and `uv run pytest` work with nothing set
(SQLite under var/, no broker so tasks run in-process, email to a dev mailbox).
Production sets DEBUG=false, which makes SECRET_KEY and ALLOWED_HOSTS mandatory.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    env,
    env_bool,
    env_country,
    env_db,
    env_email,
    env_int,
    env_int_list,
    env_month_days,
    env_subdivision,
    env_time,
    env_timezone,
)

BASE_DIR = Path(__file__).resolve().parent.parent

_env_file = BASE_DIR / ".env"
if _env_file.exists():
    env.read_env(str(_env_file))

VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

# --- Core -----------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = "insecure-dev-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")

SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"Environment variable SITE_URL={SITE_URL!r} is malformed: expected an absolute "
        "http:// or https:// address (it is used for links in emails)."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "accounts",
    "interviews",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured("ADMIN_URL must be a path such as admin/ or ops-7f3a/.")
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "interviews.context_processors.dev_tools",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------

DATABASES = {"default": env_db("DATABASE_URL", f"sqlite:///{VAR_DIR / 'interview_relay.sqlite3'}")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("CONN_MAX_AGE", 60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo runs the minute job in a thread beside the web server: wait for the
    # writer lock instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation ---------------------------------------------------------------

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("ja", _("Japanese"))]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"Environment variable LANGUAGE_CODE={LANGUAGE_CODE!r} is not supported: use en or ja."
    )
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_timezone("TIME_ZONE", "Asia/Tokyo")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))

# --- Email ----------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Interview Relay <relay@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
DEV_MAILBOX_DIR = VAR_DIR / "mailbox"
if env.str("EMAIL_URL", default=""):
    vars().update(env_email("EMAIL_URL"))
elif DEBUG:
    # No mail server configured: keep every message in var/mailbox (readable at
    # /dev/mailbox/ while DEBUG is on) and echo it to the console.
    EMAIL_BACKEND = "interviews.devmailbox.DevMailboxBackend"
else:
    raise ImproperlyConfigured(
        "EMAIL_URL must be set when DEBUG is off (e.g. smtp://user:password@mail.example.com:587"
        "/?tls=True), or owners would never receive their requests."
    )
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)

# --- Celery ---------------------------------------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="")
_broker = env.str("CELERY_BROKER_URL", default=REDIS_URL)
# Without a broker every task runs in-process at the moment it is enqueued (demo, tests);
# the in-memory transport only keeps Celery from looking for a broker on localhost.
CELERY_TASK_ALWAYS_EAGER = not _broker
CELERY_BROKER_URL = _broker or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message for another
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request must not hang while Redis is down: the outbox row is already committed
# and the minute job sends it, so give up on publishing quickly.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}

# --- The interview protocol -----------------------------------------------------------

BUSINESS_TIME_ZONE = env_timezone("BUSINESS_TIME_ZONE", TIME_ZONE)
BUSINESS_HOLIDAYS_COUNTRY = env_country("BUSINESS_HOLIDAYS_COUNTRY", "JP")
BUSINESS_HOLIDAYS_SUBDIVISION = env_subdivision(
    "BUSINESS_HOLIDAYS_SUBDIVISION", BUSINESS_HOLIDAYS_COUNTRY
)
BUSINESS_EXTRA_CLOSED_DAYS = env_month_days("BUSINESS_EXTRA_CLOSED_DAYS")
START_OF_BUSINESS = env_time("START_OF_BUSINESS", "09:00")
CLOSE_OF_BUSINESS = env_time("CLOSE_OF_BUSINESS", "18:00")
if START_OF_BUSINESS >= CLOSE_OF_BUSINESS:
    raise ImproperlyConfigured("START_OF_BUSINESS must be earlier than CLOSE_OF_BUSINESS.")

RESPONSE_WINDOW_BUSINESS_DAYS = env_int("RESPONSE_WINDOW_BUSINESS_DAYS", 5, minimum=1, maximum=60)
MAX_RESPONSE_WINDOW_BUSINESS_DAYS = env_int(
    "MAX_RESPONSE_WINDOW_BUSINESS_DAYS", 20, minimum=RESPONSE_WINDOW_BUSINESS_DAYS, maximum=120
)
OWNER_OUTREACH_BUSINESS_DAYS = env_int("OWNER_OUTREACH_BUSINESS_DAYS", 10, minimum=1, maximum=120)
MAX_DEFERRALS = env_int("MAX_DEFERRALS", 2, minimum=0, maximum=20)
MAX_DEFERRAL_DAYS = env_int("MAX_DEFERRAL_DAYS", 30, minimum=1, maximum=365)
# Reminders go out at START_OF_BUSINESS this many business days before the deadline day
# (0 = the morning of the last day).
REMINDER_BUSINESS_DAYS_BEFORE = sorted(
    set(env_int_list("REMINDER_BUSINESS_DAYS_BEFORE", [2, 0])), reverse=True
)
if not REMINDER_BUSINESS_DAYS_BEFORE or max(REMINDER_BUSINESS_DAYS_BEFORE) >= (
    MAX_RESPONSE_WINDOW_BUSINESS_DAYS
):
    raise ImproperlyConfigured(
        "REMINDER_BUSINESS_DAYS_BEFORE must list at least one day, each shorter than "
        f"MAX_RESPONSE_WINDOW_BUSINESS_DAYS ({MAX_RESPONSE_WINDOW_BUSINESS_DAYS})."
    )
REMINDER_CC_MANAGER = env_bool("REMINDER_CC_MANAGER", False)
# Email action links stop working after this; reminders carry fresh ones.
ACTION_LINK_MAX_AGE_DAYS = env_int("ACTION_LINK_MAX_AGE_DAYS", 30, minimum=1, maximum=365)
ACCOUNT_COOLDOWN_DAYS = env_int("ACCOUNT_COOLDOWN_DAYS", 90, minimum=0, maximum=3650)

# --- Jobs and the outbox ----------------------------------------------------------------

JOB_BATCH_SIZE = env_int("JOB_BATCH_SIZE", 500, minimum=1, maximum=10000)
# Emails claimed and sent per batch, and how long a claim lasts before another worker may
# take the rows over (a worker that died mid-batch).
NOTIFICATION_BATCH_SIZE = env_int("NOTIFICATION_BATCH_SIZE", 100, minimum=1, maximum=5000)
NOTIFICATION_LEASE_SECONDS = env_int("NOTIFICATION_LEASE_SECONDS", 600, minimum=30)
# Temporary failures (mail server down, 4xx) are retried with backoff for this long.
NOTIFICATION_RETRY_FOR_HOURS = env_int("NOTIFICATION_RETRY_FOR_HOURS", 72, minimum=1)
NOTIFICATION_RETRY_BASE_SECONDS = env_int("NOTIFICATION_RETRY_BASE_SECONDS", 60, minimum=1)
NOTIFICATION_RETRY_MAX_SECONDS = env_int(
    "NOTIFICATION_RETRY_MAX_SECONDS", 3600, minimum=NOTIFICATION_RETRY_BASE_SECONDS
)

# --- Logging ----------------------------------------------------------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
