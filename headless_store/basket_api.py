"""`GET /api/basket/`: django-oscar-api's basket view, saying when a card checkout holds the basket.

While a card checkout waits for its card (PENDING or AUTHORISING), its basket is frozen and
django-oscar-api answers a new, empty basket. This view answers the same, and says why: the
header `X-Basket-Status: checkout-pending` and the field `pending_card_checkout` (`id`, the
checkout's id, secret to this shopper; `basket`, the frozen basket's id; `status`; `expires_at`),
so a front end resumes the checkout (payCardCheckout / cancelCardCheckout) instead of showing an
empty basket. Otherwise `X-Basket-Status: open` and the field is null.
"""
from django.conf import settings
from oscarapi.views.basket import BasketView as OscarApiBasketView
from rest_framework.response import Response

from .checkout.selectors import pending_card_checkout

STATUS_HEADER = "X-Basket-Status"
#: A guest's session remembers the frozen basket, since django-oscar-api replaces it in the session.
HELD_BASKET = "card_checkout_basket"


class BasketView(OscarApiBasketView):
    def get(self, request, *args, **kwargs):
        # read before django-oscar-api stores the new basket in the session
        session = getattr(request, "session", None)
        pending = None
        for basket_id in (session.get(settings.OSCAR_BASKET_COOKIE_OPEN), session.get(HELD_BASKET)) if session else (None,):
            pending = pending or pending_card_checkout(user=request.user, basket_id=basket_id)
        if session is not None and not request.user.is_authenticated:
            if pending is not None:
                session[HELD_BASKET] = pending.basket_id
            elif HELD_BASKET in session:
                del session[HELD_BASKET]
        response = super().get(request, *args, **kwargs)
        if not isinstance(response, Response) or response.status_code != 200:
            return response
        response.data["pending_card_checkout"] = None if pending is None else {
            "id": pending.token, "basket": pending.basket_id, "status": pending.status,
            "expires_at": pending.expires_at.isoformat(),
        }
        response[STATUS_HEADER] = "checkout-pending" if pending else "open"
        return response
