"""The demo SPA is served by Django from this app's templates and static files."""
from django.apps import AppConfig


class FrontendContractConfig(AppConfig):
    name = "frontend_contract"
    label = "frontend_contract"
    verbose_name = "Frontend contract and demo SPA"
