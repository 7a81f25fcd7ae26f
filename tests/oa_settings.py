"""Settings for a process that runs django-oscar-accounts 3.0.1's own migrations against the test
database (tests/ledger/test_oa_import.py): the real OA package first on sys.path, Oscar's apps,
and the database from DATABASE_URL."""
import environ
from oscar.defaults import *  # noqa: F401,F403

from headless_store.settings import INSTALLED_APPS as _PROJECT_APPS

SECRET_KEY = "oa-import-test"
DATABASES = {"default": environ.Env.db_url_config(environ.Env()("DATABASE_URL"))}
INSTALLED_APPS = [app for app in _PROJECT_APPS if app.startswith(("django.", "oscar.", "widget_tweaks", "haystack",
                                                                   "treebeard", "django_tables2"))]
INSTALLED_APPS.append("oscar_accounts.apps.AccountsConfig")
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
USE_TZ = True
SITE_ID = 1
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
