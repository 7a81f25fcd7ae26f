"""The `oscar_accounts` app, as django-oscar-accounts shops list it in INSTALLED_APPS.

Its models are proxies of the ledger's (no tables of their own, app label `oscar_accounts`, so
Oscar's `get_model("oscar_accounts", "Account")` finds them) that add OA's API on top."""
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "oscar_accounts"
    label = "oscar_accounts"
    verbose_name = "Accounts (django-oscar-accounts compatibility)"
