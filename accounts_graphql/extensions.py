"""Hardening, driven by settings.GRAPHQL_API in one place: depth, alias and token limits,
introspection only for staff (or with DEBUG), and the error policy: an unexpected exception is
logged once at ERROR with its traceback and the request id, and the client reads only
"Unexpected error." with that request id; expected refusals are data and are not logged as
errors (strawberry's own per-error logging is turned off in schema.py).

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
    MaxAliasesLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry_django.optimizer import DjangoOptimizerExtension

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


def is_unexpected(error: GraphQLError) -> bool:
    """Syntax, validation and coded API errors are expected; an exception from inside is not."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


class ErrorPolicy(SchemaExtension):
    """Mask unexpected errors and log each once, with its traceback and the request id."""

    def on_operation(self):
        yield
        result = self.execution_context.result
        if not getattr(result, "errors", None):
            return
        request_id = getattr(self.execution_context.context, "request_id", None)
        masked = []
        for error in result.errors:
            if not is_unexpected(error):
                masked.append(error)
                continue
            logger.error(
                "Unexpected error in GraphQL field %s (request %s)",
                ".".join(str(p) for p in error.path or ()), request_id, exc_info=error.original_error,
            )
            masked.append(GraphQLError(
                f"Unexpected error. Quote request id {request_id} to support.",
                nodes=error.nodes, source=error.source, positions=error.positions, path=error.path,
                extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
            ))
        result.errors = masked


class ModelOptimizer(DjangoOptimizerExtension):
    """strawberry-graphql-django's optimizer for the model-backed (staff) types: their fields say
    what to join, prefetch or annotate, and every strawberry_django field optimizes its queryset.

    Its per-field `resolve` hook is left out: it only optimizes querysets returned by plain
    resolvers, which this API does not return, and it would cost a call on each of the ~1,500
    fields of a customer's `myAccounts`. Column pruning (`only`) is off: computed fields read
    columns the optimizer cannot see, and a deferred column loads once per row."""

    resolve = SchemaExtension.resolve

    def __init__(self):
        super().__init__(enable_only_optimization=False)


def schema_extensions():
    return [
        RequestLimits,
        ModelOptimizer,
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        ErrorPolicy,
    ]
