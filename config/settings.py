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
    "axes",
    "accounts",
    "interviews",
]
if DEBUG:
    # runserver then leaves static files to WhiteNoise too, exactly as in production.
    INSTALLED_APPS.insert(0, "whitenoise.runserver_nostatic")

MIDDLEWARE = [
    "config.observability.RequestIdMiddleware",
    # Before anything reads the body: one that cannot be decoded is a 400 (with the id).
    "config.request_body.UndecodableBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: turns a paused sign-in into its answer.
    "axes.middleware.AxesMiddleware",
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
# django-axes' backend first: it refuses to check a password while sign-in is paused.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
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
# Dates with the weekday and minutes, in each language's own order (config/formats/).
FORMAT_MODULE_PATH = "config.formats"
TIME_ZONE = env_timezone("TIME_ZONE", "Asia/Tokyo")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production serves collected files through WhiteNoise with content-hashed names, so
    # browsers may cache them for ever; development serves them as they are.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Security -----------------------------------------------------------------------------

# Behind a TLS-terminating proxy, set SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto so Django
# knows the original request was HTTPS.
_proxy_header = env.str("SECURE_PROXY_SSL_HEADER", default="")
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Health probes come from inside the network over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 30)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading HSTS is a commitment to browsers' lists that only the operator can make.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12, minimum=300)
X_FRAME_OPTIONS = "DENY"
# A form refused for a missing or stale CSRF token gets our page, in the reader's language.
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
# Only our own files: htmx and the charts are vendored under static/vendor/, no inline
# scripts or styles. Emails shown in the dev mailbox get a stricter policy of their own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # No page is framed (X-Frame-Options: DENY says the same to older browsers); the
        # dev mailbox frames an email itself, with its own header.
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Proxies in front of the app that append the client's address to X-Forwarded-For
# (0: clients connect directly). Limits per address count the address they report.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=10)

# Failed sign-ins allowed per account and per address, then a pause that lasts
# LOGIN_LOCKOUT_MINUTES after the last failure. Counted by django-axes wherever a
# password is checked (sign-in page, admin, ...): see accounts/lockout.py.
LOGIN_ATTEMPTS_PER_ACCOUNT = env_int("LOGIN_ATTEMPTS_PER_ACCOUNT", 5, minimum=1)
LOGIN_ATTEMPTS_PER_IP = env_int("LOGIN_ATTEMPTS_PER_IP", 30, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
# Attempts live in the database (not the cache), so the pause holds while Redis is down.
AXES_HANDLER = "accounts.lockout.SignInLockout"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = "accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = "accounts.lockout.cool_off"
AXES_USERNAME_CALLABLE = "accounts.lockout.username"
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_network"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = False  # SignInLockout clears the account's failures only
AXES_VERBOSE = False  # one line per failure is enough; addresses only where they count
# The sign-in audit: axes logs each sign-in, and each failure too (AccessFailureLog), for
# the admin. It is kept SIGN_IN_LOG_RETENTION_DAYS; a daily job deletes older records so
# personal data does not pile up (accounts/sign_in_log.py).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
SIGN_IN_LOG_RETENTION_DAYS = env_int("SIGN_IN_LOG_RETENTION_DAYS", 90, minimum=1)
# Password-reset emails per hour for one account, and requests per hour from one address;
# past either, the page answers as always and sends nothing (accounts/password_reset.py).
PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR = env_int("PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR", 3, minimum=1)
PASSWORD_RESETS_PER_IP_PER_HOUR = env_int("PASSWORD_RESETS_PER_IP_PER_HOUR", 20, minimum=1)
# Requests per minute to email answer links: per link (one owner's email; a mail scanner
# pre-opening it), and a far higher ceiling per address, because the owners of one office
# share one outgoing address and a whole sales floor answers Monday's reminder at once.
if env.str("ACTION_LINK_RATE_PER_MINUTE", default=""):
    raise ImproperlyConfigured(
        "ACTION_LINK_RATE_PER_MINUTE is gone: answer links are limited per link "
        "(ACTION_LINK_RATE_PER_LINK_PER_MINUTE) and per address "
        "(ACTION_LINK_RATE_PER_ADDRESS_PER_MINUTE). Set those instead."
    )
ACTION_LINK_RATE_PER_LINK_PER_MINUTE = env_int(
    "ACTION_LINK_RATE_PER_LINK_PER_MINUTE", 30, minimum=1
)
ACTION_LINK_RATE_PER_ADDRESS_PER_MINUTE = env_int(
    "ACTION_LINK_RATE_PER_ADDRESS_PER_MINUTE", 1200, minimum=1
)
RATELIMIT_USE_CACHE = "default"
# Redis down: every limit lets requests through rather than refusing every owner's answer
# (config/cache.py counts and logs each such call; /readyz reports them).
RATELIMIT_FAIL_OPEN = True
RATELIMIT_IP_META_KEY = "config.client_ip.client_ip"
RATELIMIT_VIEW = "config.ratelimit.too_many_requests"

# --- Cache -----------------------------------------------------------------------------------

# Shared by every process of an installation (rate limits, the minute job's heartbeat):
# Redis when there is one, else files under var/ so local processes still agree.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "interview-relay",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
# Rendered pieces of pages that are the same for everyone who sees them on a given day in a
# given language (an answer form before anything is typed into it): kept in each process's
# memory, so rendering them once per process serves every owner's page without a round trip.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "TIMEOUT": 60 * 60,
    "OPTIONS": {"MAX_ENTRIES": 1000},
}

# --- Email ----------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Interview Relay <relay@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
DEV_MAILBOX_DIR = VAR_DIR / "mailbox"
if env.str("EMAIL_URL", default=""):
    vars().update(env_email("EMAIL_URL"))
elif DEBUG:
    # No mail server configured: keep every message in var/mailbox (readable at
    # /dev/mailbox/ while DEBUG is on) and echo it to the console.
    EMAIL_BACKEND = "interviews.notifications.devmailbox.DevMailboxBackend"
else:
    raise ImproperlyConfigured(
        "EMAIL_URL must be set when DEBUG is off (e.g. smtp://user:password@mail.example.com:587"
        "/?tls=True), or owners would never receive their requests."
    )
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)

# --- Celery ---------------------------------------------------------------------------

_broker = env.str("CELERY_BROKER_URL", default=REDIS_URL)
# Without a broker every task runs in-process at the moment it is enqueued (demo, tests);
# the in-memory transport only keeps Celery from looking for a broker on localhost.
CELERY_TASK_ALWAYS_EAGER = not _broker
CELERY_BROKER_URL = _broker or "memory://localhost/"
if CELERY_BROKER_URL.startswith("redis://"):
    # kombu's Redis transport with the fix that keeps a worker alive through an outage.
    CELERY_BROKER_TRANSPORT = "config.broker:Transport"
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

# Managers see only their own team (themselves and their reports) on the dashboard and in
# the weekly digest; administrators see everyone.
DASHBOARD_TEAM_SCOPE = env_bool("DASHBOARD_TEAM_SCOPE", False)

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

# --- Slack (optional) ----------------------------------------------------------------------

# The Slack app (slack/manifest.yml), installed by a workspace admin. Without a bot token
# nobody is matched and everything goes by email; team channels keep their webhooks.
SLACK_BOT_TOKEN = env.str("SLACK_BOT_TOKEN", default="")
if SLACK_BOT_TOKEN and not SLACK_BOT_TOKEN.startswith("xoxb-"):
    raise ImproperlyConfigured(
        "SLACK_BOT_TOKEN is malformed: expected the app's Bot User OAuth Token (xoxb-…)."
    )
# Every request from Slack (button clicks, modals, events) is checked against it.
SLACK_SIGNING_SECRET = env.str("SLACK_SIGNING_SECRET", default="")
if SLACK_BOT_TOKEN and not SLACK_SIGNING_SECRET:
    raise ImproperlyConfigured(
        "SLACK_SIGNING_SECRET must be set with SLACK_BOT_TOKEN (Basic Information → App "
        "Credentials → Signing Secret), or no click from Slack could be trusted."
    )
# Slack's Web API base (tests point it at a local server).
SLACK_API_URL = env.str("SLACK_API_URL", default="https://slack.com/api/")
if not SLACK_API_URL.endswith("/"):
    SLACK_API_URL += "/"
# People are looked up again in Slack (users.lookupByEmail) after this many days.
SLACK_LOOKUP_MAX_AGE_DAYS = env_int("SLACK_LOOKUP_MAX_AGE_DAYS", 7, minimum=1)

# --- REST API (/api/) -------------------------------------------------------------------

# Django REST framework with per-user tokens (`manage.py api_token <email>`) and the
# session (for the interactive docs at /api/docs/); drf-spectacular writes the OpenAPI
# schema at /api/schema/; the sidecar serves Swagger UI's files from our static files, as
# the Content-Security-Policy allows no CDN.
INSTALLED_APPS += [
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
REST_FRAMEWORK = {
    # Token first: a request without credentials is answered 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["interviews.api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "interviews.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Interview Relay API",
    "DESCRIPTION": (
        "Interview requests, the customer accounts and people they concern, and the "
        "managers' figures, with the same permissions and workflow as the web pages. "
        "Authenticate with `Authorization: Token <key>` (`manage.py api_token <email>`). "
        'Errors share one body: `{"code", "detail", "field"}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for the request states, used by several fields.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "interviews.models.Status",
        "EventKindEnum": "interviews.models.EventKind",
        "FindingKindEnum": "interviews.models.FindingKind",
    },
    # No calls to swagger.io's online validator: the page talks to this site only.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

# --- Health -------------------------------------------------------------------------------

# /readyz fails when the oldest unsent email or the minute job's last run is older than this.
NOTIFICATION_STALE_MINUTES = env_int("NOTIFICATION_STALE_MINUTES", 30, minimum=1)
JOB_STALE_MINUTES = env_int("JOB_STALE_MINUTES", 5, minimum=1)

# --- Logging ----------------------------------------------------------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
# JSON lines on stdout for log collectors in production; readable lines for development.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} is not supported: use json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.observability.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # django-axes narrates every sign-in at INFO; its warnings (failures) are enough.
        "axes": {"level": "WARNING"},
        # Our access log replaces the development server's, which prints full URLs.
        "django.server": {"level": "WARNING"},
        # The SDK's debug lines carry request bodies; its warnings and errors are enough.
        "slack_sdk": {"level": "WARNING"},
    },
}
