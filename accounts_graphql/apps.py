"""The GraphQL adapter as an app, so Django finds the console's template and static files."""
from django.apps import AppConfig


class AccountsGraphQLConfig(AppConfig):
    name = "accounts_graphql"
    label = "accounts_graphql"
    verbose_name = "GraphQL API"
