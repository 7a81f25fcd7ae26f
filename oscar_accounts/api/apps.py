"""OA's REST API app (`oscar_accounts.api.apps.AccountsAPIConfig`, namespace `oscar_accounts_api`):
the same urls, Basic auth, payloads and status codes, served by the ledger. Mount it as OA's
README did: `path("accounts-api/", apps.get_app_config("oscar_accounts_api").urls)`."""
from django.urls import path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from oscar.core.application import OscarConfig


class AccountsAPIConfig(OscarConfig):
    name = "oscar_accounts.api"
    verbose_name = _("Accounts API")
    label = "oscar_accounts_api"
    namespace = "oscar_accounts_api"

    def get_urls(self):
        from . import views

        reference = r"(?P<reference>[A-Z0-9]{32})"
        urls = [
            path("accounts/", views.AccountsView.as_view(), name="accounts"),
            path("accounts/<str:code>/", views.AccountView.as_view(), name="account"),
            path("accounts/<str:code>/redemptions/", views.AccountRedemptionsView.as_view(), name="account-redemptions"),
            path("accounts/<str:code>/refunds/", views.AccountRefundsView.as_view(), name="account-refunds"),
            re_path(rf"^transfers/{reference}/$", views.TransferView.as_view(), name="transfer"),
            re_path(rf"^transfers/{reference}/reverse/$", views.TransferReverseView.as_view(), name="transfer-reverse"),
            re_path(rf"^transfers/{reference}/refunds/$", views.TransferRefundsView.as_view(), name="transfer-refunds"),
        ]
        return self.post_process_urls(urls)

    def get_url_decorator(self, url_name):
        from .decorators import basicauth

        return lambda view: csrf_exempt(basicauth(view))
