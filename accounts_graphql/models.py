"""The API's one permission: downloading the schema (GET /graphql/schema.graphql).

No table: an unmanaged model only carries the permission, so Django creates
`accounts_graphql.view_schema` like any other and staff grant it through groups (a CI job's
token user, a front-end team's account)."""
from django.db import models


class SchemaAccess(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_schema", "Can download the GraphQL schema (SDL)")]

    def __str__(self) -> str:
        return "GraphQL schema access"
