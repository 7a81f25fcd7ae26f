"""Device tokens for mobile and other non-browser clients (django-rest-knox).

`POST /api/token/` (username or email, and password; JSON or form) issues a new token for this
device: `{"token": ..., "expiry": ...}`. Every sign-in makes its own token, so each device holds
its own and signing one out leaves the others signed in; past `API_TOKEN_LIMIT_PER_USER` tokens
the oldest is revoked. Only a hash of the token is stored (knox).

Send it as `Authorization: Token <token>` or `Bearer <token>` to `/graphql/` and django-oscar-api's
`/api/` endpoints. A token expires `API_TOKEN_TTL` seconds after its last use (knox's
AUTO_REFRESH: each use renews it, written at most once a minute) and at the latest
`API_TOKEN_MAX_TTL` seconds after sign-in; then the device signs in again. `GET /api/token/`
says when this token expires. `DELETE /api/token/` signs this device out (the token stops working
at once); `DELETE /api/token/all/` signs out every device of the user (all their tokens);
`DELETE /api/login/` with a token signs this device out too. A request carrying a token gets no
cookie (headless_store/headersessions.py). The views are in signin.py.

A missing, malformed, unknown, expired or revoked token answers 401 `UNAUTHENTICATED` with JSON,
on every path; an anonymous call to something that needs sign-in answers the same code (see the
README's error contract).
"""
from django.conf import settings
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.models import get_token_model
from knox.settings import knox_settings
from rest_framework.authentication import get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

#: The Authorization schemes that carry a device token.
SCHEMES = (b"token", b"bearer")


class DeviceTokenAuthentication(KnoxTokenAuthentication):
    """knox's token authentication under either scheme: `Token <key>` (knox's, DRF's) or
    `Bearer <key>` (what most HTTP clients send)."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() not in SCHEMES:
            return None
        if len(header) != 2 or not header[1].isascii():
            raise AuthenticationFailed("Invalid token header: send `Token <key>` or `Bearer <key>`.")
        return self.authenticate_credentials(header[1])


def issue_token(user):
    """A new token for one device of `user`; revokes their oldest past the per-user limit."""
    model = get_token_model()
    instance, key = model.objects.create(user=user, expiry=knox_settings.TOKEN_TTL)
    limit = settings.API_TOKEN_LIMIT_PER_USER
    surplus = model.objects.filter(user=user).order_by("-created").values_list("digest", flat=True)[limit:]
    model.objects.filter(digest__in=list(surplus)).delete()
    return instance, key
