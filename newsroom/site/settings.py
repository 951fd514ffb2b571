"""Settings of the portal, read from the environment.

Every value an operator may change comes from an environment variable (or a
`.env` file beside manage.py, for a laptop). The defaults run the site on an
SQLite file with a cache in files its workers share; production sets DATABASE_URL,
REDIS_URL, SECRET_KEY and ALLOWED_HOSTS.
"""

import ipaddress
from pathlib import Path

import environ
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# Variables already in the environment win over the file.
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
# Without a key, management commands (migrate, collectstatic, makemigrations)
# still run, with a throwaway key; serving pages is refused in wsgi.py unless
# DEBUG is on.
SECRET_KEY_MISSING = not SECRET_KEY
if SECRET_KEY_MISSING:
    SECRET_KEY = "unset-" + get_random_secret_key()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The admin lives at a path the operator chooses, so that it is not where
# every scanner looks first.
ADMIN_PATH = env.str("ADMIN_PATH", default="admin/").strip("/") + "/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "taggit",
    "captcha",
    "csp",
    "django_prose_editor",
    # The resized copies of uploaded pictures, made when they are saved.
    "imagekit",
    # Every saved version of an article: history, compare and restore in the admin.
    "simple_history",
    # Two-step sign-in for staff: TOTP apps and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "newsroom",
    "comments",
]

MIDDLEWARE = [
    # X-Forwarded-Proto only from the operator's proxies, before the scheme is read.
    "newsroom.site.middleware.ForwardedProtoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A body in another encoding is refused before anything reads it.
    "newsroom.site.middleware.RequestEncodingMiddleware",
    "newsroom.site.middleware.AdminRegexFilterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Whole pages for anonymous readers are answered here, before sessions,
    # from Django's cache, and kept there on their way out.
    "newsroom.delivery.pages.PageCacheMiddleware",
    # Pages leave compressed for readers whose browsers accept it and are
    # kept so, a copy per encoding: nginx and the page cache send the kept
    # bytes as they are instead of compressing the page for every reader.
    # Against BREACH, Django pads each compressed response with random
    # bytes and masks CSRF tokens per response.
    "newsroom.site.middleware.CompressedTextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Whether this session gave a second factor; then, staff who must and
    # have not are sent to set it up (newsroom/site/auth.py).
    "django_otp.middleware.OTPMiddleware",
    "newsroom.site.auth.StaffSignInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Who saved each version of an article, for its history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Innermost, so the first to see a view's exception: an unreachable
    # database gives a 503 page rather than a 500.
    "newsroom.site.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "newsroom.site.urls"
WSGI_APPLICATION = "newsroom.site.wsgi.application"

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
                "newsroom.site.context_processors.site",
                "newsroom.delivery.versions.template_versions",
            ],
            "builtins": ["newsroom.templatetags.persian"],
        },
    },
]

# Form widgets are rendered with the project's templates, so the comment
# form's arithmetic question can have a template of its own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Django's Redis cache, except that a Redis that fails (down, slow or
    # full) is a miss instead of an error page (newsroom/delivery/backends.py).
    CACHES = {
        "default": {
            "BACKEND": "newsroom.delivery.backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="newsroom"),
        }
    }
else:
    # The embedded default: files every worker of this machine shares, so
    # that what one worker drops is dropped for all. Expired files are
    # removed when read; past MAX_ENTRIES a third of them, at random, is.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env.path("CACHE_DIR", default=BASE_DIR / ".cache" / "django"),
            "OPTIONS": {"MAX_ENTRIES": env.int("CACHE_MAX_ENTRIES", default=3000)},
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="newsroom"),
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", _("Persian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # gunicorn takes the same variable in lower case; Django wants it in capitals.
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO").upper()},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
    },
}

# Security. Behind HTTPS (HTTPS=true, as in production) cookies are secure,
# plain HTTP is redirected and browsers are told to remember it.
HTTPS = env.bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Asking browsers' preload lists to carry the domain binds every subdomain to
# HTTPS for months, and leaving the lists takes as long: an operator's
# decision (HSTS_PRELOAD=true, then hstspreload.org), never a default.
SECURE_HSTS_PRELOAD = env.bool("HSTS_PRELOAD", default=False)
# Django's deployment check asks for preload; without it, that is the choice above.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Only our own files run or style a page: no inline script or style, no
# other host, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # A nonce only where a page asks for one: the admin's article editor.
        "script-src": ["'self'", NONCE],
        # The admin's article editor adds one <style> element of its own; its
        # hash lets exactly that one in (the browser test watches for others).
        "style-src": ["'self'", "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
CSRF_FAILURE_VIEW = "comments.views.csrf_failure"

# django-taggit: tags are typed with either comma, the Persian «،» included.
TAGGIT_TAGS_FROM_STRING = "newsroom.articles.tagging.parse_tags"
TAGGIT_STRING_FROM_TAGS = "newsroom.articles.tagging.join_tags"

# django-simple-captcha: the arithmetic question of the comment form, shown as
# text («۸ + ۲ =») rather than as an image.
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.math_challenge"
CAPTCHA_MATH_CHALLENGE_OPERATOR = "×"
CAPTCHA_TIMEOUT = env.int("CAPTCHA_TIMEOUT_MINUTES", default=30)

# The portal's own knobs.
SITE_NAME = _("Social Security Organization News")
# The office's channels in the footer, in this order: "telegram=https://t.me/…,eitaa=https://…".
# Known names are telegram, eitaa, bale, rubika, soroush, whatsapp, instagram, x, aparat.
OFFICE_CHANNELS = env.dict("OFFICE_CHANNELS", default={})
ARTICLES_PER_PAGE = env.int("ARTICLES_PER_PAGE", default=12)

# Whole pages for anonymous readers (home, articles, services, tags) are kept
# in the cache and left behind the moment what they show changes
# (newsroom/delivery/pages.py); their parts too, with `{% cache %}`.
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# How long a CDN or nginx in front may keep an anonymous page (s-maxage): a
# micro-cache. Two seconds absorb a spike (one request per page and server
# every two seconds reaches Django) while an approval shows almost at once.
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=2)
# Sitemaps: addresses per page (Google reads up to 50,000, but a page that
# long takes seconds to render; 500 take tens of milliseconds), and how long
# a rendered page is kept.
SITEMAP_PAGE_SIZE = env.int("SITEMAP_PAGE_SIZE", default=500)
SITEMAP_CACHE_SECONDS = env.int("SITEMAP_CACHE_SECONDS", default=1800)
# An uploaded image with more pixels than this is refused: decoding one
# takes three or four bytes a pixel, so 40 megapixels (a camera's full
# frame, 7700 × 5200) cost a worker about 160 MB while its renditions are made.
IMAGE_MAX_MEGAPIXELS = env.int("IMAGE_MAX_MEGAPIXELS", default=40)
# django-imagekit (newsroom/articles/renditions.py): copies go under
# MEDIA_ROOT/renditions/, are made when a picture is saved, and a page only
# computes their names.
IMAGEKIT_CACHEFILE_DIR = "renditions"
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "newsroom.articles.renditions.SavedImagesOnly"
# load_demo draws pictures for some demo articles and a photo report.
DEMO_PICTURES = env.bool("DEMO_PICTURES", default=True)
# The largest video an editor may upload, in megabytes: nginx refuses bodies
# past 10 MB (deploy/nginx.conf.template); raise both together.
VIDEO_MAX_MEGABYTES = env.int("VIDEO_MAX_MEGABYTES", default=10)
# How long what a search found is kept in a shared cache (newsroom/search/engine.py);
# an edit, a tag or a synonym forgets it at once. 0 turns it off.
SEARCH_CACHE_SECONDS = env.int("SEARCH_CACHE_SECONDS", default=60)
NEWS_CODE_START = 77759
DEFAULT_ARTICLE_SOURCE = "روابط عمومی سازمان تأمین اجتماعی"

# Comments: the numbers a moderator or operator may want to tune.
COMMENT_MAX_LENGTH = env.int("COMMENT_MAX_LENGTH", default=1000)
COMMENTS_PER_PAGE = env.int("COMMENTS_PER_PAGE", default=20)
COMMENT_MIN_SECONDS = env.int("COMMENT_MIN_SECONDS", default=3)
COMMENT_FORM_MAX_AGE = env.int("COMMENT_FORM_MAX_AGE", default=6 * 3600)
# Limits for each reader's address (an IPv6 reader's /64), counted in the
# shared cache: comments accepted; posts refused (a wrong answer, a rule),
# which have a limit of their own; arithmetic questions handed out, each a
# row in the database until it is answered or expires.
COMMENT_RATE = env.str("COMMENT_RATE", default="5/10m")
COMMENT_REFUSED_RATE = env.str("COMMENT_REFUSED_RATE", default="10/10m")
COMMENT_QUESTION_RATE = env.str("COMMENT_QUESTION_RATE", default="100/10m")
# Comments close by themselves this many days after publication (0: never).
COMMENTS_OPEN_DAYS = env.int("COMMENTS_OPEN_DAYS", default=30)
# Refused comments are kept this long for moderators to review, then deleted.
COMMENT_REFUSALS_KEEP_DAYS = env.int("COMMENT_REFUSALS_KEEP_DAYS", default=30)
# The proxies (nginx, a load balancer) whose X-Forwarded-For is believed:
# addresses or networks, e.g. "10.0.0.5,10.0.1.0/24". The reader's address
# is the right-most entry of the header that is not one of them
# (newsroom/site/network.py); from any other peer the header is ignored,
# since anyone can send it. TRUST_X_FORWARDED_FOR=true, the older switch,
# still works without TRUSTED_PROXIES and means nginx on this machine
# (127.0.0.1 and ::1).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
TRUST_X_FORWARDED_FOR = env.bool("TRUST_X_FORWARDED_FOR", default=False)
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy.strip(), strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network (e.g. 10.0.0.0/24)"
        ) from None
# Views one address may count (newsroom/articles/reading.py); each browser
# counts once per article an hour.
VIEW_RATE = env.str("VIEW_RATE", default="300/h")
# Staff sign-in (newsroom/site/auth.py). Failed sign-ins one address may make
# before it must wait, and one account from all addresses together; a
# browser that signed in to an account before has a limit of its own.
ADMIN_LOGIN_RATE = env.str("ADMIN_LOGIN_RATE", default="10/15m")
ADMIN_LOGIN_ACCOUNT_RATE = env.str("ADMIN_LOGIN_ACCOUNT_RATE", default="20/1h")
AUTHENTICATION_BACKENDS = ["newsroom.site.auth.LoginAttemptLimitBackend"]
# Staff must set up two-step sign-in (an authenticator app) before using the
# admin: on in production, off by default so that the demo accounts work.
STAFF_TWO_FACTOR = env.bool("STAFF_TWO_FACTOR", default=False)
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="پایگاه خبری تأمین اجتماعی")
# Superusers may remove a lost phone's device in the admin, never read its key.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Following comments: tracking codes, readers' votes, e-mail (comments/).
# Lookups of a tracking code that find nothing, per address (comments/tracking.py
# says why ten an hour is enough against guessing 12-digit codes).
COMMENT_TRACK_RATE = env.str("COMMENT_TRACK_RATE", default="10/1h")
# Votes one address may cast in all, and on one comment: a signed cookie
# keeps one vote per reader and comment; these bound a reader who clears it.
# Many readers share an address behind a carrier's NAT, so they are generous.
COMMENT_VOTE_RATE = env.str("COMMENT_VOTE_RATE", default="60/10m")
COMMENT_VOTES_PER_COMMENT_RATE = env.str("COMMENT_VOTES_PER_COMMENT_RATE", default="10/1d")
# Readers' replies shown under each comment on the article page; the rest
# are on the comment's own page.
COMMENT_REPLIES_SHOWN = env.int("COMMENT_REPLIES_SHOWN", default=2)
# Where e-mails point readers and moderators to: the site's own address.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# E-mail with Django's framework, configured by one URL:
# smtp+tls://user:password@mail.example.ir:587 (STARTTLS),
# smtp+ssl://user:password@mail.example.ir:465, smtp://host:25; unset, the
# e-mails are written to the log (the console backend), as in development.
vars().update(
    {
        name: value
        for name, value in env.email_url("EMAIL_URL", default="consolemail://").items()
        if value is not None
    }
)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="no-reply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# E-mails wait in an outbox table (comments/outbox.py). A thread in each web
# process sends them unless this is off; production turns it off and runs
# `manage.py sendcommentmail --loop` as a service instead.
COMMENT_MAIL_IN_PROCESS = env.bool("COMMENT_MAIL_IN_PROCESS", default=True)
COMMENT_MAIL_ATTEMPTS = env.int("COMMENT_MAIL_ATTEMPTS", default=10)
COMMENT_MAIL_KEEP_DAYS = env.int("COMMENT_MAIL_KEEP_DAYS", default=30)
# `manage.py commentdigest` e-mails moderators the waiting queue only when on.
MODERATION_DIGEST = env.bool("MODERATION_DIGEST", default=False)
