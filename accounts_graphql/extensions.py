"""Hardening, driven by settings.GRAPHQL_API in one place: depth, alias and token limits,
introspection only for staff (or with DEBUG), and masking of unexpected errors.

The limits are validation rules built once per setting value (strawberry's own limiter
extensions build a new rule class per request), so ValidationCache can reuse the validation of a
document the API has seen before; ParserCache does the same for parsing.
"""
import logging
from functools import lru_cache

from django.conf import settings
from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

logger = logging.getLogger("headless_store.graphql")


def _is_staff(execution_context) -> bool:
    request = getattr(execution_context.context, "request", None)
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


@lru_cache(maxsize=16)
def _limit_rules(max_depth: int, max_aliases: int) -> tuple:
    return (
        *QueryDepthLimiter(max_depth=max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=max_aliases).validation_rules,
    )


class RequestLimits(SchemaExtension):
    """Depth, alias and token limits; introspection for staff always, others only with DEBUG."""

    def on_operation(self):
        limits = settings.GRAPHQL_API  # read per request, so a changed setting applies at once
        context = self.execution_context
        context.parse_options["max_tokens"] = limits["MAX_TOKENS"]
        rules = _limit_rules(limits["MAX_DEPTH"], limits["MAX_ALIASES"])
        if not (settings.DEBUG or limits["INTROSPECTION_FOR_ALL"] or _is_staff(context)):
            rules = (*rules, NoSchemaIntrospectionCustomRule)
        context.validation_rules = (*context.validation_rules, *rules)
        yield


def should_mask(error: GraphQLError) -> bool:
    """Mask only unexpected exceptions; syntax, validation and coded API errors pass through."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return False
    logger.error("Unexpected error in GraphQL resolver", exc_info=original)
    return True


def schema_extensions():
    return [
        RequestLimits,
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        lambda: MaskErrors(should_mask_error=should_mask),
    ]
