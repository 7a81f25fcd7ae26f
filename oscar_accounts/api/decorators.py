"""HTTP Basic auth for OA's REST API.

OA let any active user in. Here the user must also be named in ACCOUNTS_API_USERS (usernames of
the systems that call the API, e.g. a till; none by default, so the API refuses everyone until a
shop names its clients): the API mints gift cards from Bank and redeems any code. Failed
sign-ins count in the ledger's code throttle, per client IP, and a blocked IP gets 429."""
import base64
import binascii
import json

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpResponse

from headless_store.ledger import throttle
from headless_store.ledger.exceptions import CodeAttemptsBlocked


def _credentials(request):
    parts = request.META.get("HTTP_AUTHORIZATION", "").split()
    if len(parts) != 2 or parts[0].lower() != "basic":
        return None
    try:
        username, sep, password = base64.b64decode(parts[1], validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (username, password) if sep else None


def _json(status, code, message):
    return HttpResponse(json.dumps({"code": code, "message": message}), status=status,
                        content_type="application/json")


def view_or_basicauth(view, request, *args, **kwargs):
    ip = request.META.get("REMOTE_ADDR")
    try:
        throttle.check(ip)
    except CodeAttemptsBlocked as blocked:
        response = _json(429, "", str(blocked))
        response["Retry-After"] = str(throttle.retry_after(ip))
        return response
    credentials = _credentials(request)
    user = authenticate(request, username=credentials[0], password=credentials[1]) if credentials else None
    if user is None or not user.is_active:
        if credentials:
            throttle.record_failure(ip)
        response = HttpResponse(status=401)
        response["WWW-Authenticate"] = f'Basic realm="{getattr(settings, "BASIC_AUTH_REALM", "Forbidden")}"'
        return response
    if user.get_username() not in getattr(settings, "ACCOUNTS_API_USERS", ()):
        return _json(403, "", "This user may not use the accounts API (see ACCOUNTS_API_USERS).")
    request.user = user
    return view(request, *args, **kwargs)


def basicauth(view_func):
    def wrapper(request, *args, **kwargs):
        return view_or_basicauth(view_func, request, *args, **kwargs)
    return wrapper
