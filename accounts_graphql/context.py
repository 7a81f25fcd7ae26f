"""The per-request context resolvers receive: the viewer, their IP, and request-scoped caches."""
from dataclasses import dataclass, field

from strawberry.django.context import StrawberryDjangoContext
from strawberry.types import Info as _Info

from headless_store.ledger.exceptions import NotAuthorised
from headless_store.ledger.selectors.accounts import viewer_account_ids

from .errors import unauthenticated


@dataclass
class Context(StrawberryDjangoContext):
    cache: dict = field(default_factory=dict)

    @property
    def user(self):
        return self.request.user

    @property
    def ip(self) -> str | None:
        return self.request.META.get("REMOTE_ADDR")

    def viewer(self):
        """The signed-in user, or a top-level UNAUTHENTICATED error."""
        if not self.user.is_authenticated:
            raise unauthenticated()
        return self.user

    def staff(self, permission: str):
        """The signed-in staff user holding `ledger.<permission>`; `is_staff` alone is not enough.

        Anonymous callers get a top-level UNAUTHENTICATED error; others NotAuthorised.
        """
        user = self.viewer()
        if not (user.is_active and user.is_staff and user.has_perm(f"ledger.{permission}")):
            raise NotAuthorised(f"You need the ledger.{permission} permission for this.")
        return user

    def viewer_account_ids(self) -> frozenset[int]:
        """Ids of the viewer's own accounts (one query per request, only when needed)."""
        if "viewer_account_ids" not in self.cache:
            self.cache["viewer_account_ids"] = frozenset(viewer_account_ids(self.user))
        return self.cache["viewer_account_ids"]


Info = _Info[Context, None]
