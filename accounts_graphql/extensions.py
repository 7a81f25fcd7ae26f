"""Hardening, driven by settings.GRAPHQL_API in one place: depth, alias and token limits,
introspection only for staff (or with DEBUG), and masking of unexpected errors."""
import logging

from django.conf import settings
from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import MaskErrors, MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter, SchemaExtension

logger = logging.getLogger("headless_store.graphql")


def _is_staff(execution_context) -> bool:
    request = getattr(execution_context.context, "request", None)
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


class IntrospectionPolicy(SchemaExtension):
    """Schema introspection for staff always, for everyone else only with DEBUG."""

    def on_operation(self):
        if not (settings.DEBUG or settings.GRAPHQL_API["INTROSPECTION_FOR_ALL"] or _is_staff(self.execution_context)):
            self.execution_context.validation_rules = (
                *self.execution_context.validation_rules,
                NoSchemaIntrospectionCustomRule,
            )
        yield


def should_mask(error: GraphQLError) -> bool:
    """Mask only unexpected exceptions; syntax, validation and coded API errors pass through."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return False
    logger.error("Unexpected error in GraphQL resolver", exc_info=original)
    return True


def _limit(name: str) -> int:
    return settings.GRAPHQL_API[name]  # read per request, so a changed setting applies at once


def schema_extensions():
    return [
        lambda: QueryDepthLimiter(max_depth=_limit("MAX_DEPTH")),
        lambda: MaxAliasesLimiter(max_alias_count=_limit("MAX_ALIASES")),
        lambda: MaxTokensLimiter(max_token_count=_limit("MAX_TOKENS")),
        IntrospectionPolicy,
        lambda: MaskErrors(should_mask_error=should_mask),
    ]
