"""Settings for spinesite, read from the environment (see .env.example)."""

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent

# A .env file (see .env.example), when there is one: its values fill in what the
# environment does not set; the environment always wins. ENV_FILE names another file,
# or none at all when empty (the tests start processes with exactly the environment
# they give them).
ENV_FILE = os.environ.get("ENV_FILE", str(BASE_DIR / ".env")).strip()
if ENV_FILE:
    load_dotenv(ENV_FILE, override=False)


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number.") from error


def env_required(name, when="DEBUG is off"):
    """A secret or address the site cannot run without: stop start-up, naming it."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when {when} (see .env.example).")
    return value


# Core
# ------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-local-development-key"  # noqa: S105 - DEBUG only
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

ROOT_URLCONF = "spinesite.urls"
WSGI_APPLICATION = "spinesite.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Applications
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "markdownx",
    "solo",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_tasks_db",
    "reversion",
    "spinesite",
    "conditions",
    # Before videos: video content files may name treatments (see load_content).
    "treatments",
    # Before clinicians: clinicians name the locations where they work.
    "locations",
    # Before contact and videos; after conditions and treatments, which clinicians see.
    "clinicians",
    "contact",
    "videos",
    "feedback",
    "glossary",
]
# Django's JSON format made faster, the same output: the versions of pages kept by
# django-reversion are in it (spinesite.serializers says why).
SERIALIZATION_MODULES = {"json": "spinesite.serializers"}

# Who may be named as a page's clinical reviewer (spinesite.pages.ReviewedPage.reviewed_by):
# named here, like AUTH_USER_MODEL, so that spinesite itself names no app. The model
# needs `title`, `credentials`, `is_published` and `get_absolute_url()`.
PAGE_REVIEWER_MODEL = "clinicians.Clinician"

MIDDLEWARE = [
    # Warns once when a proxy sends X-Forwarded-For that TRUSTED_PROXY_COUNT ignores.
    "spinesite.clientaddress.ProxyWarningMiddleware",
    # Then, so that the HTTPS redirect and HSTS come before anything is answered.
    "django.middleware.security.SecurityMiddleware",
    # 304s for pages whose ETag or Last-Modified the browser already has.
    "django.middleware.http.ConditionalGetMiddleware",
    # Anonymous pages from memory, kept with the headers the middleware below adds;
    # a hit runs none of it (spinesite.pagecache).
    "spinesite.pagecache.PageCacheMiddleware",
    # The other security headers, on every response: pages, static files, and the
    # 400 for a bad Host header that CommonMiddleware answers itself.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before anything that reads a request's body (the CSRF check parses it), and
    # after the header middleware, so that its 413 carries the security headers.
    "spinesite.limits.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language from its address (/es/...) only; see spinesite.i18n.
    "django.middleware.locale.LocaleMiddleware",
    "spinesite.i18n.LanguageVaryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff: 30-minute idle timeout, and a second factor before patient data.
    "spinesite.staffauth.StaffSecurityMiddleware",
    # A 404 at a renamed page's old address becomes a 301 (spinesite.redirects).
    "spinesite.redirects.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Caches: per process, in memory. The page cache is emptied across all processes
# by the content version (spinesite.pagecache); nothing shared lives here.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        # LocMemCache bounded in bytes too: PAGE_CACHE_MAX_BYTES per process.
        "BACKEND": "spinesite.boundedcache.BoundedMemoryCache",
        "LOCATION": "pages",
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {
            "MAX_ENTRIES": 2000,
            "MAX_BYTES": env_int("PAGE_CACHE_MAX_BYTES", 32 * 1024 * 1024),
        },
    },
    # What a page shows that depends only on content and language (a page's article,
    # its lists of links, the header and footer), for requests the page cache does
    # not answer: keyed by the content version (spinesite.fragments).
    "fragments": {
        "BACKEND": "spinesite.boundedcache.BoundedMemoryCache",
        "LOCATION": "fragments",
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {
            "MAX_ENTRIES": 4000,
            "MAX_BYTES": env_int("FRAGMENT_CACHE_MAX_BYTES", 16 * 1024 * 1024),
        },
    },
    # Search results per content version, language, words and page, for requests the
    # page cache does not answer. A cache of their own: anyone can type new words,
    # and those must not push the pages' fragments out.
    "searches": {
        "BACKEND": "spinesite.boundedcache.BoundedMemoryCache",
        "LOCATION": "searches",
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {
            "MAX_ENTRIES": 1000,
            "MAX_BYTES": env_int("SEARCH_CACHE_MAX_BYTES", 4 * 1024 * 1024),
        },
    },
}
# How long a proxy or CDN may keep an anonymous page (Cache-Control: public).
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 60)

# load_content's worker processes for 200 or more new files (spinesite/parallel.py);
# 0: one per core, at most 8. Set it lower in a container whose CPU quota is smaller
# than the cores it sees.
LOAD_WORKERS = env_int("LOAD_WORKERS", 0)
# Clinical sign-off (spinesite.review): the next review falls due this many days after
# an approval; a signed preview link for a clinician works for this many seconds.
CLINICAL_REVIEW_INTERVAL_DAYS = env_int("CLINICAL_REVIEW_INTERVAL_DAYS", 365)
PREVIEW_LINK_SECONDS = env_int("PREVIEW_LINK_SECONDS", 7 * 24 * 3600)
# Each process learns of content changes from PostgreSQL's notifications (LISTEN),
# on one more connection of its own. Off behind PgBouncer in transaction mode, where
# LISTEN does not work: every anonymous request then asks for the content version.
PAGE_CACHE_LISTEN = env_bool("PAGE_CACHE_LISTEN", True)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% url %} reversed once per process (spinesite/templatetags/cachedurl.py).
            "builtins": [
                "spinesite.templatetags.cachedurl",
                "spinesite.templatetags.contentcache",
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "spinesite.context_processors.clinic",
            ],
        },
    },
]

# Database: PostgreSQL only, through a psycopg connection pool
# ------------------------------------------------------------------------------
# The address carries the password, so production must say where the database is.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "").strip()
        or (
            "postgres://postgres@127.0.0.1:5432/spinesite"
            if DEBUG
            else env_required("DATABASE_URL")
        ),
        conn_max_age=0,  # the pool keeps connections open; Django must not as well
        conn_health_checks=True,  # the pool tests a connection before lending it out
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL.")
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
# Timeouts, so that an unreachable server or one stuck query cannot hold a worker:
# connecting gives up after DB_CONNECT_TIMEOUT seconds, and PostgreSQL cancels any
# statement running longer than DB_STATEMENT_TIMEOUT_MS (below gunicorn's 30 s
# request timeout, so the worker answers with an error page instead of being killed).
# A long migration may need DB_STATEMENT_TIMEOUT_MS=0 (no limit) for that one run.
_db_options.setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5))
_db_options["options"] = " ".join(
    filter(
        None,
        [
            _db_options.get("options", ""),
            f"-c statement_timeout={env_int('DB_STATEMENT_TIMEOUT_MS', 15_000)}",
        ],
    )
)
# Each gunicorn worker process has its own pool; a gthread worker serves up to
# GUNICORN_THREADS (4) requests at once, each with at most one connection. The
# server's total is workers x (max size + 1, the page cache's listener), plus the
# task worker's: keep the sum over all app servers under PostgreSQL's
# max_connections (100 by default). DB_POOL_MAX_SIZE=0 turns the pool off, e.g.
# behind PgBouncer.
if env_int("DB_POOL_MAX_SIZE", 4) > 0:
    _db_options["pool"] = {
        "min_size": env_int("DB_POOL_MIN_SIZE", 1),
        "max_size": env_int("DB_POOL_MAX_SIZE", 4),
        # Seconds a request waits for a free connection before it fails with an error.
        "timeout": env_int("DB_POOL_TIMEOUT", 10),
    }

# Passwords
# ------------------------------------------------------------------------------
# At least 12 characters and not on Django's list of 20,000 common passwords
# (OWASP ASVS 2.1.1); staff also log in with a second factor (see MFA below).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation
# ------------------------------------------------------------------------------
# English at today's addresses, Spanish under /es/ (spinesite.urls, spinesite.i18n).
# Interface text is translated in locale/<language>/LC_MESSAGES/django.po, compiled
# to .mo by `compilemessages` in make run, make serve and make test.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The languages whose "language help is available" taglines the language help page
# shows (contact.LanguageHelpPage); staff write each tagline in admin. Spanish ships
# with text; add more codes (e.g. "zh-hant,vi") and their taglines in admin.
LANGUAGE_ASSISTANCE_TAGLINES = env_list("LANGUAGE_ASSISTANCE_TAGLINES", "es")
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

# Static files and uploads
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")  # collectstatic
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    # FileSystemStorage that leaves no partly written file behind (a full disk).
    "default": {"BACKEND": "spinesite.storage.CleanFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads above this stay on disk instead of in memory; the image checks cap them anyway.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
# Largest video file the admin accepts (videos.uploads); the web server in front of
# the site must allow request bodies this big too.
VIDEO_UPLOAD_MAX_BYTES = env_int("VIDEO_UPLOAD_MAX_BYTES", 200 * 1024 * 1024)
# Request bodies, checked by their length before anything reads them
# (spinesite.limits): every form a visitor can send fits in REQUEST_BODY_MAX_BYTES;
# only staff may send more, and only to the admin and the Markdown editor (see there).
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 64 * 1024)

# Uploads in S3-compatible object storage (optional; needed for several app servers)
# ------------------------------------------------------------------------------
# With AWS_STORAGE_BUCKET_NAME set, uploads go to the bucket instead of MEDIA_ROOT, so
# every app server sees the same files. AWS S3, or any S3-compatible service through
# AWS_S3_ENDPOINT_URL; the files must be publicly readable (see docs/deploy.md).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
MEDIA_ORIGINS = []  # where uploads are served from besides this site, for the CSP
if AWS_STORAGE_BUCKET_NAME:
    _bucket_set = "AWS_STORAGE_BUCKET_NAME is set"
    _s3 = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "access_key": env_required("AWS_S3_ACCESS_KEY_ID", when=_bucket_set),
        "secret_key": env_required("AWS_S3_SECRET_ACCESS_KEY", when=_bucket_set),
        "region_name": os.environ.get("AWS_S3_REGION_NAME", "").strip() or None,
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL", "").strip() or None,
        "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN", "").strip() or None,
        "location": "media",
        "default_acl": None,  # the bucket's policy makes objects public, not each upload
        "querystring_auth": False,  # public files with stable URLs that pages can store
        "file_overwrite": False,
    }
    if _s3["custom_domain"]:
        MEDIA_ORIGINS = [f"https://{_s3['custom_domain']}"]
    elif _s3["endpoint_url"]:
        # Path-style URLs (endpoint/bucket/key) keep the files on the endpoint's origin.
        _s3["addressing_style"] = "path"
        _endpoint = urlsplit(_s3["endpoint_url"])
        MEDIA_ORIGINS = [f"{_endpoint.scheme}://{_endpoint.netloc}"]
    else:
        _s3["addressing_style"] = "virtual"
        MEDIA_ORIGINS = [f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"]
        if _s3["region_name"]:
            MEDIA_ORIGINS.append(
                f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{_s3['region_name']}.amazonaws.com"
            )
    STORAGES["default"] = {"BACKEND": "spinesite.storage.MediaStorage", "OPTIONS": _s3}

# django-markdownx: previews go through the same sanitising pipeline as pages
# ------------------------------------------------------------------------------
MARKDOWNX_MARKDOWNIFY_FUNCTION = "spinesite.markdown.render_markdown"
MARKDOWNX_MEDIA_PATH = "uploads/"
MARKDOWNX_UPLOAD_MAX_SIZE = 5 * 1024 * 1024
MARKDOWNX_UPLOAD_CONTENT_TYPES = ("image/jpeg", "image/png", "image/webp")
MARKDOWNX_IMAGE_MAX_SIZE = {"size": (1600, 1600), "quality": 85}

# Security: HTTPS, cookies and headers
# ------------------------------------------------------------------------------
# With DEBUG off the defaults are production's, and `manage.py check --deploy` has
# nothing to report. Serving plain HTTP locally (`make serve`, the tests) turns
# SECURE_SSL_REDIRECT and SECURE_COOKIES off through the environment.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers check app servers over HTTP
# Only behind a proxy that ends TLS and always sets X-Forwarded-Proto; otherwise a
# client could claim HTTPS. (gunicorn does the same for FORWARDED_ALLOW_IPS.)
if env_bool("TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # the Markdown editor reads the token from the form instead
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 60 * 60  # only staff have sessions: a working day, not weeks
# Django's database sessions, refusing cookie values Django could not have made.
SESSION_ENGINE = "spinesite.sessions"
# HSTS: a year in production. includeSubDomains and preload make the deploy check
# clean; turn them off if a subdomain of the site's domain still serves plain HTTP.
# Submitting the domain to the browsers' preload list is a separate, manual step.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "spinesite.errors.csrf_failure"  # 403_csrf.html, with the clinic's details

# Content-Security-Policy (django-csp): same-origin only, no inline code anywhere,
# admin included. A template that needs an inline <script> gives it
# nonce="{{ request.csp_nonce }}"; the nonce then appears in the header.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, *MEDIA_ORIGINS],
        "media-src": [SELF, *MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        # The video library's players, loaded only after a click on a video.
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# Permissions-Policy (django-permissions-policy): no page here needs these.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "camera",
        "microphone",
        "geolocation",
        "interest-cohort",
        "browsing-topics",
        "payment",
        "usb",
    )
}

# Admin: its own address, and a lockout after repeated failed logins
# ------------------------------------------------------------------------------
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip().strip("/") + "/"
if not re.fullmatch(r"[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*/", ADMIN_URL):
    raise ImproperlyConfigured(
        "ADMIN_URL must be a path such as admin/ or clinic-staff/ "
        "(letters, digits, '-', '_', '.', '~' and '/')."
    )
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out logins before checking
    "allauth.account.auth_backends.AuthenticationBackend",  # a ModelBackend, for allauth
]
# django-axes counts failures in PostgreSQL, so every process and app server sees the
# same count. Locked: a username from one address, after AXES_FAILURE_LIMIT failures,
# until AXES_COOLOFF_MINUTES have passed without another try.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
# No "AXES: BEGIN ..." banner at every start of every command and worker.
AXES_VERBOSE = False
# Clients counted as the rate limits count them: through TRUSTED_PROXY_COUNT proxies,
# IPv6 per /64 (spinesite.clientaddress).
AXES_CLIENT_IP_CALLABLE = "spinesite.clientaddress.axes_client"

# Staff logins and a second factor (django-allauth's account and MFA apps)
# ------------------------------------------------------------------------------
# The admin's login page sends to allauth's (spinesite.admin): username and password,
# then, for anyone who has set one up, a code from an authenticator app, a passkey or
# a recovery code. spinesite.staffauth makes those who see patient data or manage
# users set one up before anything else, and logs staff out after 30 idle minutes.
ACCOUNTS_URL = "accounts/"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/" + ADMIN_URL
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "spinesite.staffauth.StaffAccountAdapter"  # no sign-up; one client address
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False  # the session ends with the browser
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "Clinic website")
# Passkeys need HTTPS, except on this machine over plain HTTP (make run, make serve).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not SESSION_COOKIE_SECURE
MFA_REQUIRED_PERMISSIONS = [
    "contact.view_consultationrequest",
    "contact.change_consultationrequest",
    "contact.view_accessevent",
    "auth.add_user",
    "auth.change_user",
    "auth.change_group",
]
STAFF_IDLE_TIMEOUT_SECONDS = env_int("STAFF_IDLE_TIMEOUT_MINUTES", 30) * 60

# Email and consultation requests (the contact app)
# ------------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
# Without a mail server, development prints emails to the console; production
# always uses SMTP (and a missing server shows up as unsent notifications).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not EMAIL_HOST
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both.")
# Seconds; short, so that a slow mail server never keeps a patient waiting long.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 5)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's public address (no trailing slash), for links in emails, canonical
# links, sitemap.xml and structured data. Required with DEBUG off (a system check,
# spinesite.checks): guessed from a request's Host header, it could be poisoned.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/") or (
    "http://127.0.0.1:8000" if DEBUG else ""
)

# Background work: Django's tasks framework (the django-tasks backport until Django
# 6) with its database backend, so the queue lives in PostgreSQL with everything else.
# `manage.py db_worker` runs the tasks (`make run`, `make serve`, deploy/).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

CONSULTATION_NOTIFY_EMAILS = env_list("CONSULTATION_NOTIFY_EMAILS")
CONSULTATION_RATE_LIMIT = env_int("CONSULTATION_RATE_LIMIT", 5)  # per client per hour
CONSULTATION_MIN_FILL_SECONDS = env_int("CONSULTATION_MIN_FILL_SECONDS", 3)
CONSULTATION_RETENTION_DAYS = env_int("CONSULTATION_RETENTION_DAYS", 365)
# Requests nobody closed: flagged to the front desk after this many days, then closed
# and purged like closed ones, CONSULTATION_RETENTION_DAYS after their last change.
CONSULTATION_STALE_DAYS = env_int("CONSULTATION_STALE_DAYS", 90)
# Readers' feedback comments (feedback app) are deleted after this many days.
FEEDBACK_COMMENT_RETENTION_DAYS = env_int("FEEDBACK_COMMENT_RETENTION_DAYS", 365)
# The access audit of consultation requests (contact.audit): six years by default,
# as US health privacy rules ask of such records; never under a year.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 6 * 365 + 2)
if AUDIT_RETENTION_DAYS < 365:
    raise ImproperlyConfigured("AUDIT_RETENTION_DAYS must be at least 365.")
# How many reverse proxies in front of the site append to X-Forwarded-For (0: none,
# the client's address is the connection's). Exactly this many entries are trusted
# (spinesite.clientaddress); a wrong number lets clients pick their address or makes
# them all share one. TRUST_X_FORWARDED_FOR=true, the older setting, means one proxy.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if env_bool("TRUST_X_FORWARDED_FOR") else 0)
RATE_LIMIT_SALT = os.environ.get("RATE_LIMIT_SALT", "")  # defaults to SECRET_KEY
# "Was this page helpful?" answers and comments, per client per hour (spinesite.ratelimit).
FEEDBACK_RATE_LIMIT = env_int("FEEDBACK_RATE_LIMIT", 20)
# Days the counts of searches that found nothing are kept (spinesite.searchlog).
SEARCH_LOG_DAYS = env_int("SEARCH_LOG_DAYS", 90)
# Error reports never include form fields or local variables of contact views.
DEFAULT_EXCEPTION_REPORTER_FILTER = "contact.privacy.PrivateExceptionReporterFilter"

# Logging: requests' bodies and parameters are never logged
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
