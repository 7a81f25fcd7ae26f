"""The per-request context resolvers receive: the viewer, their IP, the request id, and the
request's typed loaders."""
from dataclasses import dataclass, field

from strawberry.django.context import StrawberryDjangoContext
from strawberry.types import Info as _Info

from headless_store.ledger.permissions import SIGNED_IN
from headless_store.network import client_ip
from headless_store.observability import request_id_of

from .loaders import Loaders


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
