"""Motcua settings, read from environment variables with safe development defaults.

Production (``MOTCUA_DEBUG`` unset or false) refuses to start without a real ``SECRET_KEY``.
"""

from __future__ import annotations

import datetime
import importlib.util
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import structlog
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_optional_bool(name: str) -> bool | None:
    """True or false when the variable is set; None (decide automatically) when it is not."""
    return env_bool(name) if os.environ.get(name) is not None else None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("MOTCUA_DEBUG", default=False)

DEVELOPMENT_SECRET_KEY = "motcua-development-only-not-secret"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a secret value outside debug mode "
        "(MOTCUA_DEBUG=1 for development)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "oauth2_provider",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "motcua.accounts",
    "motcua.agencies",
    "motcua.catalog",
    "motcua.workcalendar",
    "motcua.eforms",
    "motcua.dossiers",
    # Before payments: its handler queues a change's synchronisation before the fee asked for
    # after it (the outbox orders by history line anyway).
    "motcua.nationalportal",
    "motcua.payments",
    "motcua.results",
    "motcua.feedback",
    "motcua.addresses",
    "motcua.personalstore",
    "motcua.petitions",
    "motcua.scheduling",
    "motcua.notifications",
    "motcua.helpdesk",
    "motcua.listen",
    "motcua.opendata",
    "motcua.formbuilder",
    "motcua.backoffice",
    "motcua.portal",
    "motcua.sandbox_eid",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "motcua.request_logging.RequestLogMiddleware",
    # Below WhiteNoise: static files are public; everything else is checked for personal data.
    "motcua.security.PrivacyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # A session in use is renewed at most once a minute, not written on every request.
    "motcua.accounts.sessions.SessionRenewalMiddleware",
    "motcua.i18n.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "motcua.accounts.middleware.OfficerSecondFactorMiddleware",
    # Look-up, sign-in, second factor and token endpoints: 429 over the limits below.
    "motcua.accounts.ratelimits.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A service's refusal that no page caught: the error page with its status and message.
    "motcua.errors.DomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns lockouts into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"
ASGI_APPLICATION = "motcua.asgi.application"

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
                "motcua.accounts.acting.context",
            ],
        },
    },
]

# SQLite file by default (zero set-up); PostgreSQL when DATABASE_URL says so.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # Off by default: a health check is a query before every request's first one.
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Several writers on one file (runserver's threads, the task worker, the scheduler): WAL
    # lets readers work while a writer commits; every transaction takes the write lock when it
    # begins (IMMEDIATE), so a writer waits up to `timeout` seconds for its turn. A deferred
    # transaction that has read first cannot wait: SQLite answers "database is locked" at once.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's cursors bind on the client and are never prepared; the few hot statements that
    # ask for server-side binding (the public look-up) are prepared once psycopg has seen them
    # this many times on a connection. Empty turns it off (a pooler that cannot keep prepared
    # statements, such as PgBouncer before 1.21 in transaction mode).
    _prepare_threshold = os.environ.get("DATABASE_PREPARE_THRESHOLD", "5")
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        int(_prepare_threshold) if _prepare_threshold else None
    )
# Payments (DOMAIN.md §11). Gateways by name: an engine and its terminal code, hash secret,
# payment URL and query URL. The sandbox gateway (/sandbox/pay/, VNPay's protocol, no money)
# ships with the project; its terminal code and secret are not credentials of anything real.
MOTCUA_PAYMENT_SANDBOX_ENABLED = env_bool(
    "MOTCUA_PAYMENT_SANDBOX_ENABLED", env_bool("MOTCUA_SANDBOX_ENABLED", DEBUG)
)
MOTCUA_PAYMENT_SANDBOX_TMN_CODE = os.environ.get("MOTCUA_PAYMENT_SANDBOX_TMN_CODE", "MCSANDBX")
MOTCUA_PAYMENT_SANDBOX_HASH_SECRET = os.environ.get(
    "MOTCUA_PAYMENT_SANDBOX_HASH_SECRET", "motcua-payment-sandbox-not-a-secret"
)
MOTCUA_PAYMENT_GATEWAYS = {
    "vnpay": {
        "ENGINE": "vnpay",
        "TMN_CODE": os.environ.get("MOTCUA_VNPAY_TMN_CODE", ""),
        "HASH_SECRET": os.environ.get("MOTCUA_VNPAY_HASH_SECRET", ""),
        "PAYMENT_URL": os.environ.get(
            "MOTCUA_VNPAY_PAYMENT_URL", "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
        ),
        "QUERY_URL": os.environ.get(
            "MOTCUA_VNPAY_QUERY_URL", "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction"
        ),
    },
    "sandbox": {
        "ENGINE": "vnpay-sandbox",
        "TMN_CODE": MOTCUA_PAYMENT_SANDBOX_TMN_CODE,
        "HASH_SECRET": MOTCUA_PAYMENT_SANDBOX_HASH_SECRET,
        "PAYMENT_URL": "/sandbox/pay/paymentv2/vpcpay.html",
        "QUERY_URL": "/sandbox/pay/merchant_webapi/api/transaction",
    },
}
MOTCUA_PAYMENT_GATEWAY = os.environ.get(
    "MOTCUA_PAYMENT_GATEWAY", "sandbox" if MOTCUA_PAYMENT_SANDBOX_ENABLED else "vnpay"
)
# How gateways (and the sandbox's server-to-server calls) reach this platform, e.g.
# "https://dichvucong.example.vn"; empty: the sandbox uses the request's own host.
MOTCUA_PAYMENT_BASE_URL = os.environ.get("MOTCUA_PAYMENT_BASE_URL", "")
MOTCUA_PAYMENT_EXPIRY_MINUTES = int(os.environ.get("MOTCUA_PAYMENT_EXPIRY_MINUTES", "15"))
# Reconciliation queries payments left pending this long without a notification.
MOTCUA_PAYMENT_QUERY_AFTER_MINUTES = int(os.environ.get("MOTCUA_PAYMENT_QUERY_AFTER_MINUTES", "5"))
MOTCUA_PAYMENT_HTTP_TIMEOUT = float(os.environ.get("MOTCUA_PAYMENT_HTTP_TIMEOUT", "10"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out credentials before they are checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Sessions end after 30 idle minutes (renewed at most once a minute while in use:
# accounts/sessions.py) and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", "1800"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lockout after repeated failed sign-ins (django-axes): 5 failures → 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False  # axes would otherwise log user names and addresses
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_IPWARE_PROXY_COUNT", "0"))

# Rate limits ("count/period", period in s, m, h or d, e.g. "10/5m"), counted per client address
# and per target in Django's cache (Redis with REDIS_URL: shared by every worker); over a limit
# the answer is 429 with Retry-After (motcua/accounts/ratelimits.py). Axes' lockout stays.
MOTCUA_RATE_LIMITS = {
    # Public status look-up (page and API): per address, per dossier code.
    "lookup": {
        "address": os.environ.get("MOTCUA_RATE_LIMIT_LOOKUP_ADDRESS", "60/10m"),
        "target": os.environ.get("MOTCUA_RATE_LIMIT_LOOKUP_CODE", "10/10m"),
    },
    # Sign-in (site and admin): per address, per username.
    "sign_in": {
        "address": os.environ.get("MOTCUA_RATE_LIMIT_SIGN_IN_ADDRESS", "30/10m"),
        "target": os.environ.get("MOTCUA_RATE_LIMIT_SIGN_IN_USERNAME", "10/10m"),
    },
    # Second-factor codes and enrolment codes: per address, per account.
    "second_factor": {
        "address": os.environ.get("MOTCUA_RATE_LIMIT_OTP_ADDRESS", "30/10m"),
        "target": os.environ.get("MOTCUA_RATE_LIMIT_OTP_ACCOUNT", "10/10m"),
    },
    # One-time codes sent to an anonymous reporter's phone (petitions): per address, per phone.
    "petition_code": {
        "address": os.environ.get("MOTCUA_RATE_LIMIT_PETITION_CODE_ADDRESS", "10/h"),
        "target": os.environ.get("MOTCUA_RATE_LIMIT_PETITION_CODE_PHONE", "5/h"),
    },
    # OAuth2 token endpoint: per address, per client id.
    "token": {
        "address": os.environ.get("MOTCUA_RATE_LIMIT_TOKEN_ADDRESS", "60/m"),
        "target": os.environ.get("MOTCUA_RATE_LIMIT_TOKEN_CLIENT", "600/m"),
    },
}
# django-ratelimit (its counting only; the app is not installed, so its system check, which
# refuses the in-process development cache, does not run): addresses as django-axes sees them.
RATELIMIT_ENABLE = env_bool("MOTCUA_RATE_LIMIT_ENABLED", True)
RATELIMIT_IP_META_KEY = "motcua.accounts.ratelimits.client_address"
RATELIMIT_CACHE_PREFIX = "motcua-rl:"

# Officers' second factor (django-otp TOTP).
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Motcua Đà Nẵng")
# How long an API bearer token, once checked, is trusted without the database (0: always ask).
MOTCUA_BEARER_TOKEN_CACHE_SECONDS = int(os.environ.get("MOTCUA_BEARER_TOKEN_CACHE_SECONDS", "60"))
# How long an administrator's one-time enrolment code stays valid.
MOTCUA_SECOND_FACTOR_ENROLMENT_HOURS = int(
    os.environ.get("MOTCUA_SECOND_FACTOR_ENROLMENT_HOURS", "72")
)

# The platform's own OAuth2 server, for its mobile apps (bearer tokens for the API): the
# authorization code flow with PKCE, client credentials for systems an administrator registers;
# no password or implicit grant (motcua/accounts/oauth.py). Every API view enforces the scopes.
OAUTH2_PROVIDER = {
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "SCOPES": {
        "read": _("Read your account and dossiers"),
        "write": _("Act on your dossiers"),
        # Granted only in a session that passed the second factor (motcua.accounts.oauth).
        "officer": _("Act as an officer of your agencies"),
    },
    "DEFAULT_SCOPES": ["read"],
    "OAUTH2_SERVER_CLASS": "motcua.accounts.oauth.MotcuaOAuthServer",
    "OAUTH2_VALIDATOR_CLASS": "motcua.accounts.oauth.MotcuaOAuth2Validator",
}

# National e-ID (OpenID Connect). Unset: the sandbox provider on this server (when enabled).
MOTCUA_EID_DISCOVERY_URL = os.environ.get("MOTCUA_EID_DISCOVERY_URL", "")
MOTCUA_EID_CLIENT_ID = os.environ.get("MOTCUA_EID_CLIENT_ID", "")
MOTCUA_EID_CLIENT_SECRET = os.environ.get("MOTCUA_EID_CLIENT_SECRET", "")
MOTCUA_EID_ACR_VALUES = os.environ.get("MOTCUA_EID_ACR_VALUES", "2")
MOTCUA_EID_TIMEOUT_SECONDS = float(os.environ.get("MOTCUA_EID_TIMEOUT_SECONDS", "10"))
# The e-ID provider plugin (motcua.accounts.eid): "national" or "sandbox" (refused while
# MOTCUA_SANDBOX_ENABLED is off); empty: national once MOTCUA_EID_DISCOVERY_URL is set, else
# the sandbox. Decided on each use, so that tests may switch the sandbox on and off.
MOTCUA_EID_PROVIDER = os.environ.get("MOTCUA_EID_PROVIDER", "")
# Clients registered with the sandbox e-ID provider (motcua.sandbox_eid.clients): None, one
# client "motcua-platform" with a secret derived from SECRET_KEY; or a list of
# {"client_id", "client_secret", "redirect_uris"} (settings only, no environment variable).
MOTCUA_SANDBOX_EID_CLIENTS: list[dict[str, object]] | None = None

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Motcua <no-reply@localhost>")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Leaflet's files from the django-leaflet package (the address map), as static/leaflet/…: the
# package is not an installed app (its admin needs GDAL) and is located without importing it.
_LEAFLET = importlib.util.find_spec("leaflet")
STATICFILES_DIRS: list[object] = [BASE_DIR / "static"]
if _LEAFLET is not None and _LEAFLET.origin:
    STATICFILES_DIRS.append(("leaflet", Path(_LEAFLET.origin).parent / "static" / "leaflet"))
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "motcua.api.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DOT's bearer-token check, answered from the cache for a minute (revocation: at once).
        "motcua.accounts.api_auth.CachedOAuth2Authentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "EXCEPTION_HANDLER": "motcua.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Motcua API",
    "DESCRIPTION": (
        "Public API of the Motcua digital-government platform (procedure catalogue, agencies)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Swagger UI served from our own static files: no third-party CDN on a government site.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# The city this deployment serves (DOMAIN.md §3): province code and agency identifier root.
MOTCUA_PROVINCE_CODE = int(os.environ.get("MOTCUA_PROVINCE_CODE", "48"))
MOTCUA_CITY_AGENCY_CODE = os.environ.get("MOTCUA_CITY_AGENCY_CODE", "H17")
MOTCUA_SEARCH_MAX_LENGTH = 200

# Uploaded files: one file, one dossier's files, one person's files together (0: no quota).
MOTCUA_MAX_ATTACHMENT_BYTES = int(
    os.environ.get("MOTCUA_MAX_ATTACHMENT_BYTES", str(10 * 1024 * 1024))
)
MOTCUA_MAX_DOSSIER_BYTES = int(os.environ.get("MOTCUA_MAX_DOSSIER_BYTES", str(50 * 1024 * 1024)))
MOTCUA_STORAGE_QUOTA_BYTES = int(os.environ.get("MOTCUA_STORAGE_QUOTA_BYTES", str(1024**3)))
# The upload scanner plugin (motcua.dossiers.scanners): "none" scans nothing.
MOTCUA_VIRUS_SCANNER = os.environ.get("MOTCUA_VIRUS_SCANNER", "none")

# The speech synthesiser plugin reading procedures aloud (motcua.listen.speech).
MOTCUA_SPEECH_SYNTHESISER = os.environ.get("MOTCUA_SPEECH_SYNTHESISER", "espeak-ng")

# The city's help desk, shown on the help page (/ho-tro/).
MOTCUA_HELP_HOTLINE = os.environ.get("MOTCUA_HELP_HOTLINE", "1022")
MOTCUA_HELP_PHONE = os.environ.get("MOTCUA_HELP_PHONE", "0236 1022")
MOTCUA_HELP_EMAIL = os.environ.get("MOTCUA_HELP_EMAIL", "motcua@danang.gov.vn")
MOTCUA_HELP_ADDRESS = os.environ.get(
    "MOTCUA_HELP_ADDRESS",
    "Trung tâm Hành chính thành phố Đà Nẵng, 24 Trần Phú, quận Hải Châu, thành phố Đà Nẵng",
)
MOTCUA_HELP_HOURS = os.environ.get(
    "MOTCUA_HELP_HOURS", "Thứ Hai – Thứ Sáu, 7:30–11:30 và 13:30–17:00; Thứ Bảy 7:30–11:30"
)
# Where a search that finds nothing here sends people: the national public-service portal.
MOTCUA_NATIONAL_PORTAL_URL = os.environ.get(
    "MOTCUA_NATIONAL_PORTAL_URL", "https://dichvucong.gov.vn"
)

# Catalogue reads through the cache: unset, only with a shared cache (Redis); 1 or 0 forces it.
MOTCUA_CATALOG_CACHE = env_optional_bool("MOTCUA_CATALOG_CACHE")

# Cache: Redis when REDIS_URL is set (shared by every app server, as in production);
# otherwise each process keeps its own small in-memory cache.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "motcua.redis_cache.SharedClientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "motcua"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work (Django's Tasks API via django-tasks): the database backend by default, so
# no work is lost if a worker dies; run workers with `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("MOTCUA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}

# Periodic tasks, enqueued by `manage.py run_scheduler` (started next to the worker) when their
# interval in seconds has passed.
MOTCUA_PERIODIC_TASKS: dict[str, dict[str, object]] = {
    "sweep-deadlines": {
        "task": "motcua.dossiers.tasks.sweep_deadlines_task",
        "every": int(os.environ.get("MOTCUA_SWEEP_EVERY", "900")),
    },
    "reconcile-payments": {
        "task": "motcua.payments.tasks.reconcile_payments",
        "every": int(os.environ.get("MOTCUA_RECONCILE_EVERY", "300")),
    },
    "publish-open-data": {
        "task": "motcua.opendata.tasks.publish_platform_data_task",
        "every": int(os.environ.get("MOTCUA_OPENDATA_PUBLISH_EVERY", "86400")),
    },
    "national-sync": {
        "task": "motcua.nationalportal.tasks.sweep_sync_task",
        "every": int(os.environ.get("MOTCUA_NATIONAL_SYNC_EVERY", "300")),
    },
    "sweep-open-data-loads": {
        "task": "motcua.opendata.tasks.sweep_abandoned_loads_task",
        "every": int(os.environ.get("MOTCUA_OPENDATA_LOAD_SWEEP_EVERY", "900")),
    },
    "escalate-petitions": {
        "task": "motcua.petitions.tasks.escalate_overdue_task",
        "every": int(os.environ.get("MOTCUA_PETITION_ESCALATE_EVERY", "900")),
    },
}

# Messages that fail are tried again with back-off (RETRY_SECONDS × 2^attempt) up to
# MAX_ATTEMPTS, then shown as failed; a message claimed by a worker that died is taken up again
# after LEASE seconds, and a task left "running" by a dead worker after TASK_STALE_MINUTES.
MOTCUA_NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("MOTCUA_NOTIFICATION_MAX_ATTEMPTS", "5"))
MOTCUA_NOTIFICATION_RETRY_SECONDS = int(os.environ.get("MOTCUA_NOTIFICATION_RETRY_SECONDS", "60"))
MOTCUA_NOTIFICATION_LEASE = int(os.environ.get("MOTCUA_NOTIFICATION_LEASE", "600"))
MOTCUA_TASK_STALE_MINUTES = int(os.environ.get("MOTCUA_TASK_STALE_MINUTES", "15"))
# The channel plugin of each channel (motcua.notifications.backends): "outbox" keeps messages
# in the outbox, "django-email" sends e-mail through EMAIL_BACKEND.
MOTCUA_NOTIFICATION_BACKENDS = {
    "email": os.environ.get("MOTCUA_NOTIFICATION_EMAIL", "outbox"),
    "sms": os.environ.get("MOTCUA_NOTIFICATION_SMS", "outbox"),
}

# Sandbox stand-ins for national systems: on in development and tests, off in production
# unless asked for (a demo deployment). They are labelled as sandboxes on every page.
MOTCUA_SANDBOX_ENABLED = env_bool("MOTCUA_SANDBOX_ENABLED", DEBUG)

# Synchronisation with the national public-service portal (DOMAIN.md §9b) and its procedure
# database (motcua.nationalportal). The client plugin: "national" (the address and account
# below) or "sandbox" (the stand-in at /sandbox/cong-dvcqg/, refused while the sandboxes are
# off). Empty: the sandbox while MOTCUA_SANDBOX_ENABLED is on, else national.
MOTCUA_NATIONAL_SYNC_CLIENT = os.environ.get("MOTCUA_NATIONAL_SYNC_CLIENT", "")
# The integration adapter of the national portal (its base address) and this platform's
# account there; the sandbox client uses them too when set, else this server's sandbox.
MOTCUA_NATIONAL_SYNC_URL = os.environ.get("MOTCUA_NATIONAL_SYNC_URL", "")
MOTCUA_NATIONAL_SYNC_USERNAME = os.environ.get("MOTCUA_NATIONAL_SYNC_USERNAME", "")
MOTCUA_NATIONAL_SYNC_PASSWORD = os.environ.get("MOTCUA_NATIONAL_SYNC_PASSWORD", "")
# Paths of the adapter's services under MOTCUA_NATIONAL_SYNC_URL: sign-in (a session),
# dossier synchronisation (DongBoHoSoMC) and shared data (LayDanhSachTTHC, LayThuTuc).
MOTCUA_NATIONAL_SYNC_ENDPOINTS: dict[str, str] = {
    "auth": "auth",
    "sync": "sync",
    "share": "share",
}
MOTCUA_NATIONAL_SYNC_TIMEOUT = int(os.environ.get("MOTCUA_NATIONAL_SYNC_TIMEOUT", "10"))
# A call that fails (the portal down, a timeout, a 5xx) is tried again after RETRY_SECONDS,
# doubling up to an hour, for as long as it takes: a change is never dropped. A change claimed
# by a worker that died is taken up again after LEASE seconds.
MOTCUA_NATIONAL_SYNC_RETRY_SECONDS = int(os.environ.get("MOTCUA_NATIONAL_SYNC_RETRY_SECONDS", "60"))
MOTCUA_NATIONAL_SYNC_LEASE = int(os.environ.get("MOTCUA_NATIONAL_SYNC_LEASE", "600"))

# Security outside debug: secure cookies and HSTS.
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy of every page (django-csp): our own scripts and styles only, no
# inline script or style, no plug-ins, never framed. Files answer with their own sandboxing
# policy (motcua.security.file_response). No form-action: paying and signing in leave for the
# gateway's and the e-ID provider's own sites by a redirect after a form.
# The personal data store (motcua.personalstore): the longest a share link may last, in hours.
MOTCUA_STORE_SHARE_MAX_HOURS = int(os.environ.get("MOTCUA_STORE_SHARE_MAX_HOURS", "720"))
# National databases (population, business registration, social insurance) reached through
# the data-sharing platform with X-Road-style signed requests (motcua.personalstore.connectors):
# its address, this platform's client name (VN/GOV/<member>/<subsystem>) and the key registered
# for it. Each database's connector: "population", "business-registry", "social-insurance" or
# their "-sandbox" stand-ins; empty: the sandboxes while MOTCUA_SANDBOX_ENABLED, else national.
MOTCUA_NATIONAL_DATA_URL = os.environ.get("MOTCUA_NATIONAL_DATA_URL", "")
MOTCUA_NATIONAL_DATA_CLIENT = os.environ.get("MOTCUA_NATIONAL_DATA_CLIENT", "")
MOTCUA_NATIONAL_DATA_KEY = os.environ.get("MOTCUA_NATIONAL_DATA_KEY", "")
MOTCUA_NATIONAL_DATABASES: dict[str, str] = {
    database: identifier
    for database, identifier in (
        ("population", os.environ.get("MOTCUA_NATIONAL_POPULATION", "")),
        ("business-registry", os.environ.get("MOTCUA_NATIONAL_BUSINESS_REGISTRY", "")),
        ("social-insurance", os.environ.get("MOTCUA_NATIONAL_SOCIAL_INSURANCE", "")),
    )
    if identifier
}
# Where the sandbox connectors find the stand-in; empty: MOTCUA_PUBLIC_URL/sandbox/csdl-quoc-gia.
MOTCUA_NATIONAL_SANDBOX_URL = os.environ.get("MOTCUA_NATIONAL_SANDBOX_URL", "")
# The officer's map (motcua.addresses): an open tile source; {s}, {z}, {x}, {y} as Leaflet
# takes them. Empty: no map, coordinates are typed (the pages work without it anyway).
MOTCUA_MAP_TILE_URL = os.environ.get(
    "MOTCUA_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
MOTCUA_MAP_ATTRIBUTION = os.environ.get(
    "MOTCUA_MAP_ATTRIBUTION", "© OpenStreetMap contributors (ODbL)"
)
# The tiles' origin is allowed as an image source ({s}. subdomains as a wildcard).
_TILE_ORIGIN = "://".join(urlsplit(MOTCUA_MAP_TILE_URL.replace("{s}", "*"))[:2]).rstrip(":/")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}
# Answers under these paths hold personal data even without a signed-in user (token look-ups,
# officer pages before sign-in): Cache-Control: private, no-store (motcua.security).
MOTCUA_PRIVATE_PATH_PREFIXES = [
    "/accounts/",
    "/phan-anh/",
    "/admin/",
    "/can-bo/",
    "/ho-so/",
    "/thanh-toan/",
    "/ket-qua/",
    "/tra-cuu-ho-so/",
    "/verify/",
    "/o/",
    "/sandbox/",
    "/api/v1/me/",
    "/api/v1/dossiers/",
    "/api/v1/results/",
]

# Structured logging: JSON lines in production, readable lines in development.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
_shared_processors: list[structlog.typing.Processor] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.dev.ConsoleRenderer(colors=False)
                if env_bool("LOG_CONSOLE", DEBUG)
                else structlog.processors.JSONRenderer(ensure_ascii=False),
            ],
            "foreign_pre_chain": _shared_processors,
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}
structlog.configure(
    processors=[
        *_shared_processors,
        structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
    ],
    logger_factory=structlog.stdlib.LoggerFactory(),
    wrapper_class=structlog.stdlib.BoundLogger,
    cache_logger_on_first_use=True,
)

# Signed results
# Signing keys: "files" (PEM or PKCS#12 per agency under MOTCUA_SIGNING_DIR) or "pkcs11" (an HSM
# or token, needs python-pkcs11); in development, "development" makes an agency's key files
# with the development CA on first use. The CA certificate is the trust root of verification.
MOTCUA_SIGNING_BACKEND = os.environ.get(
    "MOTCUA_SIGNING_BACKEND", "development" if DEBUG else "files"
)
MOTCUA_SIGNING_DIR = Path(os.environ.get("MOTCUA_SIGNING_DIR", VAR_DIR / "signing"))
MOTCUA_SIGNING_CA_CERT = Path(
    os.environ.get("MOTCUA_SIGNING_CA_CERT", MOTCUA_SIGNING_DIR / "ca" / "ca.cert.pem")
)
MOTCUA_SIGNING_KEY_PASSPHRASE = os.environ.get("MOTCUA_SIGNING_KEY_PASSPHRASE", "")
MOTCUA_PKCS11_MODULE = os.environ.get("MOTCUA_PKCS11_MODULE", "")
MOTCUA_PKCS11_TOKEN_LABEL = os.environ.get("MOTCUA_PKCS11_TOKEN_LABEL", "")
MOTCUA_PKCS11_PIN = os.environ.get("MOTCUA_PKCS11_PIN", "")
# An RFC 3161 time-stamping service for the signing time (none: the server's clock).
MOTCUA_SIGNING_TSA_URL = os.environ.get("MOTCUA_SIGNING_TSA_URL", "")
# Certificate revocation (CRL/OCSP): off-line by default; "require" with fetching in production.
MOTCUA_SIGNING_ALLOW_FETCHING = env_bool("MOTCUA_SIGNING_ALLOW_FETCHING", False)
MOTCUA_SIGNING_REVOCATION_MODE = os.environ.get("MOTCUA_SIGNING_REVOCATION_MODE", "soft-fail")
# The public address printed in QR codes of results (no request at hand when signing).
MOTCUA_PUBLIC_URL = os.environ.get("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
MOTCUA_VERIFY_MAX_BYTES = int(os.environ.get("MOTCUA_VERIFY_MAX_BYTES", str(10 * 1024 * 1024)))

# Open data: the largest resource file a steward may upload (refused before it is written),
# how long a datastore SQL query may run, and how many rows the tables it names may hold
# together; the DCAT catalogue's page size.
MOTCUA_OPENDATA_MAX_UPLOAD_BYTES = int(
    os.environ.get("MOTCUA_OPENDATA_MAX_UPLOAD_BYTES", str(500 * 1024 * 1024))
)
MOTCUA_OPENDATA_SQL_TIMEOUT_MS = int(os.environ.get("MOTCUA_OPENDATA_SQL_TIMEOUT_MS", "5000"))
# A load that wrote no rows for this long was left by a worker that ended: it fails, with a reason.
MOTCUA_OPENDATA_LOAD_STALE_MINUTES = int(os.environ.get("MOTCUA_OPENDATA_LOAD_STALE_MINUTES", "30"))
MOTCUA_OPENDATA_SQL_MAX_SOURCE_ROWS = int(
    os.environ.get("MOTCUA_OPENDATA_SQL_MAX_SOURCE_ROWS", "200000")
)
# datastore_search on PostgreSQL: past this many matching rows (the planner's estimate), `total`
# is that estimate (`total_was_estimated`), as CKAN's total_estimation_threshold; empty: exact.
# A PostgreSQL role datastore_search_sql runs as (SET ROLE): granted SELECT on each datastore
# table as it is loaded and nothing else; the platform's database user must be a member of it.
MOTCUA_OPENDATA_SQL_ROLE = os.environ.get("MOTCUA_OPENDATA_SQL_ROLE", "")
_TOTAL_ESTIMATION = os.environ.get("MOTCUA_OPENDATA_TOTAL_ESTIMATION_THRESHOLD", "10000")
MOTCUA_OPENDATA_TOTAL_ESTIMATION_THRESHOLD = int(_TOTAL_ESTIMATION) if _TOTAL_ESTIMATION else None
# The statistics the platform publishes about itself leave every count below this empty (and a
# whole row whose group is smaller), so that no one in a small group can be identified.
MOTCUA_OPENDATA_SMALL_COUNT_THRESHOLD = int(
    os.environ.get("MOTCUA_OPENDATA_SMALL_COUNT_THRESHOLD", "5")
)
MOTCUA_OPENDATA_DCAT_PAGE_SIZE = int(os.environ.get("MOTCUA_OPENDATA_DCAT_PAGE_SIZE", "100"))

# Feedback and petitions (motcua.petitions). The legal times of Decree 20/2008/NĐ-CP on
# receiving and handling feedback and petitions on administrative regulations, as amended by
# Decree 92/2017/NĐ-CP (DOMAIN.md §9a; Dispatch 89/CĐ-TTg of 2025 restates them): a desk that
# is not competent forwards a report within 5 working days; the competent agency answers
# within 15 working days of receiving it. Counted by the working-day calendar (workcalendar).
MOTCUA_PETITION_FORWARD_WORKING_DAYS = int(
    os.environ.get("MOTCUA_PETITION_FORWARD_WORKING_DAYS", "5")
)
MOTCUA_PETITION_ANSWER_WORKING_DAYS = int(
    os.environ.get("MOTCUA_PETITION_ANSWER_WORKING_DAYS", "15")
)
# "Due soon" on the officers' list: the deadline falls within this many working days.
MOTCUA_PETITION_DUE_SOON_WORKING_DAYS = int(
    os.environ.get("MOTCUA_PETITION_DUE_SOON_WORKING_DAYS", "2")
)
# Open reports this close (metres) to a new one's point are suggested before filing.
MOTCUA_PETITION_NEARBY_METRES = int(os.environ.get("MOTCUA_PETITION_NEARBY_METRES", "50"))
# The public map's answers are cached per version of the reports (any change of a report makes
# a new one) for at most this many seconds.
MOTCUA_PETITION_MAP_CACHE_SECONDS = int(os.environ.get("MOTCUA_PETITION_MAP_CACHE_SECONDS", "60"))
