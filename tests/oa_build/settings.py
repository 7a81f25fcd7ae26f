"""A tiny Django 4.2 + Oscar 3.2 project with django-oscar-accounts 3.0.1, run in its own
virtualenv (see build.sh) against the database in DATABASE_URL."""
import os
from urllib.parse import unquote, urlsplit

from oscar.defaults import *  # noqa: F401,F403

url = urlsplit(os.environ["DATABASE_URL"])
DATABASES = {"default": {
    "ENGINE": "django.db.backends.postgresql", "NAME": url.path.lstrip("/"), "USER": unquote(url.username or ""),
    "PASSWORD": unquote(url.password or ""), "HOST": url.hostname or "", "PORT": url.port or "",
}}
SECRET_KEY = "oa-build"
USE_TZ = True
SITE_ID = 1
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
OSCAR_DEFAULT_CURRENCY = "GBP"
INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
    "django.contrib.messages", "django.contrib.staticfiles", "django.contrib.sites", "django.contrib.flatpages",
    "oscar.config.Shop",
    *(f"oscar.apps.{app}" for app in (
        "analytics.apps.AnalyticsConfig", "checkout.apps.CheckoutConfig", "address.apps.AddressConfig",
        "shipping.apps.ShippingConfig", "catalogue.apps.CatalogueConfig", "catalogue.reviews.apps.CatalogueReviewsConfig",
        "communication.apps.CommunicationConfig", "partner.apps.PartnerConfig", "basket.apps.BasketConfig",
        "payment.apps.PaymentConfig", "offer.apps.OfferConfig", "order.apps.OrderConfig",
        "customer.apps.CustomerConfig", "search.apps.SearchConfig", "voucher.apps.VoucherConfig",
        "wishlists.apps.WishlistsConfig", "dashboard.apps.DashboardConfig",
        "dashboard.reports.apps.ReportsDashboardConfig", "dashboard.users.apps.UsersDashboardConfig",
        "dashboard.orders.apps.OrdersDashboardConfig", "dashboard.catalogue.apps.CatalogueDashboardConfig",
        "dashboard.offers.apps.OffersDashboardConfig", "dashboard.partners.apps.PartnersDashboardConfig",
        "dashboard.pages.apps.PagesDashboardConfig", "dashboard.ranges.apps.RangesDashboardConfig",
        "dashboard.reviews.apps.ReviewsDashboardConfig", "dashboard.vouchers.apps.VouchersDashboardConfig",
        "dashboard.communications.apps.CommunicationsDashboardConfig",
        "dashboard.shipping.apps.ShippingDashboardConfig")),
    "widget_tweaks", "haystack", "treebeard", "django_tables2",
    "oscar_accounts.apps.AccountsConfig", "oscar_accounts.dashboard.apps.AccountsDashboardConfig",
]
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True, "OPTIONS": {}}]
ROOT_URLCONF = "urls"
