"""Guichet settings: one module, read from the environment.

With no variable set, Guichet runs on an embedded default: SQLite under var/, a Celery broker on
the file system, emails and SMS written to var/outbox/. Every production difference is switched by
a variable (see README, "Configuration"); nothing depends on a hidden "production mode".
"""

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from portal.env import (
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_redis_url,
    env_secret,
    env_storage,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("GUICHET_VAR_DIR", str(BASE_DIR / "var")))

# -- Core ------------------------------------------------------------------------------------
SECRET_KEY = env_secret("SECRET_KEY", "insecure-dev-key-only-for-the-embedded-default")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The name of this web replica behind a load balancer, sent as X-Guichet-Replica.
REPLICA_NAME = env_str("GUICHET_REPLICA", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "phonenumber_field",
    "simple_history",
    "portal",
    "accounts",
    "casework",
    "requests_app",
    "partners",
    "documents",
    "cover",
    "directory",
    "support",
    "privacy",
    "oversight",
]

MIDDLEWARE = [
    "portal.middleware.replica_header_middleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.security.ContentSecurityPolicyMiddleware",
    "portal.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Who changed the reference data (portal/history.py).
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.sessions.SessionActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.branding",
            ],
        },
    },
]

# -- Database, cache, broker -----------------------------------------------------------------
DATABASES = {
    "default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'guichet.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PostgreSQL cancels a statement of a web request after DB_STATEMENT_TIMEOUT_SECONDS (a page
# never holds a connection and a core for minutes; the person gets the 503 page), and one of
# a job, a beat or a management command (imports, migrations) after the longer
# DB_JOB_STATEMENT_TIMEOUT_SECONDS (portal/db.py switches those processes). Connections are
# persistent (CONN_MAX_AGE, with health checks: portal/env.py).
DB_STATEMENT_TIMEOUT = env_int("DB_STATEMENT_TIMEOUT_SECONDS", 10, minimum=1)
DB_JOB_STATEMENT_TIMEOUT = env_int("DB_JOB_STATEMENT_TIMEOUT_SECONDS", 600, minimum=1)
# Behind PgBouncer in transaction mode (README, "Scale-out"): nothing may outlive a transaction
# on the server connection, and PgBouncer refuses startup options (set the timeouts per role).
PGBOUNCER = env_bool("PGBOUNCER", False)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    if PGBOUNCER:
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = None
    else:
        DATABASES["default"]["OPTIONS"]["options"] = (
            f"-c statement_timeout={DB_STATEMENT_TIMEOUT * 1000}"
        )

REDIS_URL = env_redis_url("REDIS_URL")
if REDIS_URL:
    # Optional for correctness: with Redis down a read misses and a write is dropped
    # (portal/cache.py); short timeouts, so that a dead server costs little.
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.OptionalRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    # Shared by the web process and the worker (send-once keys, throttles), no server needed.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

CELERY_BROKER_URL = REDIS_URL or "filesystem://"
# A publish is tried once and gives up at once when the broker is down (portal/queueing.py):
# the rows it announces are delivered by the catch-up jobs.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# The longest job (a statements or data export) is stopped after this; a message a killed
# worker left unacknowledged goes to another worker a minute after that (Redis's visibility
# timeout), not after an hour.
CELERY_TASK_TIME_LIMIT = env_int("JOB_TIME_LIMIT_SECONDS", 300, minimum=30)
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_TASK_TIME_LIMIT + 60,
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
else:
    # The file-system broker needs its folders to exist; "control" (exchange tables) would
    # otherwise land in the current directory.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        "store_processed": False,
    }
    for _folder in ("data_folder_in", "control_folder", "processed_folder"):
        Path(CELERY_BROKER_TRANSPORT_OPTIONS[_folder]).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Paris"
# One queue per kind of job, so that a long PDF or a large export never holds a status email:
# each worker is told which queues it serves (`--queues`, CELERY_QUEUES in docker-compose.yml,
# scripts/serve, scripts/cluster). What no route names goes to "default" (heartbeat, daily
# closures, retention).
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_QUEUE_NAMES = ("default", "emails", "files", "exports", "pdfs")
CELERY_TASK_ROUTES = {
    # Emails and SMS: codes, links, notices, the casework emails and their catch-ups.
    "accounts.tasks.send_*": {"queue": "emails"},
    "accounts.tasks.notify_*": {"queue": "emails"},
    "casework.tasks.*": {"queue": "emails"},
    "partners.tasks.send_convention_reminders": {"queue": "emails"},
    # Files: the purges of uploads and of built exports (storage deletes).
    "documents.tasks.*": {"queue": "files"},
    "cover.tasks.purge_statement_exports": {"queue": "files"},
    "privacy.tasks.purge_data_exports": {"queue": "files"},
    # Exports and imports: "Mes données" ZIPs.
    "privacy.tasks.build_data_export": {"queue": "exports"},
    "privacy.tasks.requeue_data_exports": {"queue": "exports"},
    # PDFs: the statements of a long period.
    "cover.tasks.build_statement_export": {"queue": "pdfs"},
    "cover.tasks.requeue_statement_exports": {"queue": "pdfs"},
}
# Beat takes a lock (Redis, or a file lock on the embedded default) before sending anything:
# a second beat started by mistake waits, and takes over if the first one dies.
CELERY_BEAT_SCHEDULER = "portal.beat:LockedScheduler"
BEAT_LOCK_SECONDS = env_int("BEAT_LOCK_SECONDS", 30, minimum=5)
BEAT_LOCK_KEY = env_str("BEAT_LOCK_KEY", "guichet:beat-lock")
# Periodic jobs, declared in one place (run by `celery beat`, or `worker -B` under make run).
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "portal.tasks.heartbeat", "schedule": 60.0},
    "purge-expired-auth-data": {"task": "accounts.tasks.purge_expired", "schedule": 3600.0},
    "purge-expired-files": {"task": "documents.tasks.purge_expired_files", "schedule": 900.0},
    # The emails that could not be queued or sent at once (broker or relay down, a worker
    # that died): every minute, so that they leave within a minute of the relay's return.
    "casework-notify-pending-events": {
        "task": "casework.tasks.notify_pending_events",
        "schedule": 60.0,
    },
    "accounts-notify-pending-notices": {
        "task": "accounts.tasks.notify_pending_notices",
        "schedule": 60.0,
    },
    # The exports whose job could not be queued (broker down when they were asked for).
    "cover-requeue-statement-exports": {
        "task": "cover.tasks.requeue_statement_exports",
        "schedule": 60.0,
    },
    "privacy-requeue-data-exports": {
        "task": "privacy.tasks.requeue_data_exports",
        "schedule": 60.0,
    },
    "casework-send-reminders": {"task": "casework.tasks.send_reminders", "schedule": 3600.0},
    "cover-purge-statement-exports": {
        "task": "cover.tasks.purge_statement_exports",
        "schedule": 3600.0,
    },
    # Daily, in CELERY_TIMEZONE (Europe/Paris): access closes as the day starts, reminders go
    # out before the working day.
    "partners-close-ended-accesses": {
        "task": "partners.tasks.close_ended_accesses",
        "schedule": crontab(hour=0, minute=15),
    },
    "partners-convention-reminders": {
        "task": "partners.tasks.send_convention_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
    # The retention policy (RETENTION_POLICY): warnings, closures and deletions of the day.
    "privacy-apply-retention": {
        "task": "privacy.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=30),
    },
    "privacy-purge-data-exports": {"task": "privacy.tasks.purge_data_exports", "schedule": 3600.0},
    "oversight-requeue-queue-exports": {
        "task": "oversight.tasks.requeue_queue_exports",
        "schedule": 60.0,
    },
    "oversight-purge-queue-exports": {
        "task": "oversight.tasks.purge_queue_exports",
        "schedule": 3600.0,
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The health endpoint calls the worker alive when its last heartbeat is this recent.
WORKER_HEARTBEAT_MAX_AGE = timedelta(seconds=env_int("WORKER_HEARTBEAT_MAX_AGE", 180, minimum=1))

# -- Authentication --------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.IdentifierBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# CNIL deliberation 2022-100: 12 characters at least, no composition rule, common passwords out.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # French common passwords (with digits or symbols added), the member's names and number,
    # and the current password as the new one (issue 16).
    {"NAME": "accounts.validators.FrenchCommonPasswordValidator"},
    {"NAME": "accounts.validators.PersonalDataPasswordValidator"},
]

# Sessions: a new key at sign-in (django.contrib.auth), 30 minutes idle, 12 hours at most.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_MAX_AGE_SECONDS = env_int("SESSION_MAX_SECONDS", 12 * 3600, minimum=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Second factor (OTP by SMS or email, TOTP).
OTP_CODE_VALIDITY = timedelta(minutes=5)
OTP_RESEND_DELAY = timedelta(seconds=60)
OTP_MAX_ATTEMPTS = 5
OTP_SMS_DAILY_LIMIT = env_int("OTP_SMS_DAILY_LIMIT", 10, minimum=1)
# Codes, and links asked for, by email: per account and per address and per day
# (accounts/send_limits.py).
SECURITY_EMAIL_DAILY_LIMIT = env_int("SECURITY_EMAIL_DAILY_LIMIT", 20, minimum=1)
# django-otp admin pages never show TOTP secrets or QR codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
REMEMBER_BROWSER_COOKIE = "guichet_browser"
REMEMBER_BROWSER_DAYS = 90
TWO_FACTOR_INACTIVITY = timedelta(days=90)
# Behind a reverse proxy, the client address is the last X-Forwarded-For entry it appends.
USE_X_FORWARDED_FOR = env_bool("USE_X_FORWARDED_FOR", False)
# Sign-in failures (accounts/services/signin.py): per identifier and address, 10 in a row
# before a growing delay; per identifier, 25 in 24 hours in all, 20 of them at most from places
# the account does not know.
LOGIN_FAILURES_BEFORE_DELAY = 10
LOGIN_IDENTIFIER_DAILY_FAILURES = 25
LOGIN_UNKNOWN_PLACE_DAILY_FAILURES = 20
SIGNUP_LINK_VALIDITY = timedelta(hours=48)
PASSWORD_RESET_VALIDITY = timedelta(minutes=30)

# -- HTTPS (one switch for everything a TLS deployment needs) ---------------------------------
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
REMEMBER_BROWSER_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
if env_bool("BEHIND_TLS_PROXY", HTTPS):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# -- Content-Security-Policy (django-csp; portal/security.py adds the admin's exception) -------
# Scripts run only with the nonce of the page (`nonce="{{ request.csp_nonce }}"`), styles come
# from our static files or a <style> with the nonce; no inline script, style attribute or
# event handler anywhere. The browser posts what it blocked to the report view, which logs it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [NONCE],
        "style-src": [SELF, NONCE],
        # The CSS draws its icons as data: SVG images.
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "report-uri": "/portail/csp-report/",
    },
}

# -- Email and SMS ---------------------------------------------------------------------------
OUTBOX_DIR = Path(env_str("OUTBOX_DIR", str(VAR_DIR / "outbox")))
_EMAIL_BACKENDS = {
    "outbox": "portal.messaging.OutboxEmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}
EMAIL_BACKEND = _EMAIL_BACKENDS[env_choice("EMAIL_BACKEND", "outbox", tuple(_EMAIL_BACKENDS))]
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Guichet <ne-pas-repondre@guichet.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_SMS_BACKENDS = {
    "outbox": "portal.messaging.OutboxSMSBackend",
    "http": "portal.messaging.HttpSMSBackend",
}
SMS_BACKEND = _SMS_BACKENDS[env_choice("SMS_BACKEND", "outbox", tuple(_SMS_BACKENDS))]
SMS_API_URL = env_str("SMS_API_URL", "")
SMS_API_TOKEN = env_secret("SMS_API_TOKEN", "")
SMS_SENDER = env_str("SMS_SENDER", "Guichet")

# -- Files -----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploads live outside anything served directly; they leave only through checked views.
    # STORAGE_URL (s3://… or s3+http://…) puts them on S3-compatible object storage, which
    # every web replica and worker shares (README, "Scale-out").
    "default": env_storage(
        "STORAGE_URL", media_root=str(Path(env_str("MEDIA_ROOT", str(VAR_DIR / "uploads"))))
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Antivirus: when set (`host:port` or a unix socket path), every upload is scanned by clamd,
# and uploads are refused while it is unreachable.
CLAMD_ADDRESS = env_str("CLAMD_ADDRESS", "")
CLAMD_TIMEOUT = env_int("CLAMD_TIMEOUT", 30, minimum=1)
# How long the files sent on a request stay, per case type (casework). A member's requests and
# the managers' answers stay readable as long as the member's space exists ("l'intégralité des
# retours reçus", guide 000): 0 keeps them; a number of days deletes them that long after they
# were sent. Partners' files go 15 days after they were sent ("à télécharger pendant 15 jours
# maximum", guide 001). The pages show the date a file will go.
_member_days = env_int("MEMBER_FILE_RETENTION_DAYS", 0, minimum=0)
MEMBER_FILE_RETENTION = timedelta(days=_member_days) if _member_days else None
PARTNER_FILE_RETENTION = timedelta(days=env_int("PARTNER_FILE_RETENTION_DAYS", 15, minimum=1))
# The statements of a period longer than a year are built by a background job; its PDF stays
# downloadable this long.
STATEMENT_EXPORT_HOURS = env_int("STATEMENT_EXPORT_HOURS", 24, minimum=1)
# A queue export of the back office above 5,000 rows is built by a job; its file stays
# downloadable this long.
QUEUE_EXPORT_HOURS = env_int("QUEUE_EXPORT_HOURS", 24, minimum=1)
QUEUE_EXPORT_DIRECT_ROWS = env_int("QUEUE_EXPORT_DIRECT_ROWS", 5000, minimum=1)
# A request waiting for its requester's complement is recalled to them by email after this
# many days without an answer, and again each such period at most.
CASE_REMINDER_DAYS = env_int("CASE_REMINDER_DAYS", 7, minimum=1)
# Uploads attached to a form that was never sent are removed after this delay.
UPLOAD_ORPHAN_DELAY = timedelta(hours=env_int("UPLOAD_ORPHAN_HOURS", 24, minimum=1))
# At most this many pending uploads per person at once (a form holds 8 at most).
UPLOAD_PENDING_LIMIT = env_int("UPLOAD_PENDING_LIMIT", 40, minimum=8)

# -- Compliance: accessibility, personal data, retention (privacy/) ----------------------------
# The RGAA mention in every footer: "none" (non conforme) until an audit says otherwise, then
# "partial" (partiellement conforme) or "full" (totalement conforme).
ACCESSIBILITY_CONFORMITY = env_choice(
    "ACCESSIBILITY_CONFORMITY", "none", ("none", "partial", "full")
)
# "Télécharger mes données": the ZIP stays downloadable this long, then is deleted.
DATA_EXPORT_HOURS = env_int("DATA_EXPORT_HOURS", 24, minimum=1)
# A space nobody signed in to for this long is closed (login disabled, the account's personal
# fields removed; the member record, the insurer's, stays), after emails this many days before.
INACTIVE_SPACE_YEARS = env_int("INACTIVE_SPACE_YEARS", 3, minimum=1)
INACTIVE_SPACE_WARNING_DAYS = sorted(
    {env_int("INACTIVE_SPACE_FIRST_WARNING_DAYS", 60, minimum=2),
     env_int("INACTIVE_SPACE_LAST_WARNING_DAYS", 15, minimum=1)},
    reverse=True,
)  # fmt: skip
# Members' requests resolved (or cancelled) this long ago are deleted with their messages and
# files.
CLOSED_REQUEST_YEARS = env_int("CLOSED_REQUEST_YEARS", 5, minimum=1)
# Sign-in and code records (the account's sign-in history) are deleted after this many days.
SIGNIN_RECORD_DAYS = env_int("SIGNIN_RECORD_DAYS", 365, minimum=1)
# The access journal (managers' reads of members' and partners' data, oversight/) is kept this
# long for the data-protection officer's checks, then deleted (CNIL: 6 months to 1 year of
# traces, more only for a stated risk).
ACCESS_JOURNAL_DAYS = env_int("ACCESS_JOURNAL_DAYS", 365, minimum=30)
# The account notices (emails about a new browser, a changed email or phone, links asked for)
# keep their recipient and details this long.
ACCOUNT_NOTICE_DAYS = env_int("ACCOUNT_NOTICE_DAYS", 90, minimum=1)
# The virtual advisor's unanswered questions (not tied to who asked, but typed freely) go this
# long after they were last asked.
UNANSWERED_QUESTION_DAYS = env_int("UNANSWERED_QUESTION_DAYS", 365, minimum=30)
# The retention policy: how long each kind of data is kept, counted from when, and what happens
# then ("deleted", "anonymised", "archived"). One table, read by the retention jobs and
# `retention_report` (privacy/retention.py, one rule per key) and printed on the "Données
# personnelles" page; the periods come from the settings above, so the page says what the code
# does. `period` takes years, days or hours.
RETENTION_POLICY = [
    {
        "key": "inactive_spaces",
        "data": _("Espace en ligne (compte de connexion : identifiant, nom, email, mot de passe)"),
        "period": {"years": INACTIVE_SPACE_YEARS},
        "from": _("la dernière connexion (avertissement par email 60 et 15 jours avant)"),
        "outcome": "anonymised",
    },
    {
        "key": "closed_requests",
        "data": _("Demandes, messages échangés et fichiers joints"),
        "period": {"years": CLOSED_REQUEST_YEARS},
        "from": _("la résolution ou l'annulation de la demande"),
        "outcome": "deleted",
    },
    *(
        [
            {
                "key": "member_files",
                "data": _("Fichiers joints aux demandes et aux réponses"),
                "period": {"days": _member_days},
                "from": _("leur envoi"),
                "outcome": "deleted",
            }
        ]
        if _member_days
        else []
    ),
    {
        "key": "partner_files",
        "data": _("Fichiers des demandes des partenaires (envoyés et reçus)"),
        "period": {"days": PARTNER_FILE_RETENTION.days},
        "from": _("leur envoi"),
        "outcome": "deleted",
    },
    {
        "key": "signin_records",
        "data": _("Historique des connexions et des codes envoyés"),
        "period": {"days": SIGNIN_RECORD_DAYS},
        "from": _("la connexion ou l'envoi du code"),
        "outcome": "deleted",
    },
    {
        "key": "account_notices",
        "data": _(
            "Emails envoyés sur votre compte (nouveau navigateur, email ou téléphone modifié, "
            "liens demandés)"
        ),
        "period": {"days": ACCOUNT_NOTICE_DAYS},
        "from": _("leur envoi"),
        "outcome": "deleted",
    },
    {
        "key": "access_journal",
        "data": _("Journal des consultations de vos données par nos gestionnaires"),
        "period": {"days": ACCESS_JOURNAL_DAYS},
        "from": _("la consultation"),
        "outcome": "deleted",
    },
    {
        "key": "unanswered_questions",
        "data": _("Questions restées sans réponse du conseiller virtuel (sans lien avec vous)"),
        "period": {"days": UNANSWERED_QUESTION_DAYS},
        "from": _("la dernière fois qu'elles ont été posées"),
        "outcome": "deleted",
    },
    {
        "key": "remembered_browsers",
        "data": _("Navigateurs mémorisés (second facteur)"),
        "period": {"days": REMEMBER_BROWSER_DAYS},
        "from": _("la dernière vérification sur ce navigateur"),
        "outcome": "deleted",
    },
    {
        "key": "data_exports",
        "data": _("Export de vos données (« Télécharger mes données »)"),
        "period": {"hours": DATA_EXPORT_HOURS},
        "from": _("sa préparation"),
        "outcome": "deleted",
    },
    {
        "key": "statement_exports",
        "data": _("Relevés d'une période préparés en arrière-plan"),
        "period": {"hours": STATEMENT_EXPORT_HOURS},
        "from": _("leur préparation"),
        "outcome": "deleted",
    },
    {
        "key": "queue_exports",
        "data": _("Exports des files de traitement préparés par nos gestionnaires"),
        "period": {"hours": QUEUE_EXPORT_HOURS},
        "from": _("leur préparation"),
        "outcome": "deleted",
    },
    {
        "key": "pending_uploads",
        "data": _("Fichiers déposés dans un formulaire jamais envoyé"),
        "period": {"hours": int(UPLOAD_ORPHAN_DELAY.total_seconds() // 3600)},
        "from": _("leur dépôt"),
        "outcome": "deleted",
    },
]

# -- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("Anglais"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
PHONENUMBER_DEFAULT_REGION = "FR"
PHONENUMBER_DEFAULT_FORMAT = "NATIONAL"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The same traceback at most once a minute (portal.faults): an outage under traffic logs
    # one line per failed request, not 200.
    "filters": {"traceback_once": {"()": "portal.faults.TracebackOncePerMinute"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["traceback_once"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING"}},
}
