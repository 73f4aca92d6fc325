"""Rapport settings: one module, driven by environment variables (see .env.example)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

# Django's generic classes (ModelForm, Paginator, ModelChoiceField…) accept type arguments at
# run time, so that subclasses can name their model: ``class ClientForm(ModelForm[Client])``.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    """The variable's value, or ``default`` when it is unset or empty."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    value = (os.environ.get(name) or "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# A development key is accepted only with DEBUG on; production must set SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY") or ("dev-insecure-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public address used in links sent to clients (portal links, password resets).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "django_tasks_db",
    "rapport.core",
    "rapport.accounts",
    "rapport.clients",
    "rapport.projects",
    "rapport.commitments",
    "rapport.notifications",
    "rapport.conversations",
    "rapport.agreements",
    "rapport.billing",
    "rapport.care",
    "rapport.portal",
    "rapport.api",
    "rapport.dashboard",
    "rapport.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "rapport.accounts.middleware.WorkspaceMiddleware",
    "rapport.core.middleware.ViewerTimezoneMiddleware",
    # axes must come last so it sees the final response of a failed login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rapport.urls"
WSGI_APPLICATION = "rapport.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "rapport" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rapport.accounts.context_processors.workspace",
                "rapport.notifications.context_processors.open_alerts",
            ],
        },
    },
    {
        # Plain-text emails and subjects: the same templates, without HTML escaping.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "rapport" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL selects the database; the default is SQLite in WAL mode beside the code.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'rapport.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))
}
_ENGINE = DATABASES["default"]["ENGINE"]
if _ENGINE == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3
# An unfinished sign-up (its emailed link never followed) is deleted, with its empty workspace,
# this many days after it was made (accounts.signup_prune).
SIGNUP_PENDING_DAYS = env_int("SIGNUP_PENDING_DAYS", 7)

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "rapport.accounts.lockout.lockout_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "rapport.core.client_ip.client_ip"

# --- Cache (shared by processes for rate limits) --------------------------------------------
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL.startswith("redis://"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    # The database cache is shared by every web and worker process, so rate limits hold
    # across gunicorn workers without another server.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "rapport_cache",
        }
    }

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("el", _("Greek")),
    ("ro", _("Romanian")),
    ("id", _("Indonesian")),
]
LOCALE_PATHS = [BASE_DIR / "rapport" / "locale"]
# One formatting policy per language (day first, 24-hour clock): docs/formatting.md.
FORMAT_MODULE_PATH = ["rapport.core.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "rapport" / "static"]
# Uploaded files (brief answers) are private: no MEDIA_URL is served; views stream them after
# an access check.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Email ----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Rapport <rapport@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Replies by email (P14): with INBOUND_EMAIL_ADDRESS=replies@rapport.example, a workspace's
# inbound address is replies+<its token>@rapport.example (the Anymail inbound webhook reads
# it). A workspace that connects its own mailbox over IMAP uses that mailbox's address instead.
INBOUND_EMAIL_ADDRESS = env_str("INBOUND_EMAIL_ADDRESS", "")
# Plain-text IMAP and mailboxes on loopback or private addresses (one-box setups, tests). Off on
# a shared server: a tenant must not reach what only the server can reach, nor send a password
# in the clear (conversations.mailboxes, ADR 0017).
INBOUND_IMAP_ALLOW_INSECURE = env_bool("INBOUND_IMAP_ALLOW_INSECURE", False)
EMAIL_BACKEND_NAME = env_str("EMAIL_BACKEND", "smtp")
MAILERS: dict[str, dict[str, Any]]
if EMAIL_BACKEND_NAME == "console":
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
elif EMAIL_BACKEND_NAME.startswith("anymail."):
    # e.g. EMAIL_BACKEND=anymail.backends.postmark.EmailBackend, with ANYMAIL_* settings below.
    MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_NAME}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", "127.0.0.1"),
                "port": env_int("EMAIL_PORT", 1025),
                "username": env_str("EMAIL_HOST_USER") or None,
                "password": env_str("EMAIL_HOST_PASSWORD") or None,
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            },
        }
    }
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value
    for key, value in os.environ.items()
    if key.startswith("ANYMAIL_")
}

# --- Client message channels -----------------------------------------------------------------
# Apprise URLs with the provider's credentials and {to} where the contact's address goes.
CHANNEL_URLS = {
    "sms": env_str("CHANNEL_SMS_URL"),  # e.g. twilio://SID:TOKEN@+15550001111/{to}
    "telegram": env_str("CHANNEL_TELEGRAM_URL"),  # e.g. tgram://BOT_TOKEN/{to}
    "whatsapp": env_str("CHANNEL_WHATSAPP_URL"),  # e.g. whatsapp://TOKEN@FROM_PHONE_ID/{to}
    "slack": env_str("CHANNEL_SLACK_URL"),  # e.g. slack://TokenA/TokenB/TokenC/{to}
    "ntfy": env_str("CHANNEL_NTFY_URL"),  # e.g. ntfys://ntfy.sh/{to}
}
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 6)
# --- Delivery safety (docs/adr/0005-outbox-deliverer.md, docs/deploy.md) ---
# A claim is a lease of this length, renewed before every send; a lease that ran out belongs to
# a worker that died or stalled, and only then does the sweeper put the row back in the queue.
NOTIFICATION_CLAIM_TIMEOUT_SECONDS = env_int("NOTIFICATION_CLAIM_TIMEOUT_SECONDS", 300)
# The most one send may take, whatever the channel or the endpoint says (seconds).
NOTIFICATION_SEND_TIMEOUT_SECONDS = float(env_str("NOTIFICATION_SEND_TIMEOUT_SECONDS", "5"))
# At most this many rows of one workspace in a worker's batch (batches are filled round-robin
# across workspaces, and a slow send ends a batch: see delivery.py).
NOTIFICATION_CLAIM_PER_WORKSPACE = env_int("NOTIFICATION_CLAIM_PER_WORKSPACE", 25)
# The generic JSON webhook sends to any URL a contact gives; off unless the server allows it.
NOTIFICATION_WEBHOOKS_ENABLED = env_bool("NOTIFICATION_WEBHOOKS_ENABLED", False)
# Only for development and tests: let webhooks reach loopback and private addresses. Never set
# in production (a tenant could reach the server's own network).
NOTIFICATION_ALLOW_PRIVATE_TARGETS = env_bool("NOTIFICATION_ALLOW_PRIVATE_TARGETS", False)
# The Telegram bot's @name for deep links (t.me/<bot>?start=…) and the secret its webhook carries
# (setWebhook secret_token); both set, contacts can link their chat (notifications/telegram.py).
TELEGRAM_BOT_NAME = env_str("TELEGRAM_BOT_NAME")
TELEGRAM_WEBHOOK_SECRET = env_str("TELEGRAM_WEBHOOK_SECRET")

# --- Background work ------------------------------------------------------------------------
TASKS_BACKEND = env_str("TASKS_BACKEND", "db")
TASKS_REDIS_URL = env_str("TASKS_REDIS_URL", "redis://127.0.0.1:6379/0")
TASKS: dict[str, dict[str, Any]]
if TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
elif TASKS_BACKEND == "rq":
    # Scale-out: tasks go through Redis; run `manage.py rqworker default --job-class
    # django_tasks_rq.Job` instead of db_worker.
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    INSTALLED_APPS.append("django_rq")
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL, "DEFAULT_TIMEOUT": 300}}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rapport.api.authentication.HashedTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rapport.api.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "rapport.api.errors.exception_handler",
    "DEFAULT_FILTER_BACKENDS": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Rapport API",
    "DESCRIPTION": "Clients, contacts, projects, milestones and deliverables of one workspace.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ClientStatusEnum": "rapport.clients.models.Client.Status",
        "ProjectStatusEnum": "rapport.projects.models.Project.Status",
        "MilestoneStatusEnum": "rapport.projects.models.Milestone.Status",
        "DeliverableStatusEnum": "rapport.projects.models.Deliverable.Status",
    },
}

# --- Portal ---------------------------------------------------------------------------------
PORTAL_LINK_MAX_AGE_HOURS = env_int("PORTAL_LINK_MAX_AGE_HOURS", 72)
PORTAL_SESSION_MAX_AGE_DAYS = env_int("PORTAL_SESSION_MAX_AGE_DAYS", 30)
PORTAL_LINK_REQUESTS_PER_HOUR = env_int("PORTAL_LINK_REQUESTS_PER_HOUR", 5)

# --- Security -------------------------------------------------------------------------------
# Django's cached database sessions: written to the database and the shared cache, read from
# the cache (one keyed lookup instead of a query built by the ORM), from the database on a miss.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not from this cookie
SECURE = env_bool("SECURE", not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
# Behind the reverse proxy of docs/deploy.md: HTTPS and the client's address come from its headers
# (rapport.core.client_ip, used by django-axes and every rate limit).
BEHIND_PROXY = env_bool("BEHIND_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
