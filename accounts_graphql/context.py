"""The per-request context resolvers receive: the viewer, their IP, the request id, and the
request's typed loaders."""
import re
import uuid
from dataclasses import dataclass, field

from strawberry.django.context import StrawberryDjangoContext
from strawberry.types import Info as _Info

from headless_store.ledger.permissions import SIGNED_IN
from headless_store.network import client_ip

from .loaders import Loaders

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def request_id_of(request) -> str:
    """The caller's X-Request-ID when it is a sane token, else a fresh one (logs and errors quote it)."""
    if not hasattr(request, "request_id"):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
    return request.request_id


@dataclass
class Context(StrawberryDjangoContext):
    loaders: Loaders = field(init=False)

    def __post_init__(self):
        self.loaders = Loaders(self.request.user)

    @property
    def user(self):
        return self.request.user

    @property
    def ip(self) -> str | None:
        return client_ip(self.request)

    @property
    def request_id(self) -> str:
        return request_id_of(self.request)

    def viewer(self):
        """The signed-in user (NotAuthenticated otherwise, answered as UNAUTHENTICATED)."""
        return SIGNED_IN.check(self.user)


Info = _Info[Context, None]
