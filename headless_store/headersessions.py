"""Sessions for clients without a cookie jar: django-oscar-api's header sessions, on /api/ and /graphql/.

A native app, or a web app on another origin that does not send cookies, keeps its guest basket
(and its guest checkout, idempotency keys and card checkouts) in a session named by a header
instead of a cookie, as django-oscar-api defines it: the client makes up a random id once and
sends `Session-Id: SID:ANON:<api host>:<random id>` on every call to `/api/` and `/graphql/`; the
answer carries the same header back. The session's key is a hash of that header and SECRET_KEY
(oscarapi's `session_id_from_parsed_session_uri`), so the header alone names it, and the header
is the shopper's secret: the random part must be at least 32 characters (a UUID4, or 16 random
bytes in hex), else 400 `INVALID_SESSION_ID`.

A request that identifies itself by a header (that `Session-Id`, or a device token in
`Authorization`), and a device's sign-in (`/api/token/`), gets no cookie back: no session cookie, no CSRF cookie, no basket cookie. A
token request has no session of its own at all (its basket is the user's), so none is stored.
Since nothing ambient authenticates such a request, it needs no CSRF token (a browser never adds
these headers on its own).
"""
import json
import re

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from oscarapi.middleware import HeaderSessionMiddleware as OscarApiHeaderSessionMiddleware
from oscarapi.middleware import parse_session_id
from oscarapi.utils.request import get_domain

SESSION_HEADER = "Session-Id"
#: `SID:ANON:host:8000:...`: the host given with its port (the Host header's value).
_WITH_PORT = re.compile(r"^SID:(?:ANON|AUTH):[^:]+:[0-9]{1,5}:[^:]{8,}")
#: Paths whose clients may name their session by header (django-oscar-api's and ours).
HEADER_PATHS = ("/api/", "/graphql/")
#: A client-chosen id shorter than this could be guessed.
MIN_RANDOM_CHARS = 32
TOKEN_SCHEMES = ("token", "bearer")
#: Signing a device in (POST /api/token/) sets no cookie either.
TOKEN_PATH = "/api/token/"


def has_token(request) -> bool:
    """The request authenticates by a device token (`Authorization: Token|Bearer <key>`)."""
    scheme = request.META.get("HTTP_AUTHORIZATION", "").split(" ", 1)[0].lower()
    return scheme in TOKEN_SCHEMES


def is_header_client(request) -> bool:
    """The request names its session or its user by a header, never by a cookie."""
    return getattr(request, "parsed_session_uri", None) is not None or getattr(request, "token_request", False)


def _refusal(code: str, message: str, status: int = 400) -> HttpResponse:
    body = {"errors": [{"message": message, "extensions": {"code": code}}], "detail": message, "code": code}
    return HttpResponse(json.dumps(body), status=status, content_type="application/json")


class HeaderSessionMiddleware(OscarApiHeaderSessionMiddleware):
    """django-oscar-api's HeaderSessionMiddleware, right after Django's SessionMiddleware (which
    stays, with its deploy checks, for cookie clients): on /api/ and /graphql/ a `Session-Id` or
    a device token replaces the cookie session; header clients get no cookies; the client's id
    has a minimum length."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self.unsaved_store = _Unsaved(self.SessionStore)

    @staticmethod
    def is_api_request(request):
        return request.path.startswith(HEADER_PATHS)

    def process_request(self, request):
        request.token_request = self.is_api_request(request) and (has_token(request) or request.path.startswith(TOKEN_PATH))
        raw = request.META.get("HTTP_SESSION_ID")
        if raw is not None and self.is_api_request(request):
            parsed = parse_session_id(request)
            if parsed is None:
                return _refusal("INVALID_SESSION_ID", "Session-Id must read `SID:ANON:<host>:<random id>`.")
            if _WITH_PORT.match(raw):
                return _refusal("INVALID_SESSION_ID", "Session-Id names the API's host name without its port: "
                                "`SID:ANON:example.com:<random id>`, not `example.com:8000`.")
            if len(parsed["session_id"]) < MIN_RANDOM_CHARS:
                return _refusal("INVALID_SESSION_ID",
                                f"The random part of Session-Id must be at least {MIN_RANDOM_CHARS} characters.")
            if parsed["realm"] != get_domain(request):
                return _refusal("INVALID_SESSION_ID", "Session-Id names another host.")
            refused = super().process_request(request)
            if refused is not None and refused.status_code == 401:  # an SID:AUTH session that has ended
                return _refusal("UNAUTHENTICATED", "This Session-Id's sign-in has ended (signed out or expired): "
                                "start again with a new SID:ANON id, or sign in again.", status=401)
            if refused is not None:  # django-oscar-api's other refusals (its body is not always JSON)
                return _refusal("INVALID_SESSION_ID", "This Session-Id cannot be used.", status=refused.status_code)
            return None
        if request.token_request:
            request.session = self.unsaved_store()
            request.csrf_processing_done = True  # no cookie authenticates it: nothing to forge
        return None  # anything else keeps the cookie session Django's SessionMiddleware gave it

    def process_response(self, request, response):
        if not is_header_client(request):
            return response  # Django's SessionMiddleware, outside this one, answers for the cookie
        parsed = getattr(request, "parsed_session_uri", None)
        session = getattr(request, "session", None)
        if session is not None:
            if parsed is not None and session.modified and response.status_code < 500:
                session.save()
            session.modified = False  # saved here: Django's SessionMiddleware sets no cookie for it
        if parsed is not None and response.status_code < 500:
            response[SESSION_HEADER] = "SID:{type}:{realm}:{session_id}".format(**parsed)
        patch_vary_headers(response, ("Authorization", SESSION_HEADER))
        for name in list(response.cookies):
            del response.cookies[name]
        return response


def _Unsaved(store):
    """A session class whose sessions are never stored (a token request's)."""

    class UnsavedSession(store):
        def save(self, must_create=False):
            return None

        def create(self):
            return None

        def cycle_key(self):
            return None

    return UnsavedSession
