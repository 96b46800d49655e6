"""ParIndex settings: one module, read from the environment.

With no environment at all ParIndex runs on SQLite in development mode.
Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (see README).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    return os.getenv(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    return int(os.getenv(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "1")
SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY phải được đặt khi DEBUG=0")
    SECRET_KEY = "dev-only-insecure-key-parindex-do-not-use-in-production"  # noqa: S105
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "parindex.apps.AdminConfig",  # the admin, its yes/no icons described in Vietnamese
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "import_export",
    "parindex.apps.AxesConfig",  # django-axes, named in Vietnamese in the admin
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "parindex.apps.TasksConfig",  # django-tasks' database backend, named in Vietnamese
    "assessments",
    "reports",
    "api",
]

MIDDLEWARE = [
    # Server-Timing on every response: Django's wall and CPU time (assessments/middleware.py).
    "assessments.middleware.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Pages of a signed-in user: Cache-Control: private, no-store (assessments/middleware.py).
    "assessments.middleware.PrivatePagesMiddleware",
    "csp.middleware.CSPMiddleware",
    # django-axes must stay last: it locks an account after repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "parindex.urls"
WSGI_APPLICATION = "parindex.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "assessments.context_processors.notifications",
            ],
        },
    },
]

DEFAULT_SQLITE = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", DEFAULT_SQLITE),
        # Production keeps each worker's connection open for a minute (checked before reuse).
        conn_max_age=envint("DB_CONN_MAX_AGE", "0" if DEBUG else "60"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite takes the write lock when a transaction begins (IMMEDIATE), not at its first write:
    # a second writer then waits (up to SQLITE_TIMEOUT seconds) and reads what the first one
    # committed, so two concurrent saves end in the conflict message, never "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": envint("SQLITE_TIMEOUT", "20")}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 first (Django's first recommendation): memory-hard, and 0,34 s per login here against
# PBKDF2's 0,57 s (docs/performance.md). Existing PBKDF2 hashes still verify and are upgraded
# at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "assessments:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
# What Django's admin and django-axes leave in English ("Show counts", "access attempts").
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Rendered reports (PDF, DOCX; on the local disk) and matplotlib's font cache live here.
CACHE_DIR = Path(os.getenv("PARINDEX_CACHE_DIR", BASE_DIR / "var" / "cache"))

# Evidence files ("default") and rendered reports ("reports") go through Django's storage API:
# the local disk by default; with S3_BUCKET set, an S3-compatible object store (django-storages,
# boto3) that every application server shares (docs/operations.md, "Nhiều máy chủ"). Credentials
# come from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables.
S3_BUCKET = os.getenv("S3_BUCKET", "")


def s3_storage(location: str, bucket: str = S3_BUCKET, endpoint_url: str | None = None) -> dict:
    """A private folder (`location`) of the bucket: files are read through the views that check
    permissions, never from a public URL."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or os.getenv("S3_ENDPOINT_URL") or None,
            "region_name": os.getenv("S3_REGION") or None,
            "location": location,
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }


_STATIC_STORAGE = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    if DEBUG
    else "whitenoise.storage.CompressedManifestStaticFilesStorage"
}
if S3_BUCKET:
    STORAGES = {
        "default": s3_storage("media"),
        "reports": s3_storage("reports"),
        "staticfiles": _STATIC_STORAGE,
    }
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "reports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": CACHE_DIR / "reports"},
        },
        "staticfiles": _STATIC_STORAGE,
    }
# In development WhiteNoise serves straight from the app and project static folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Evidence files are private: never served from a public URL, only through a view
# that checks permissions.
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# The key that signs backup manifests (HMAC-SHA256); restoring needs the key that signed the
# archive. Empty: derived from SECRET_KEY (assessments/management/commands/backup_data.py).
BACKUP_SIGNING_KEY = os.getenv("BACKUP_SIGNING_KEY", "")
MEDIA_URL = "/private-media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", str(25 * 1024 * 1024))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "parindex@localhost")
# The address the site is reached at, for the links in notification e-mails.
SITE_URL = os.getenv("SITE_URL", "http://localhost:8000")


CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    }
}
# Nothing another server needs lives in one server's memory: sessions are rows in the database
# (SESSION_ENGINE's default, named here because several servers rely on it), login throttling
# (django-axes) counts failures in the database, and the cache above only holds per-process
# conveniences. See docs/operations.md, "Nhiều máy chủ".
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Background tasks (django-tasks, the backport of Django 6's django.tasks): reports are rendered
# by `manage.py db_worker`, which `make serve` and `make run` start beside the web server. The
# queue is a table in the same database, so any number of workers on any server share it.
TASKS = {
    "default": {
        "BACKEND": os.getenv("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# While an assessment is open, a report is rendered at most once per this many seconds: a rush
# of saves and downloads is coalesced into one fresh file per interval.
REPORT_RENDER_DEBOUNCE_SECONDS = envint("REPORT_RENDER_DEBOUNCE_SECONDS", "60")
# A failed rendering is tried this many times in all (with a growing pause), then reported.
REPORT_RENDER_ATTEMPTS = envint("REPORT_RENDER_ATTEMPTS", "3")

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures for one username from one
# address, that pair is locked for AXES_COOLOFF_MINUTES.
AXES_ENABLED = envbool("AXES_ENABLED", "1")
# Failures are counted in the database, so that every application server sees them.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_COOLOFF_MESSAGE = "Tài khoản tạm thời bị khóa vì nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau."
AXES_PERMALOCK_MESSAGE = "Tài khoản bị khóa vì nhập sai mật khẩu nhiều lần. Vui lòng liên hệ Sở Nội vụ."
# Behind a reverse proxy every request comes from the proxy's address: with
# TRUSTED_PROXY_COUNT=N (the number of trusted proxies in front of gunicorn) the client address
# is the N-th entry from the right of X-Forwarded-For, the one the outermost trusted proxy
# appended. 0 (the default) uses REMOTE_ADDR and ignores X-Forwarded-For, which a client can forge.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0")


def client_ip_address(request) -> str | None:
    remote_addr = request.META.get("REMOTE_ADDR")
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if TRUSTED_PROXY_COUNT and len(forwarded) >= TRUSTED_PROXY_COUNT:
        return forwarded[-TRUSTED_PROXY_COUNT]
    return remote_addr


AXES_CLIENT_IP_CALLABLE = client_ip_address

# Content-Security-Policy (django-csp): no inline script anywhere; every script is a static
# file. Inline style attributes are allowed (the Django admin uses them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Sessions end after a working day (8 h) or when the browser closes, whichever is first.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Production hardening (DEBUG=0). ParIndex runs behind a TLS-terminating reverse proxy
# (nginx, a load balancer) that forwards to gunicorn on 127.0.0.1; see docs/operations.md.
# Every value can be overridden from the environment; the defaults are the safe ones.
_PRODUCTION = not DEBUG
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", "1" if _PRODUCTION else "0")
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", "1" if _PRODUCTION else "0")
# Scripts read the CSRF token from the form's hidden input, never from the cookie.
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "1" if _PRODUCTION else "0")
# HSTS is only sent on HTTPS responses. One year by default in production; set
# SECURE_HSTS_SECONDS=300 for a first deployment, raise it once HTTPS is known to work.
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000" if _PRODUCTION else "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "1")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "0")
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    # Preloading (hstspreload.org) binds the whole registrable domain, usually the province's
    # gov.vn domain, not just ParIndex: it is the domain owner's decision, off unless asked for.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
# SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto (header name): trust the proxy's header that
# says the original request was HTTPS. Only set it when a proxy that overwrites that header
# stands in front; gunicorn already honours it from 127.0.0.1 (forwarded_allow_ips).
_proxy_ssl_header = os.getenv("SECURE_PROXY_SSL_HEADER", "").strip()
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The JSON API (/api/v1/, api/): token or session authentication, the same permission module
# as the pages, throttled per account through the cache, paginated, numbers as strings.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AccountThrottle", "api.throttling.AnonymousThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "account": os.getenv("API_RATE_ACCOUNT", "600/minute"),
        "anonymous": os.getenv("API_RATE_ANONYMOUS", "30/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ParIndex API",
    "DESCRIPTION": (
        "API JSON của ParIndex (Chỉ số cải cách hành chính) cho nền tảng tích hợp, chia sẻ dữ liệu "
        "(LGSP). Xác thực bằng mã truy cập: tiêu đề `Authorization: Token <mã>`. Số được trả về "
        'dạng chuỗi với dấu chấm thập phân ("88.0115").'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"SubjectKindEnum": "assessments.models.reference.SubjectKind"},
    # drf-spectacular's own enum hook, then model integers as on PostgreSQL (api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.integers_as_on_postgresql",
    ],
}

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Logs go to stderr (gunicorn and systemd/journald collect them), one line per record with
# time, level and logger. Server errors (django.request) and refused hosts (django.security)
# are always logged; django-axes logs every lockout at WARNING.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.request": {"level": "ERROR" if DEBUG else "WARNING"},
        "django.security": {"level": "WARNING"},
        "axes": {"level": os.getenv("AXES_LOG_LEVEL", "WARNING")},
    },
}
