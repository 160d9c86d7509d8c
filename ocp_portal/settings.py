"""Settings of the OCP portal, read from the environment with django-environ.

With nothing set, the portal runs on the embedded default (SQLite under var/, Celery eager,
e-mails as files under var/mail/). README.md lists every variable.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core -----------------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=False)


def _local_secret_key() -> str:
    """With DEBUG on only: a random key kept in var/ so a checkout without SECRET_KEY still runs."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY", default=None)
if not SECRET_KEY and not DEBUG:
    # A key made up at start would change at the next deploy and silently void every printed
    # réquisition code, every extract's access key and every signed link.
    raise ImproperlyConfigured("SECRET_KEY is not set: the portal does not start without it when DEBUG is off.")
SECRET_KEY = SECRET_KEY or _local_secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "ocp_portal",
    "ocp_portal.accounts",
    "paiements",
    "poursuites",
    "extraits",
    "contraventions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the lockout page
]

ROOT_URLCONF = "ocp_portal.urls"
WSGI_APPLICATION = "ocp_portal.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
                "ocp_portal.context_processors.office",
            ],
        },
    },
]
# Plain <input> widgets are built in Python, the rest through Django's widget templates (why: the module).
FORM_RENDERER = "ocp_portal.form_rendering.PortalFormRenderer"

# --- Content-Security-Policy (django-csp) -------------------------------------------------------
# Nothing inline: every script and stylesheet is a file of the portal. Images may be data: URIs (the
# QR code that carries the payment page to a phone). Forms post to the portal, whose payment page
# then sends the payer on to Stripe Checkout (browsers check form-action on that redirect too).

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF, "https://checkout.stripe.com"],
    },
}

# --- Database -------------------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ocp.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# --- Cache (rate limits) --------------------------------------------------------------------

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://ocp"),
    # The parts of base.html that every page of a service shares, rendered once a process (base.html).
    "chrome": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "chrome"},
}

# --- Internationalisation -------------------------------------------------------------------

LANGUAGE_CODE = "fr-ch"
LANGUAGES = [("fr-ch", "Français")]  # fr-ch formats take 31.12.2026; translations fall back to fr
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Zurich"
USE_I18N = True
USE_TZ = True
# Django writes dates 30.11.2026 and decimals 1234.50, the portal's way (ocp_portal/formats.py).
FORMAT_MODULE_PATH = ["ocp_portal.locale_formats"]
# Not grouped by Django: numbers that are identifiers (poursuite and case numbers, ids in links)
# must not read 12'345'678; amounts get their apostrophes from `format_chf`.
USE_THOUSAND_SEPARATOR = False

# --- Static and media files -----------------------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
Path(STATIC_ROOT).mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Production images run collectstatic and set STATIC_MANIFEST=1 for hashed, compressed files;
# elsewhere WhiteNoise serves straight from the source folders.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

# --- E-mail ---------------------------------------------------------------------------------

if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="OCP Genève <no-reply@ocp.ge.ch>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ---------------------------------------------------------------------------------

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=None)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Two queues, so that a long batch never holds back what a person waits for: "urgent", the default
# (receipts, extracts, e-mails), and "batch" for the beat schedule's jobs (daily recovery, sweeps,
# reconciliation; ocp_portal.celery.route_task). A worker started without -Q consumes both;
# docker-compose.yml gives each its own worker.
CELERY_TASK_QUEUES = (Queue("urgent"), Queue("batch"))
CELERY_TASK_DEFAULT_QUEUE = "urgent"
CELERY_TASK_ROUTES = ("ocp_portal.celery.route_task",)
CELERY_BEAT_SCHEDULE = {
    "paiements-reconcile": {"task": "paiements.tasks.reconcile_payments", "schedule": 300.0},
    "paiements-receipts-sweep": {"task": "paiements.tasks.sweep_receipts", "schedule": 600.0},
    "extraits-sweep": {"task": "extraits.tasks.sweep_requests", "schedule": 300.0},
}

# --- Card payments ----------------------------------------------------------------------------

STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")  # tests point it at a local fake
PAYMENT_GATEWAY = env("PAYMENT_GATEWAY", default="stripe" if STRIPE_SECRET_KEY else "sandbox")
# The built-in sandbox PSP never runs in production unless explicitly enabled.
SANDBOX_PSP_ENABLED = env.bool("SANDBOX_PSP_ENABLED", default=DEBUG)
# Payments still open or authorized this long after they started are asked of the PSP.
PAYMENT_RECONCILE_AFTER = env.int("PAYMENT_RECONCILE_AFTER", default=45 * 60)

# --- Security -------------------------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The container healthcheck probes /healthz over plain HTTP from inside the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- The office -----------------------------------------------------------------------------

OFFICE = {
    "name": "Office cantonal des poursuites",
    "street": "Rue du Stand",
    "house_number": "46",
    "post_box": "Case postale 208",
    "postal_code": "1211",
    "town": "Genève 8",
    "country": "CH",
    "phone": "+41 840 235 235",
    "email": "comptabilite.op@etat.ge.ch",
}
# The QR-IBAN (bank id 30000-31999) the office's QR-bills credit; the default is a test QR-IBAN.
OFFICE_QR_IBAN = env("OFFICE_QR_IBAN", default="CH4431999123000889012")
# Where the accessibility statement's form sends the reports of barriers (eCH-0059), and how many
# reports one client may send per window (seconds).
ACCESSIBILITY_FEEDBACK_EMAIL = env("ACCESSIBILITY_FEEDBACK_EMAIL", default=OFFICE["email"])
FEEDBACK_RATE_LIMIT = env.int("FEEDBACK_RATE_LIMIT", default=5)
FEEDBACK_RATE_WINDOW = env.int("FEEDBACK_RATE_WINDOW", default=3600)

# Key of the HMAC that signs the code printed on réquisitions filled online (checked at the
# guichet). Set it in production: derived from SECRET_KEY, it would change with it and void
# every form printed before.
REQUISITION_SIGNING_KEY = env("REQUISITION_SIGNING_KEY", default=None) or f"requisition:{SECRET_KEY}"
# Réquisitions filed online (poursuites.requisition.filing). A PDF signed with a qualified electronic
# signature is accepted when its certificate chains to one of these anchors: files (PEM or DER) or
# folders of them, e.g. the root CAs of the Swiss qualified providers (ZertES). Unset: none is
# accepted, and the creditor files a scan of the form signed by hand.
REQUISITION_SIGNATURE_TRUST_ANCHORS = env.list("REQUISITION_SIGNATURE_TRUST_ANCHORS", default=[])
# Optional: the certificate policy OIDs of qualified certificates (each provider publishes its own);
# set, a signer's certificate must name one of them, so that an anchor that also issues
# non-qualified certificates does not let those through.
REQUISITION_SIGNATURE_POLICIES = env.list("REQUISITION_SIGNATURE_POLICIES", default=[])
# Fetch OCSP/CRL revocation data for the signer's certificate, and what a missing answer means.
REQUISITION_SIGNATURE_FETCH_REVOCATION = env.bool("REQUISITION_SIGNATURE_FETCH_REVOCATION", default=False)
REQUISITION_SIGNATURE_REVOCATION_MODE = env("REQUISITION_SIGNATURE_REVOCATION_MODE", default="soft-fail")
# The largest file a creditor may upload (signed PDF, scan, photo, procuration), and how many
# filings (attempts included: each signed PDF is checked) one account may submit per window (seconds).
REQUISITION_UPLOAD_MAX_BYTES = env.int("REQUISITION_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
REQUISITION_FILING_RATE_LIMIT = env.int("REQUISITION_FILING_RATE_LIMIT", default=20)
REQUISITION_FILING_RATE_WINDOW = env.int("REQUISITION_FILING_RATE_WINDOW", default=24 * 3600)
# Documents rendered on demand (a QR-bill, a réquisition, a schedule: 0.1 to 1 s of CPU each) per
# client and window (seconds): a client past it gets a 429 instead of another render.
DOCUMENT_RENDER_RATE_LIMIT = env.int("DOCUMENT_RENDER_RATE_LIMIT", default=60)
DOCUMENT_RENDER_RATE_WINDOW = env.int("DOCUMENT_RENDER_RATE_WINDOW", default=600)
# Public lookups (balance, penal order) per client and window (seconds): failed ones strictly, since
# they are what enumeration needs; successful ones generously (a social worker with many files).
LOOKUP_RATE_LIMIT = env.int("LOOKUP_RATE_LIMIT", default=20)
LOOKUP_SUCCESS_RATE_LIMIT = env.int("LOOKUP_SUCCESS_RATE_LIMIT", default=200)
LOOKUP_RATE_WINDOW = env.int("LOOKUP_RATE_WINDOW", default=600)
# How far ahead a planned payment date may be (days).
LOOKUP_MAX_DAYS_AHEAD = 60
# Number of reverse proxies in front of the portal whose X-Forwarded-For entries are trusted.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- Minimum vital (poursuites.minimum_vital) -----------------------------------------------
# The figures of the normes d'insaisissabilité (seed 004), monthly, in CHF, as strings: their only
# place. Update them, their source and the date from which they apply when a new edition comes into
# force; `manage.py check` refuses figures the calculator cannot read (poursuites.E001).
MINIMUM_VITAL_NORMS = {
    "source": "Normes d'insaisissabilité de la Chambre de surveillance des offices des poursuites et faillites",
    "valid_from": "2026-01-01",
    "base": {"seul": "1200.00", "monoparental": "1350.00", "couple": "1700.00"},
    "child_under_10": "400.00",
    "child_10_or_over": "600.00",
}

# --- Service des contraventions -------------------------------------------------------------

# Its own creditor account and address for penal orders (seeds 002, 003). The default QR-IBAN
# (bank id 30000-31999) is a test one; the bank details are those printed for transfers.
# The sender of the Service des contraventions' receipts (its own, not the OCP's).
CONTRAVENTIONS_FROM_EMAIL = env(
    "CONTRAVENTIONS_FROM_EMAIL", default="Service des contraventions <no-reply-contraventions@etat.ge.ch>"
)
CONTRAVENTIONS = {
    "name": "Service des contraventions",
    "creditor_name": "Etat de Genève - Service des contraventions",
    "street": "Chemin de la Gravière",
    "house_number": "5",
    "postal_code": "1227",
    "town": "Les Acacias",
    "country": "CH",
    "phone": "+41 22 427 51 70",
    "qr_iban": env("CONTRAVENTIONS_QR_IBAN", default="CH3930808000012345678"),
    "bank": {
        "name": "Banque cantonale de Genève",
        "street": "Quai de l'Île 17",
        "town": "1207 Genève",
        "beneficiary": "Etat de Genève - Service des contraventions",
        "account": "L3260.69.33",
        "iban": env("CONTRAVENTIONS_IBAN", default="CH18 0078 8000 L326 0693 3"),
        "clearing": "788",
        "bic": "BCGECHGGXXX",
    },
}
# At a fixed hour: an interval would restart with beat at every deployment and might never come.
CELERY_BEAT_SCHEDULE["contraventions-daily-recovery"] = {
    "task": "contraventions.tasks.daily_recovery",
    "schedule": crontab(hour=0, minute=45),
}

# --- Extracts of the register -------------------------------------------------------------
# Access keys are stored as an HMAC keyed by this secret (never the key itself).
EXTRACT_ACCESS_KEY_SECRET = env("EXTRACT_ACCESS_KEY_SECRET", default=None) or f"extract-key:{SECRET_KEY}"
VERIFY_RATE_LIMIT = env.int("VERIFY_RATE_LIMIT", default=20)  # per client and window
VERIFY_REFERENCE_LIMIT = env.int("VERIFY_REFERENCE_LIMIT", default=10)  # failed keys per reference and client
VERIFY_REFERENCE_GLOBAL_LIMIT = env.int("VERIFY_REFERENCE_GLOBAL_LIMIT", default=100)  # ... from all clients
VERIFY_RATE_WINDOW = env.int("VERIFY_RATE_WINDOW", default=3600)
# A paid request without its extract after this many seconds is picked up by the sweep.
EXTRACT_SWEEP_AFTER = env.int("EXTRACT_SWEEP_AFTER", default=10 * 60)
# ... and one still not issued after this many seconds goes to the clerks' queue.
EXTRACT_STUCK_AFTER = env.int("EXTRACT_STUCK_AFTER", default=2 * 3600)
# Absolute address of the portal, for links in e-mails and QR codes printed on documents.
PORTAL_URL = env("PORTAL_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Electronic seal of the office (ocp_portal.seal) -------------------------------------------
# The seal key and certificate with its chain (PKCS#12); unset: a demo PKI made under SEAL_DEMO_DIR.
SEAL_PKCS12_PATH = env("SEAL_PKCS12_PATH", default="")
SEAL_PKCS12_PASSPHRASE = env("SEAL_PKCS12_PASSPHRASE", default="")
# A factory of ocp_portal.seal.SealSigner (an HSM or a remote signer can take the PKCS#12 file's place).
SEAL_SIGNER = env("SEAL_SIGNER", default="ocp_portal.seal.pkcs12_signer")
# The root the portal checks seals against and publishes; unset: the root of the demo or PKCS#12 chain.
SEAL_TRUST_ANCHOR_PATH = env("SEAL_TRUST_ANCHOR_PATH", default="")
# An RFC 3161 timestamp authority: PAdES-B-T when set, B-B otherwise.
SEAL_TSA_URL = env("SEAL_TSA_URL", default="")
SEAL_DEMO_DIR = env.path("SEAL_DEMO_DIR", default=VAR_DIR / "seal")
# The SHA-256 fingerprints of the office's earlier seal certificates, whose seals stay valid after a
# renewal. A seal counts as the office's only when made by the current certificate or one of these:
# chaining to the anchor is not enough, since a qualified provider's root issues seals to others too.
SEAL_ACCEPTED_FINGERPRINTS = env.list("SEAL_ACCEPTED_FINGERPRINTS", default=[])

# --- Accounts of the public (ocp_portal.accounts) ------------------------------------------

LOGIN_URL = "comptes:login"
LOGIN_REDIRECT_URL = "comptes:home"
LOGOUT_REDIRECT_URL = "home"
# django-axes first: it refuses a locked-out client before any password is checked (admin included).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# How long a verification link stays valid (seconds); password reset links follow PASSWORD_RESET_TIMEOUT.
ACCOUNT_VERIFICATION_TIMEOUT = env.int("ACCOUNT_VERIFICATION_TIMEOUT", default=3 * 24 * 3600)
# E-mails the public can trigger (sign-up, new link, password reset) per client and window (seconds).
ACCOUNT_MAIL_RATE_LIMIT = env.int("ACCOUNT_MAIL_RATE_LIMIT", default=10)
ACCOUNT_MAIL_RATE_WINDOW = env.int("ACCOUNT_MAIL_RATE_WINDOW", default=3600)
# Login throttling: 5 failures for one (username, address) lock them out for 15 minutes after the
# last counted failure (a cool-off, never a permanent lockout); a success resets the count.
# Login attempts per client address and window (s), whatever the usernames tried.
LOGIN_RATE_LIMIT = env.int("LOGIN_RATE_LIMIT", default=30)
LOGIN_RATE_WINDOW = env.int("LOGIN_RATE_WINDOW", default=900)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # attempts while locked out do not push the end back
AXES_LOCKOUT_CALLABLE = "ocp_portal.accounts.throttle.lockout"  # French page, 429, says when to retry
# The same client address as the rate limits (ocp_portal.ratelimit.client_ip, TRUSTED_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "ocp_portal.accounts.throttle.client_ip"
AXES_USERNAME_CALLABLE = "ocp_portal.accounts.throttle.username"
# Axes logs each failure and lockout as a warning; its INFO lines (every login, its banner) are noise.
LOGGING["loggers"]["axes"] = {"level": "WARNING"}

# --- Non-divulgation of a poursuite (poursuites.non_divulgation) -------------------------------
# Just after midnight in Geneva: grants the requests whose creditor deadline ended the day before
# without proof, then redoes interpellation letters and outcome e-mails a lost message left undone.
CELERY_BEAT_SCHEDULE["poursuites-non-divulgation-daily"] = {
    "task": "poursuites.tasks.non_disclosure_daily",
    "schedule": crontab(hour=0, minute=30),
}
# Every quarter of an hour: the e-mails to creditors about their réquisitions filed online that a
# lost message left unsent.
CELERY_BEAT_SCHEDULE["poursuites-creditor-notices-sweep"] = {
    "task": "poursuites.tasks.creditor_notices_sweep",
    "schedule": crontab(minute="*/15"),
}
