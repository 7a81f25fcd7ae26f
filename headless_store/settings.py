"""Settings for headless-store, read from the environment (12-factor).

Every value a deployment changes comes from an environment variable; the defaults give a
working development shop on SQLite. See the README's "Settings" table.
"""
import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from oscar.defaults import *  # noqa: F401,F403  Oscar's documented way to start from its defaults

from headless_store.checkout import defaults as checkout
from headless_store.events import defaults as events
from headless_store.giftcard_sales import defaults as giftcard_sales
from headless_store.ledger import defaults as ledger
from headless_store.loyalty import defaults as loyalty
from headless_store.stackcache import install as install_stack_cache

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# CPython before 3.14.4 maps and unmaps frame-stack chunks on hot paths; cache them (stackcache.py).
STACK_CACHE = install_stack_cache(enabled=env.bool("HEADLESS_STORE_STACK_CACHE", default=True))

DEBUG = env.bool("DEBUG", default=False)
# The default key is marked insecure so that `manage.py check --deploy` flags it (security.W009).
SECRET_KEY = env("SECRET_KEY", default="django-insecure-headless-store-development-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Behind proxies, over TLS (see README "Deploying") ----------------------------------------
# How many proxies of ours stand in front of the app: the client's IP is read that many entries
# back in X-Forwarded-For, and X-Forwarded-Proto says whether the client used https. 0: none.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_REDIRECT_EXEMPT = [r"^health/"]  # load balancers probe over plain http
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Services own their transactions (docs/architecture.md, "Transactions"); never wrap whole requests.
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing at once with "database is locked": each transaction
    # takes the write lock when it begins (BEGIN IMMEDIATE), so two that read and then write queue
    # instead of deadlocking (SQLite fails the second at once then, whatever the timeout).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The code-entry throttle keeps its counters here: in production this must be a cache shared by
# every worker process (CACHE_URL=redis://...). The local-memory default suits one process only.
CACHES = {
    "default": env.cache_url("CACHE_URL", default=env.str("REDIS_URL", default="locmemcache://")),
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "headless_store.shop_checkout.apps.CheckoutConfig",  # Oscar's checkout, paid from the ledger
    "oscar.apps.address.apps.AddressConfig",
    "oscar.apps.shipping.apps.ShippingConfig",
    "oscar.apps.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "oscar.apps.partner.apps.PartnerConfig",
    "headless_store.shop_basket.apps.BasketConfig",  # forked: gift-card options checked on add (see its __init__.py)
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "oscar.apps.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "headless_store.oscar_dashboard.apps.DashboardConfig",  # forked: see its __init__.py
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "django_tables2",
    # Oscar's default thumbnailer (oscar.core.thumbnails.SorlThumbnail): product images in the shop
    # and the dashboard. Thumbnails are made on first use into MEDIA_ROOT/cache.
    "sorl.thumbnail",
    "rest_framework",
    "knox",  # device tokens (headless_store/devicetokens.py)
    "oscarapi",
    "strawberry_django",
    "corsheaders",
    "health_check",
    "django_prometheus",
    "axes",
    "headless_store.apps.HeadlessStoreConfig",
    "headless_store.ledger.apps.LedgerConfig",
    "headless_store.ledger.dashboard.apps.LedgerDashboardConfig",
    "headless_store.checkout.apps.CheckoutConfig",
    "headless_store.checkout.dashboard.apps.CheckoutDashboardConfig",
    "headless_store.events.apps.EventsConfig",
    "headless_store.events.dashboard.apps.EventsDashboardConfig",
    "headless_store.loyalty.apps.LoyaltyConfig",
    "headless_store.loyalty.dashboard.apps.LoyaltyDashboardConfig",
    "headless_store.giftcard_sales.apps.GiftCardSalesConfig",  # gift cards sold in the shop
    "headless_store.giftcard_sales.dashboard.apps.GiftCardSalesDashboardConfig",
    # django-oscar-accounts' dashboard url names, as aliases (see the README's migration section)
    "oscar_accounts.apps.AccountsConfig",
    "oscar_accounts.dashboard.apps.AccountsDashboardConfig",
    "oscar_accounts.api.apps.AccountsAPIConfig",  # OA's REST API: mount it to serve it (README)
    "django_tasks",
    "django_tasks_db",
    "accounts_graphql.apps.AccountsGraphQLConfig",
    "frontend_contract.apps.FrontendContractConfig",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "headless_store.observability.RequestIdMiddleware",
    # CORS for front ends on other origins (CORS_ALLOWED_ORIGINS); answers preflights itself.
    "corsheaders.middleware.CorsMiddleware",
    # A body over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) answers JSON 413, on every path.
    "headless_store.http.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (the GraphiQL console's included) with DEBUG off, compressed and cached.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # django-oscar-api's header sessions (`Session-Id`) on /api/ and /graphql/ for clients without
    # cookies, and no session for token requests; header and token requests get no cookies.
    "headless_store.headersessions.HeaderSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-oscar-api's replacement for Oscar's BasketMiddleware: REST and HTML share baskets.
    "oscarapi.middleware.ApiBasketMiddleWare",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    # Turns a sign-in lockout into a 429 (headless_store/signin.py); keep it last.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

# The forked basket app (headless_store/shop_basket) keeps Oscar's own models and migrations.
MIGRATION_MODULES = {"basket": "oscar.apps.basket.migrations"}

ROOT_URLCONF = "headless_store.urls"
WSGI_APPLICATION = "headless_store.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "headless_store" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
            ],
        },
    },
]

AUTHENTICATION_BACKENDS = (
    # django-axes first: refuses a locked-out account or IP before any password is checked.
    "headless_store.signin.AxesBackend",
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
SITE_ID = 1

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "static_collected"))
# Production collects static files with hashed names (cache them forever) and compressed copies;
# development and tests serve them from the apps as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "headless_store.storage.StaticFilesStorage"
        if env.bool("STATIC_HASHED", default=False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # first: its WWW-Authenticate makes DRF answer a refused token 401 (as /graphql/), not 403
        "headless_store.devicetokens.DeviceTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # 401s carry `code: UNAUTHENTICATED` beside DRF's `detail`, as /graphql/'s do.
    "EXCEPTION_HANDLER": "headless_store.http.api_exception_handler",
}

# --- Device tokens (django-rest-knox, headless_store/devicetokens.py) -------------------------
# One token per signed-in device; each use renews it for API_TOKEN_TTL seconds, up to
# API_TOKEN_MAX_TTL seconds after sign-in; past API_TOKEN_LIMIT_PER_USER the oldest is revoked.
API_TOKEN_TTL = env.int("API_TOKEN_TTL", default=30 * 24 * 3600)
API_TOKEN_MAX_TTL = env.int("API_TOKEN_MAX_TTL", default=365 * 24 * 3600)
API_TOKEN_LIMIT_PER_USER = env.int("API_TOKEN_LIMIT_PER_USER", default=20)
REST_KNOX = {
    "TOKEN_TTL": timedelta(seconds=API_TOKEN_TTL),
    "AUTO_REFRESH": True,
    "AUTO_REFRESH_MAX_TTL": timedelta(seconds=API_TOKEN_MAX_TTL),
    "MIN_REFRESH_INTERVAL": 60,
}

# One line per record on stderr, each with the request's id (also in the X-Request-ID response
# header and in GraphQL's masked errors). django.request logs every 500 once, with its traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "headless_store.observability.RequestIdFilter"}},
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s [request %(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "line"},
    },
    "loggers": {
        "headless_store": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO"), "propagate": True},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# --- Metrics (headless_store/observability.py) ------------------------------------------------
# /metrics answers a scraper showing METRICS_TOKEN (`Authorization: Bearer ...`) or calling from
# METRICS_ALLOWED_NETWORKS (CIDRs, e.g. 127.0.0.1/32); with neither it is open with DEBUG only.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="") or None
METRICS_ALLOWED_NETWORKS = [str(ipaddress.ip_network(n, strict=False)) for n in env.list("METRICS_ALLOWED_NETWORKS", default=[])]
# prometheus_client's multiprocess mode: every process (gunicorn workers, db_worker) writes its
# metrics here and /metrics adds them up. gunicorn.conf.py sets it up; read here so a task worker
# started with the same environment finds the directory.
PROMETHEUS_MULTIPROC_DIR = env.str("PROMETHEUS_MULTIPROC_DIR", default="") or None
if PROMETHEUS_MULTIPROC_DIR:
    Path(PROMETHEUS_MULTIPROC_DIR).mkdir(parents=True, exist_ok=True)

# --- Sign-in (headless_store/signin.py, django-axes) -----------------------------------------
# Failed password checks are counted per account and per client IP, in the database (shared by
# every worker); past LOGIN_MAX_FAILURES the account or IP is refused for LOGIN_COOLING_OFF seconds.
AXES_FAILURE_LIMIT = env.int("LOGIN_MAX_FAILURES", default=10)
AXES_COOLOFF_TIME = timedelta(seconds=env.int("LOGIN_COOLING_OFF", default=15 * 60))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]  # either one locks: per IP, and per account
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_USERNAME_CALLABLE = "headless_store.signin.username_of"
AXES_CLIENT_IP_CALLABLE = "headless_store.signin.client_ip_of"
AXES_LOCKOUT_CALLABLE = "headless_store.signin.lockout_response"
AXES_RESET_ON_SUCCESS = False  # else one good sign-in (to the attacker's own account) wipes the IP's count
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lockout ends when it says it does
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are not the guesses this is for
AXES_SENSITIVE_PARAMETERS = ["username", "login-username", "login-password", "csrfmiddlewaretoken", "ip_address"]

# --- Oscar -----------------------------------------------------------------------------------
OSCAR_SHOP_NAME = env("OSCAR_SHOP_NAME", default="Headless Store")
OSCAR_DEFAULT_CURRENCY = env("OSCAR_DEFAULT_CURRENCY", default="GBP")
OSCAR_ALLOW_ANON_CHECKOUT = True
# Product images: Oscar's documented default thumbnailer, sorl-thumbnail (in INSTALLED_APPS; its
# key-value store is a table plus the cache). THUMBNAIL_DEBUG off: a broken image is logged, not a 500.
OSCAR_THUMBNAILER = "oscar.core.thumbnails.SorlThumbnail"
THUMBNAIL_DEBUG = False
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "last_name", "line1", "line4", "postcode", "country")
# Order statuses. A card checkout places its order in "Pending payment" (Oscar's way of placing
# an order before payment) and moves it on when the card is authorised, or cancels it.
OSCAR_INITIAL_ORDER_STATUS = OSCARAPI_INITIAL_ORDER_STATUS = "Pending"
OSCAR_ORDER_STATUS_PIPELINE = {
    "Pending payment": ("Pending", "Cancelled"),
    "Pending": ("Being processed", "Cancelled"),
    "Being processed": ("Complete", "Cancelled"),
    "Complete": (),
    "Cancelled": (),
}

# The ledger's pages in Oscar's dashboard menu.
OSCAR_DASHBOARD_NAVIGATION = [
    *OSCAR_DASHBOARD_NAVIGATION,  # noqa: F405 (from oscar.defaults)
    {
        "label": "Accounts",
        "icon": "fas fa-wallet",
        "children": [
            {"label": "Accounts", "url_name": "ledger_dashboard:ledger-account-list"},
            {"label": "Issue gift cards", "url_name": "ledger_dashboard:ledger-gift-cards-issue"},
            {"label": "Transfers", "url_name": "ledger_dashboard:ledger-transfer-list"},
            {"label": "Deferred income report", "url_name": "ledger_dashboard:ledger-report-deferred-income"},
            {"label": "Profit/loss report", "url_name": "ledger_dashboard:ledger-report-profit-loss"},
            {"label": "Breakage report", "url_name": "ledger_dashboard:ledger-report-breakage"},
            {"label": "Dormant accounts", "url_name": "ledger_dashboard:ledger-report-dormancy"},
            {"label": "Credit expiring soon", "url_name": "ledger_dashboard:ledger-report-expiring-lots"},
            {"label": "Gift cards sold", "url_name": "giftcard_sales_dashboard:gift-card-sales"},
            {"label": "Loyalty rule", "url_name": "loyalty_dashboard:loyalty-rule"},
            {"label": "Webhooks", "url_name": "events_dashboard:webhook-list"},
            {"label": "Background tasks", "url_name": "events_dashboard:task-list"},
        ],
    },
]

# --- The apps' settings ----------------------------------------------------------------------
# Each app declares its settings with their defaults and meaning in its defaults.py and reads them
# through its conf.settings (headless_store/kernel/conf.py); here a deployment sets them from the
# environment, the default named, never repeated.

# --- Card payments (headless_store.checkout: checkout/defaults.py) ---------------------------
STORE_PAYMENT_GATEWAY = env("STORE_PAYMENT_GATEWAY", default=checkout.STORE_PAYMENT_GATEWAY)
STORE_SANDBOX_ALLOWED = env.bool("STORE_SANDBOX_ALLOWED", default=checkout.STORE_SANDBOX_ALLOWED)
SANDBOX_SLOW_SECONDS = env.float("SANDBOX_SLOW_SECONDS", default=checkout.SANDBOX_SLOW_SECONDS)
STORE_OSCARAPI_CHECKOUT = env.bool("STORE_OSCARAPI_CHECKOUT", default=checkout.STORE_OSCARAPI_CHECKOUT)

# --- CORS (django-cors-headers) ---------------------------------------------------------------
# Front ends served from other origins (a dev server on another port, a web app on its own
# domain) may call /graphql/ and /api/. Token-authenticated and header-session (Session-Id)
# clients need nothing else; a browser using the session cookie from another origin of the same
# site also needs CORS_ALLOW_CREDENTIALS (Access-Control-Allow-Credentials: true) and
# CSRF_TRUSTED_ORIGINS (the cookies are SameSite=Lax: another site uses tokens or Session-Id).
# Browsers cache a preflight for CORS_PREFLIGHT_MAX_AGE seconds (Chromium caps it at 7,200).
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_ALLOW_CREDENTIALS = env.bool("CORS_ALLOW_CREDENTIALS", default=False)
CORS_URLS_REGEX = r"^/(graphql|api)/.*$"
CORS_ALLOW_HEADERS = ("accept", "authorization", "content-type", "user-agent", "x-csrftoken", "x-requested-with",
                      "x-request-id", "apollographql-client-name", "apollographql-client-version", "session-id")
CORS_EXPOSE_HEADERS = ("x-request-id", "session-id", "x-basket-status")
CORS_PREFLIGHT_MAX_AGE = env.int("CORS_PREFLIGHT_MAX_AGE", default=7200)

# --- Background tasks and webhooks (headless_store.events) ----------------------------------
# The Django Tasks API (django-tasks, Django 6's django.tasks backported) with its database
# backend: tasks are rows in the same database. Workers: `python manage.py db_worker` (as many as
# you like; they claim rows with SKIP LOCKED).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Many machines: TASK_BACKEND=rq runs the same tasks on RQ over Redis (django-tasks-rq; workers:
# `python manage.py rqworker default --with-scheduler`), with the same retry policy
# (headless_store/events/broker.py). TASK_BROKER_URL defaults to REDIS_URL.
TASK_BACKEND = env.str("TASK_BACKEND", default=events.TASK_BACKEND)
if TASK_BACKEND not in ("database", "rq"):
    raise ImproperlyConfigured(f"TASK_BACKEND is 'database' or 'rq', not {TASK_BACKEND!r}")
if TASK_BACKEND == "rq":
    TASKS = {"default": {"BACKEND": "headless_store.events.broker.RQBackend", "QUEUES": ["default"]}}
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {
        "URL": env.str("TASK_BROKER_URL", default=env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")),
        # A job runs at most this long; a worker killed mid-job is noticed about a minute after it.
        "DEFAULT_TIMEOUT": env.int("TASK_TIMEOUT_SECONDS", default=events.TASK_TIMEOUT_SECONDS),
    }}
    RQ = {"JOB_CLASS": "headless_store.events.broker.Job", "WORKER_CLASS": "headless_store.events.broker.Worker"}
# The outbox writes one Event row with the money; the relay task dispatches events after commit,
# at most one run per this many seconds (0: one per commit). See headless_store/events/outbox.py.
EVENTS_RELAY_DELAY_SECONDS = env.float("EVENTS_RELAY_DELAY_SECONDS", default=events.EVENTS_RELAY_DELAY_SECONDS)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=events.WEBHOOK_TIMEOUT_SECONDS)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=events.WEBHOOK_MAX_ATTEMPTS)
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=events.WEBHOOK_RETRY_BASE_SECONDS)  # 10 s, 20 s, 40 s...
WEBHOOK_RETRY_MAX_SECONDS = env.float("WEBHOOK_RETRY_MAX_SECONDS", default=events.WEBHOOK_RETRY_MAX_SECONDS)
MAINTENANCE_INTERVAL_SECONDS = env.int("MAINTENANCE_INTERVAL_SECONDS", default=events.MAINTENANCE_INTERVAL_SECONDS)
# Webhooks reach public addresses only; these networks (CIDR, comma-separated) are let through too.
WEBHOOK_ALLOWED_NETWORKS = env.list("WEBHOOK_ALLOWED_NETWORKS", default=events.WEBHOOK_ALLOWED_NETWORKS)
# Every background task (headless_store/events/durable.py): retries, waits, abandoned work, healing.
TASK_MAX_ATTEMPTS = env.int("TASK_MAX_ATTEMPTS", default=events.TASK_MAX_ATTEMPTS)
TASK_RETRY_BASE_SECONDS = env.float("TASK_RETRY_BASE_SECONDS", default=events.TASK_RETRY_BASE_SECONDS)  # 10 s, 20 s, 40 s...
TASK_RETRY_MAX_SECONDS = env.float("TASK_RETRY_MAX_SECONDS", default=events.TASK_RETRY_MAX_SECONDS)
TASK_WAIT_SECONDS = env.float("TASK_WAIT_SECONDS", default=events.TASK_WAIT_SECONDS)  # a task waiting on a frozen account
TASK_HEARTBEAT_SECONDS = env.float("TASK_HEARTBEAT_SECONDS", default=events.TASK_HEARTBEAT_SECONDS)
TASK_ABANDONED_SECONDS = env.float("TASK_ABANDONED_SECONDS", default=events.TASK_ABANDONED_SECONDS)
TASK_HEAL_GRACE_SECONDS = env.float("TASK_HEAL_GRACE_SECONDS", default=events.TASK_HEAL_GRACE_SECONDS)
TASK_HEAL_WINDOW_DAYS = env.int("TASK_HEAL_WINDOW_DAYS", default=events.TASK_HEAL_WINDOW_DAYS)

# --- Loyalty points (headless_store.loyalty) -------------------------------------------------
# Defaults of the rule staff edit in the dashboard (Accounts > Loyalty rule).
LOYALTY_ACTIVE = env.bool("LOYALTY_ACTIVE", default=loyalty.LOYALTY_ACTIVE)
LOYALTY_RATE = env("LOYALTY_RATE", default=loyalty.LOYALTY_RATE)  # points per currency unit paid; a point is worth 1 unit
LOYALTY_SPENDABLE = env("LOYALTY_SPENDABLE", default=loyalty.LOYALTY_SPENDABLE)  # PLACEMENT, DISPATCH or DAYS
LOYALTY_SPENDABLE_DAYS = env.int("LOYALTY_SPENDABLE_DAYS", default=loyalty.LOYALTY_SPENDABLE_DAYS)
# Gift cards sold in the shop (headless_store/giftcard_sales/defaults.py has the rest).
GIFT_CARD_PAY_FOR_GIFT_CARDS = env.bool("GIFT_CARD_PAY_FOR_GIFT_CARDS", default=giftcard_sales.GIFT_CARD_PAY_FOR_GIFT_CARDS)

# --- django-oscar-api ------------------------------------------------------------------------
OSCARAPI_BLOCK_ADMIN_API_ACCESS = True
# django-oscar-api's own override mechanism: its add-product view checks gift-card options; its
# payment-less checkout is closed and its order views need a signed-in owner.
OSCARAPI_OVERRIDE_MODULES = ["headless_store.giftcard_sales.oscarapi", "headless_store.checkout.oscarapi"]

# --- Ledger (headless_store.ledger) ----------------------------------------------------------
# Every ACCOUNTS_* setting has a default in headless_store/ledger/defaults.py; a deployment sets
# these from the environment.
ACCOUNTS_CURRENCIES = env.list("ACCOUNTS_CURRENCIES", default=ledger.ACCOUNTS_CURRENCIES)
ACCOUNTS_MIN_LOAD_VALUE = env("ACCOUNTS_MIN_LOAD_VALUE", default=ledger.ACCOUNTS_MIN_LOAD_VALUE)
ACCOUNTS_MAX_ACCOUNT_VALUE = env("ACCOUNTS_MAX_ACCOUNT_VALUE", default=ledger.ACCOUNTS_MAX_ACCOUNT_VALUE)
ACCOUNTS_MAX_TRANSFER_AMOUNT = env("ACCOUNTS_MAX_TRANSFER_AMOUNT", default=ledger.ACCOUNTS_MAX_TRANSFER_AMOUNT)
# Changing the key makes every issued code unusable, so keep it apart from SECRET_KEY.
ACCOUNTS_CODE_HASH_KEY = env("ACCOUNTS_CODE_HASH_KEY", default=ledger.ACCOUNTS_CODE_HASH_KEY)
ACCOUNTS_CODE_MAX_FAILURES = env.int("ACCOUNTS_CODE_MAX_FAILURES", default=ledger.ACCOUNTS_CODE_MAX_FAILURES)
ACCOUNTS_CODE_FAILURE_WINDOW = env.int("ACCOUNTS_CODE_FAILURE_WINDOW", default=ledger.ACCOUNTS_CODE_FAILURE_WINDOW)
ACCOUNTS_CODE_COOLING_OFF = env.int("ACCOUNTS_CODE_COOLING_OFF", default=ledger.ACCOUNTS_CODE_COOLING_OFF)
ACCOUNTS_CODE_MAX_FAILURES_PER_IP = env.int("ACCOUNTS_CODE_MAX_FAILURES_PER_IP", default=ledger.ACCOUNTS_CODE_MAX_FAILURES_PER_IP)
# How long a hold (and so a card checkout) reserves money before it expires, in seconds.
ACCOUNTS_HOLD_TIMEOUT = env.int("ACCOUNTS_HOLD_TIMEOUT", default=ledger.ACCOUNTS_HOLD_TIMEOUT)
ACCOUNTS_PREPARED_STATEMENTS = env.bool("ACCOUNTS_PREPARED_STATEMENTS", default=ledger.ACCOUNTS_PREPARED_STATEMENTS)

# --- GraphQL (accounts_graphql) --------------------------------------------------------------
GRAPHQL_API = {
    "MAX_DEPTH": env.int("GRAPHQL_MAX_DEPTH", default=10),
    "MAX_ALIASES": env.int("GRAPHQL_MAX_ALIASES", default=15),
    "MAX_TOKENS": env.int("GRAPHQL_MAX_TOKENS", default=2000),
    "DEFAULT_PAGE_SIZE": 20,
    "MAX_PAGE_SIZE": 100,
    # Introspection for everyone (staff always have it, and everyone has it with DEBUG).
    "INTROSPECTION_FOR_ALL": env.bool("GRAPHQL_INTROSPECTION_FOR_ALL", default=False),
    # Only run the documents of frontend_contract/operations/ for anonymous callers and customers.
    "PERSISTED_OPERATIONS_ONLY": env.bool("GRAPHQL_PERSISTED_OPERATIONS_ONLY", default=False),
    "OPERATIONS_DIR": BASE_DIR / "frontend_contract" / "operations",
}
