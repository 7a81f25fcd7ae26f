"""django-oscar-api's add-product view, checking gift-card options before the line is added.

A refusal answers as django-oscar-api's own refusals do (406 with `reason`), plus `errors`: each
problem by the option's code (`gift_card_recipient_email`, `gift_card_deliver_on`...), all at once."""
from oscarapi.basket.operations import get_basket
from oscarapi.views import basket as upstream
from rest_framework import status
from rest_framework.response import Response

from headless_store.giftcard_sales.catalogue import check_basket_addition, describe
from headless_store.giftcard_sales.exceptions import GiftCardOptionsInvalid


class AddProductView(upstream.AddProductView):
    def post(self, request, *args, **kwargs):
        serializer = self.add_product_serializer_class(data=request.data, context={"request": request})
        if serializer.is_valid():
            data = serializer.validated_data
            try:
                check_basket_addition(data["url"], data["quantity"], data.get("options", []), get_basket(request))
            except GiftCardOptionsInvalid as invalid:
                return Response({"reason": describe(invalid.errors), "errors": invalid.errors}, status=status.HTTP_406_NOT_ACCEPTABLE)
        return super().post(request, *args, **kwargs)
