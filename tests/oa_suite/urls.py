"""The project's urls plus OA's REST API, mounted as a shop would mount it."""
from django.apps import apps
from django.urls import path

from headless_store.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("accounts-api/", apps.get_app_config("oscar_accounts_api").urls), *project_urlpatterns]
