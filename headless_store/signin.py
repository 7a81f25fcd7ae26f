"""Signing in: CSRF on session sign-in, and a limit on password guessing (django-axes).

Session sign-in (`POST /api/login/`) sets the session cookie, so a page on another site that
posts a form there would sign the victim's browser in as the attacker (login CSRF). It needs the
CSRF token, as every cookie-session form does; the one exception is a native app's JSON sign-in,
which carries no cookie, no Origin and no Referer: a browser sends an Origin on every cross-site
POST and cannot send JSON cross-site without a CORS preflight, so such a request never comes
from a page. `POST /api/token/` sets no cookie and needs nothing.

Password guesses are counted by django-axes in the database (every worker process sees the same
counts), per account (the username or email, case-folded) and per client IP, on every path that
checks a password: `/api/token/`, `/api/login/`, Oscar's sign-in form and the admin's. Past
`LOGIN_MAX_FAILURES` failures the account, or the IP, is refused for `LOGIN_COOLING_OFF` seconds
with 429 (JSON with code `LOGIN_ATTEMPTS_BLOCKED` and `Retry-After` on the API). Tokens already
issued keep working: token authentication never checks a password.
"""
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models import Max, Q
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone
from knox.models import get_token_model
from oscarapi.views.login import LoginView as OscarApiLoginView
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.serializers import DateTimeField
from rest_framework.views import APIView

from .devicetokens import DeviceTokenAuthentication, issue_token
from .network import client_ip

BLOCKED_CODE = "LOGIN_ATTEMPTS_BLOCKED"


# --- CSRF ---------------------------------------------------------------------------------------

class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason


def csrf_failure(request) -> str | None:
    """Why Django's CSRF check (token, and Origin or Referer) refuses this request, or None."""
    return _CsrfCheck(lambda r: None).process_view(request, None, (), {})


def is_native_json(request) -> bool:
    """A request no web page can make: JSON with no cookie, no Origin and no Referer."""
    meta = request.META
    content_type = meta.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    return (content_type == "application/json" and not request.COOKIES
            and "HTTP_ORIGIN" not in meta and "HTTP_REFERER" not in meta)


def csrf_refused(reason: str) -> Response:
    return Response({"detail": f"CSRF check failed: {reason}", "code": "CSRF_FAILED"}, status=403)


# --- django-axes hooks ---------------------------------------------------------------------------

class AxesBackend(AxesStandaloneBackend):
    """Axes' lockout check, first in AUTHENTICATION_BACKENDS. A call without a request is the
    server checking a password it was just given (Oscar signs a new registration in that way),
    not a client's guess: it is not counted, as Axes could not say whose it is."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def username_of(request, credentials) -> str | None:
    """The account a guess is against: case-folded and trimmed, as sign-in matches emails, so
    `Ann@Example.com` and `ann@example.com ` share one count."""
    name = (credentials or {}).get("username")
    if name is None and request is not None:
        data = getattr(request, "data", None) or request.POST
        name = data.get("username") if hasattr(data, "get") else None
    return name.strip().casefold() if isinstance(name, str) else None


def client_ip_of(request) -> str | None:
    """The client's IP behind TRUSTED_PROXY_COUNT proxies (the code throttle reads the same)."""
    return client_ip(request)


def retry_after(request, credentials=None) -> int:
    """Seconds until the lockout of this account or IP ends (the latest failure + cooling off)."""
    cool_off = get_cool_off(request) or timedelta(0)
    username = get_client_username(request, credentials)
    ip = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    matching = Q(ip_address=ip) | (Q(username=username) if username else Q())
    latest = AccessAttempt.objects.filter(matching).aggregate(latest=Max("attempt_time"))["latest"]
    if latest is None:
        return int(cool_off.total_seconds())
    return max(1, int((latest + cool_off - timezone.now()).total_seconds()) + 1)


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """429 with Retry-After: JSON with a code for the API, a short page for Oscar's and the admin's forms."""
    wait = retry_after(request, credentials)
    message = "Too many failed sign-in attempts for this account or from this address. Try again later."
    if request.path.startswith("/api/") or "json" in request.META.get("HTTP_ACCEPT", ""):
        response = JsonResponse({"detail": message, "code": BLOCKED_CODE, "retryAfter": wait}, status=429)
    else:
        response = HttpResponse(f"<!doctype html><title>Sign-in blocked</title><p>{message}</p>",
                                status=429, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(wait)
    return response


def mark_locked_out(sender, request=None, **kwargs) -> None:
    """Axes flags the request it was given; for DRF views that is DRF's wrapper, so flag the
    Django request under it too, where AxesMiddleware looks for it."""
    inner = getattr(request, "_request", None)
    if inner is not None:
        inner.axes_locked_out = True
        inner.axes_credentials = getattr(request, "axes_credentials", None)


# --- views ---------------------------------------------------------------------------------------

class LoginSerializer(serializers.Serializer):
    """django-oscar-api's, checking the password with the request (Axes counts per client)."""

    username = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=255, trim_whitespace=False)

    def validate(self, attrs):
        from django.contrib.auth import authenticate

        user = authenticate(self.context["request"]._request, username=attrs["username"], password=attrs["password"])
        if user is None:
            raise serializers.ValidationError("invalid login")
        if not user.is_active:
            raise serializers.ValidationError("Can not log in as inactive user")
        self.instance = user
        return attrs


class LoginView(OscarApiLoginView):
    """`/api/login/`: django-oscar-api's session sign-in, refusing cross-site requests."""

    def post(self, request, *args, **kwargs):
        reason = csrf_failure(request._request)
        if reason and not is_native_json(request._request):
            return csrf_refused(reason)
        response = super().post(request, *args, **kwargs)
        if response.status_code == 401 and isinstance(response.data, dict):  # django-oscar-api's refusal
            response.data.setdefault("code", "UNAUTHENTICATED")
        return response

    def delete(self, request, *args, **kwargs):
        """Signing out: a device token is revoked (that device only); a session ends."""
        if isinstance(request.auth, get_token_model()):
            request.auth.delete()
            return Response("")
        return super().delete(request, *args, **kwargs)

    def serializer_class(self, data):
        return LoginSerializer(data=data, context={"request": self.request})


# --- device tokens (headless_store/devicetokens.py) ------------------------------------------

def _expiry(token) -> str | None:
    return DateTimeField().to_representation(token.expiry) if token.expiry else None


class TokenView(APIView):
    """`/api/token/`: POST signs a device in, GET tells this token's expiry, DELETE signs it out."""

    throttle_classes = ()

    def get_authenticators(self):
        return [DeviceTokenAuthentication()]

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def post(self, request, *args, **kwargs):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        instance, key = issue_token(user)
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response({"token": key, "expiry": _expiry(instance)})

    def get(self, request, *args, **kwargs):
        return Response({"expiry": _expiry(request.auth)})

    def delete(self, request, *args, **kwargs):
        request.auth.delete()
        user_logged_out.send(sender=request.user.__class__, request=request._request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AllTokensView(APIView):
    """`DELETE /api/token/all/`: signs every device of this user out."""

    def get_authenticators(self):
        return [DeviceTokenAuthentication()]

    permission_classes = (IsAuthenticated,)

    def delete(self, request, *args, **kwargs):
        sign_out_everywhere(request.user)
        user_logged_out.send(sender=request.user.__class__, request=request._request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def sign_out_everywhere(user) -> int:
    """Sign `user` out of every device: its device tokens, and every session signed in as it (a
    browser's cookie session, an app's `Session-Id: SID:AUTH:...` header session). Sessions are
    not indexed by user, so the live ones are read once; a rare, deliberate act. Returns how many
    sessions ended."""
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    get_token_model().objects.filter(user=user).delete()
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=2000):
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)
