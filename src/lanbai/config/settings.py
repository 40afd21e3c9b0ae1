"""Django settings.  Embedded SQLite by default; PostgreSQL (or any database) through DATABASE_URL."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .secret import secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("LANBAI_DATA_DIR", Path.cwd() / "var"))

SECRET_KEY = secret_key(DATA_DIR)
DEBUG = os.environ.get("LANBAI_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("LANBAI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI / ReDoc served from our own static files, no CDN
    "axes",
    "lanbai.common",
    "lanbai.plans",
    "lanbai.access",
    "lanbai.collection",
    "lanbai.monitoring",
    "lanbai.indices",
    "lanbai.registry",
    "lanbai.execution",
    "lanbai.assessment",
    "lanbai.evaluation",
    "lanbai.contracts",
    "lanbai.vouchers",
    "lanbai.pools",
    "lanbai.instruments",
    "lanbai.survey",
    "lanbai.reports",
    "lanbai.web",
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
    "lanbai.common.middleware.ApplicationErrorMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lock-out page
]

# Login throttling (django-axes): after 5 wrong passwords for a username from one address the
# account is locked there for 15 minutes; a correct password does not unlock it early.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LANBAI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("LANBAI_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

ROOT_URLCONF = "lanbai.config.urls"
WSGI_APPLICATION = "lanbai.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

_default_db = f"sqlite:///{DATA_DIR / 'lanbai.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL: readers never wait for the writer; IMMEDIATE: a transaction takes the write lock when it
    # starts (no deadlock when two readers both try to write); a writer waits up to 30 s for another.
    # A request that still finds the database busy gets a "busy, try again" answer (503), not a 500.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("LANBAI_TEST_SQLITE", "")} if os.environ.get(
        "LANBAI_TEST_SQLITE"
    ) else {}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the pages' short queries never gain from it, and a recursive tree query
    # whose row estimate passes jit_above_cost spent 160 ms of its 225 ms compiling (measured at
    # province scale once the tables had statistics).  Appended to any options the URL gives.
    _pg = DATABASES["default"].setdefault("OPTIONS", {})
    _pg["options"] = f"{_pg.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": DATA_DIR / "media"}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# the upload limit is enforced while the body is read (lanbai.common.uploads), before anything is stored
FILE_UPLOAD_HANDLERS = [
    "lanbai.common.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
LANBAI_MAX_UPLOAD_BYTES = int(os.environ.get("LANBAI_MAX_UPLOAD_BYTES", "50000000"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench"  # 工作台: what the user has to do now
EMAIL_BACKEND = os.environ.get("LANBAI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("LANBAI_EMAIL_FILE_PATH", "")
EMAIL_HOST = os.environ.get("LANBAI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("LANBAI_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("LANBAI_DEFAULT_FROM_EMAIL", "lanbai@localhost")
LOGOUT_REDIRECT_URL = "home"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "lanbai.common.api.HouseAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "EXCEPTION_HANDLER": "lanbai.common.api.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "lanbai.common.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "lanbai API",
    "VERSION": "0.1.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # `check --deploy` is the deployment security check; the OpenAPI schema's quality is checked by its
    # own test (tests/apps/web/test_security.py: the schema generates without errors)
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}

# Production behind HTTPS (docs/deployment.md): LANBAI_HTTPS=1 turns on secure cookies, HSTS and the
# redirect to HTTPS; `django-admin check --deploy` is clean with it and a real secret key.
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if os.environ.get("LANBAI_HTTPS", "0") == "1":
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if os.environ.get("LANBAI_BEHIND_PROXY", "0") == "1":  # the proxy terminates TLS and says so
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANBAI_PLAN_DIR = os.environ.get("LANBAI_PLAN_DIR", "")
# the reporting calendar comes from the forms data (``reporting:``); these override it when set
LANBAI_PERIOD_LOCK_DAYS = (
    int(os.environ["LANBAI_PERIOD_LOCK_DAYS"]) if os.environ.get("LANBAI_PERIOD_LOCK_DAYS") else None
)
LANBAI_REPORT_DEADLINE_DAYS = (
    int(os.environ["LANBAI_REPORT_DEADLINE_DAYS"]) if os.environ.get("LANBAI_REPORT_DEADLINE_DAYS") else None
)
