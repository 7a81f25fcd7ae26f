"""URL map: GraphQL at /graphql/, django-oscar-api at /api/, Oscar's shop at / and its dashboard at /dashboard/."""
from django.apps import apps
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from health_check.views import HealthCheckView

from accounts_graphql.schema import schema
from accounts_graphql.views import AccountsGraphQLView, schema_sdl

from .basket_api import BasketView
from .ledger.customer_views import CreditEmailsView
from .observability import liveness, metrics
from .signin import AllTokensView, LoginView, TokenView

urlpatterns = [
    # Liveness: the process answers. Readiness: it can reach the database and the cache.
    path("health/live/", liveness, name="health-live"),
    path("health/ready/", HealthCheckView.as_view(checks=["health_check.checks.Database", "health_check.checks.Cache"]),
         name="health-ready"),
    # Prometheus: requests, database and the ledger's counters, for the configured scraper only.
    path("metrics", metrics, name="prometheus-django-metrics"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("graphql/", AccountsGraphQLView.as_view(schema=schema), name="graphql"),
    # The SDL at a stable URL, for staff and holders of accounts_graphql.view_schema (tokens too).
    path("graphql/schema.graphql", schema_sdl, name="graphql-schema"),
    # Device tokens (django-rest-knox): POST signs a device in, DELETE signs it out; all/ every device.
    path("api/token/", TokenView.as_view(), name="api-token"),
    path("api/token/all/", AllTokensView.as_view(), name="api-token-all"),
    # django-oscar-api's session sign-in, with CSRF and the guessing limit (headless_store/signin.py)
    path("api/login/", LoginView.as_view(), name="api-login"),
    # django-oscar-api's basket view, saying when a pending card checkout holds the basket
    path("api/basket/", BasketView.as_view()),
    path("api/", include("oscarapi.urls")),
    path("demo/", include("frontend_contract.urls")),
    path("dashboard/accounts/", apps.get_app_config("ledger_dashboard").urls),
    # each domain's own pages (checkout/, events/, loyalty/, giftcard_sales/ dashboard apps), under one prefix
    path("dashboard/store/", apps.get_app_config("checkout_dashboard").urls),
    path("dashboard/store/", apps.get_app_config("events_dashboard").urls),
    path("dashboard/store/", apps.get_app_config("loyalty_dashboard").urls),
    path("dashboard/store/", apps.get_app_config("giftcard_sales_dashboard").urls),
    # OA's url names for the same pages (requests resolve to ledger_dashboard above)
    path("dashboard/accounts/", apps.get_app_config("accounts_dashboard").urls),
    # ... and without a namespace, for the django-oscar-accounts article's navigation snippet
    path("dashboard/accounts/", include("oscar_accounts.dashboard.urls")),
    # the customer's store credit e-mails choice, among Oscar's account pages
    path("accounts/credit-emails/", CreditEmailsView.as_view(), name="credit-emails"),
    path("", include(apps.get_app_config("oscar").urls[0])),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
