"""The /graphql/ endpoint: Django session (with CSRF) or DRF token authentication.

A browser on the same site uses its session cookie and sends the CSRF token; a mobile app sends
`Authorization: Token <key>` (the DRF tokens django-oscar-api uses, from POST /api/token/) and
needs no CSRF token, since no cookie is involved. The GraphiQL console is served to staff in
every mode and to everyone else only with DEBUG.
"""
import json

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from oscar.apps.partner.strategy import Selector
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from strawberry.django.views import GraphQLView

from .context import Context


def _json_error(status, code, message):
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return HttpResponse(json.dumps(body), status=status, content_type="application/json")


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason


@method_decorator(csrf_exempt, name="dispatch")  # CSRF is enforced below, for cookie sessions only
class AccountsGraphQLView(GraphQLView):
    graphql_ide = "graphiql"
    allow_queries_via_get = True

    def dispatch(self, request, *args, **kwargs):
        header = get_authorization_header(request).split()
        if header and header[0].lower() == b"token":
            try:
                authenticated = TokenAuthentication().authenticate(request)
            except AuthenticationFailed as failure:
                return _json_error(401, "UNAUTHENTICATED", str(failure.detail))
            request.user = authenticated[0]
            request.strategy = Selector().strategy(request=request, user=request.user)
        elif request.method not in ("GET", "HEAD", "OPTIONS"):
            reason = _CsrfCheck(lambda r: None).process_view(request, None, (), {})
            if reason:
                return _json_error(403, "CSRF_FAILED", f"CSRF check failed: {reason}")
        return super().dispatch(request, *args, **kwargs)

    def get_context(self, request, response) -> Context:
        return Context(request=request, response=response)

    def render_graphql_ide(self, request):
        if settings.DEBUG or request.user.is_staff:
            return super().render_graphql_ide(request)
        return HttpResponse("Not Found", status=404, content_type="text/plain")
