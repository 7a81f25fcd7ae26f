"""The project itself as an app, so that its management commands (demo data) are found."""
from django.apps import AppConfig


class HeadlessStoreConfig(AppConfig):
    name = "headless_store"
    label = "headless_store"
    verbose_name = "Headless store"
