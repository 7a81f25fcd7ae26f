"""HTTP refusals that happen before any view: a request body over the size limit answers JSON
413 (`REQUEST_TOO_LARGE`) on every path, instead of Django's HTML 400."""
import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse


def too_large() -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = {"errors": [{"message": f"The request body is larger than {limit:,} bytes.",
                        "extensions": {"code": "REQUEST_TOO_LARGE"}}]}
    return HttpResponse(json.dumps(body), status=413, content_type="application/json")


class RequestSizeLimitMiddleware:
    """Refuses a declared Content-Length over DATA_UPLOAD_MAX_MEMORY_SIZE before anything reads
    the body, and turns the RequestDataTooBig a view raises while reading one into the same 413."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return too_large()
        return self.get_response(request)

    def process_exception(self, request, exception):
        return too_large() if isinstance(exception, RequestDataTooBig) else None


def api_exception_handler(exc, context):
    """DRF's handler, with the API's code beside `detail` on every refusal, so a bad, expired or
    revoked device token reads the same on /api/ as on /graphql/ (401 UNAUTHENTICATED), and a
    malformed body, a wrong password or a refused field says INVALID (a client branches on the
    code, never on the words)."""
    from rest_framework import exceptions
    from rest_framework.views import exception_handler

    response = exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "code" not in response.data:
        for kinds, code in ((exceptions.NotAuthenticated, exceptions.AuthenticationFailed), "UNAUTHENTICATED"), (
                (exceptions.ParseError, exceptions.ValidationError), "INVALID"), (
                (exceptions.PermissionDenied,), "PERMISSION_DENIED"), ((exceptions.NotFound,), "NOT_FOUND"):
            if isinstance(exc, kinds):
                response.data["code"] = code
                break
        else:
            if isinstance(exc, exceptions.APIException):
                response.data["code"] = str(exc.default_code).upper()
    return response
