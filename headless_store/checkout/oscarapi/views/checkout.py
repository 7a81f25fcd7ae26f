"""django-oscar-api's order and checkout views, made safe for a shop that takes payment.

`POST /api/checkout/` places an order and takes no payment (django-oscar-api expects a shop to
override it with its own payment step). Here payment is taken by the GraphQL checkouts
(`payWithAccount`, `startCardCheckout`/`payCardCheckout`) and Oscar's classic checkout, so the
endpoint refuses (403, `CHECKOUT_NOT_HERE`) unless `STORE_OSCARAPI_CHECKOUT` says the shop takes
payment for such orders some other way (an invoice, cash on delivery): those orders are then not
"paid" to this shop (no loyalty points, nothing to refund from the ledger or the card).

Order lines and their attributes need a signed-in owner: django-oscar-api's own views failed with
a 500 for anyone else (and its line-attribute view had no owner check at all: a gift card's
recipient and message are line attributes)."""
from oscarapi.serializers.checkout import OrderLineAttributeSerializer
from oscarapi.views import checkout as upstream
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from ...conf import settings


class CheckoutView(upstream.CheckoutView):
    def post(self, request, format=None):  # noqa: A002 - django-oscar-api's signature
        if not settings.STORE_OSCARAPI_CHECKOUT:
            return Response({
                "reason": "This shop takes payment in its GraphQL checkout (payWithAccount, startCardCheckout) "
                          "or Oscar's checkout pages; django-oscar-api's checkout takes none and is closed.",
                "code": "CHECKOUT_NOT_HERE",
            }, status=status.HTTP_403_FORBIDDEN)
        return super().post(request, format)


class OrderLineList(upstream.OrderLineList):
    permission_classes = (IsAuthenticated,)  # the querysets keep to the owner's


class OrderLineDetail(upstream.OrderLineDetail):
    permission_classes = (IsAuthenticated,)  # the querysets keep to the owner's


class _LineAttributeSerializer(OrderLineAttributeSerializer):
    # django-oscar-api links the line by a view name it never defines ("line-detail"): a 500.
    line = serializers.HyperlinkedRelatedField(view_name="order-lines-detail", read_only=True)
    option = serializers.HyperlinkedRelatedField(view_name="option-detail", read_only=True)


class OrderLineAttributeDetail(upstream.OrderLineAttributeDetail):
    permission_classes = (IsAuthenticated,)  # the querysets keep to the owner's
    serializer_class = _LineAttributeSerializer

    def get_queryset(self):
        return super().get_queryset().filter(line__order__user=self.request.user)
