"""OA's dashboard url names without a namespace (`accounts-list`, `transfers-list`, ...), for the
navigation snippet of the django-oscar-accounts article:

    path("dashboard/accounts/", include("oscar_accounts.dashboard.urls")),

after the ledger's and OA's dashboard mounts, so requests still reach the ledger's pages."""
from .apps import alias_patterns

urlpatterns = alias_patterns()
